package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Datagrams;
import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.DatagramChannel;
import io.panamanetty.channel.DatagramChannelOption;
import io.panamanetty.channel.DatagramPacket;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.handler.DatagramSegmentSplitter;
import io.panamanetty.testing.LeakCheck;
import io.panamanetty.testsuite.DatagramScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Segmentation offload on loopback: a 65,507-byte write in 1,200-byte segments
 * ({@code UDP_SEGMENT}) reaches a plain receiver as 55 datagrams (54 × 1,200 + 707) and a
 * {@code UDP_GRO} receiver whole (coalesced, where the kernel keeps it so; the
 * {@link DatagramSegmentSplitter} cuts it again); with {@code SO_NO_CHECK} the kernel refuses
 * GSO (EINVAL) and the channel cuts the datagrams itself, every byte still delivered.
 */
@ExtendWith(LeakCheck.class)
class EpollDatagramSegmentationTest {
    private static final int LENGTH = 65_507;
    private static final int SEGMENT = 1_200;
    private static final int SEGMENTS = 55;

    @Test
    void aSegmentedWriteArrivesAsSeparateDatagramsAtAPlainReceiver() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "udp-gso");
             java.net.DatagramSocket receiver = plainReceiver()) {
            DatagramChannel sender = sender(group);
            byte[] payload = payload();
            sender.writeAndFlush(segmented(payload, receiver)).sync();
            assertArrivesSegmented(receiver, payload);
            sender.close().sync();
        }
    }

    /**
     * With {@code UDP_GRO} on, a GSO send over lo arrives coalesced where the kernel keeps the
     * GSO packet whole up to the socket (the segment size then comes with the packet) and as
     * single datagrams where it cuts it first, as the 6.18 kernel of this project's machines
     * does; either way every byte arrives, and the splitter hands single datagrams on.
     */
    @Test
    void aGroReceiverGetsEveryByteAndTheSplitterHandsOnSingleDatagrams() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "udp-gro")) {
            DatagramScenario.Recorder pieces = new DatagramScenario.Recorder();
            java.util.concurrent.BlockingQueue<Integer> segmentSizes = new java.util.concurrent.LinkedBlockingQueue<>();
            DatagramChannel receiver = (DatagramChannel) new Bootstrap().group(group).channel(DatagramChannel.class)
                    .option(DatagramChannelOption.UDP_GRO, true).initializer(ch -> ch.pipeline()
                            .addLast("size", new io.panamanetty.channel.ChannelHandlerAdapter() {
                                @Override
                                public void channelRead(io.panamanetty.channel.ChannelHandlerContext ctx, Object m) {
                                    DatagramPacket packet = (DatagramPacket) m;
                                    segmentSizes.add(packet.segmentSize() == 0 ? -packet.content().readableBytes()
                                            : packet.segmentSize());
                                    ctx.fireChannelRead(m);
                                }
                            }).addLast("split", new DatagramSegmentSplitter()).addLast("record", pieces))
                    .bind("127.0.0.1", 0).sync().channel();
            assertEquals(true, receiver.config().getOption(DatagramChannelOption.UDP_GRO));
            DatagramChannel sender = sender(group);
            byte[] payload = payload();
            sender.writeAndFlush(DatagramPacket.segmented(copy(payload), SEGMENT, receiver.localAddress())).sync();
            for (int i = 0; i < SEGMENTS; i++) {
                int from = i * SEGMENT;
                assertArrayEquals(Arrays.copyOfRange(payload, from, Math.min(LENGTH, from + SEGMENT)),
                        pieces.next().bytes(), "segment " + i);
            }
            int first = segmentSizes.take();
            assertTrue(first == SEGMENT || first == -SEGMENT, "the first packet: " + first);   // coalesced, or one datagram
            System.out.println(first == SEGMENT ? "GRO: coalesced with segment size " + SEGMENT
                    : "GRO: this kernel delivered single datagrams");
            sender.close().sync();
            receiver.close().sync();
        }
    }

    @Test
    void whenTheKernelRefusesGsoTheChannelCutsTheDatagramsItself() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "udp-nocheck");
             java.net.DatagramSocket receiver = plainReceiver()) {
            EpollDatagramChannel sender = (EpollDatagramChannel) sender(group);
            CompletableFuture<Void> noChecksums = new CompletableFuture<>();
            sender.eventLoop().execute(() -> {
                try {
                    Sockets.setInt(sender.fd(), Sockets.SOL_SOCKET, Datagrams.SO_NO_CHECK, 1);   // GSO needs checksums
                    noChecksums.complete(null);
                } catch (Exception e) {
                    noChecksums.completeExceptionally(e);
                }
            });
            noChecksums.get(30, TimeUnit.SECONDS);
            byte[] payload = payload();
            for (int round = 0; round < 2; round++) {   // the refusal, then the cut from the start
                sender.writeAndFlush(segmented(payload, receiver)).sync();
                assertArrivesSegmented(receiver, payload);
            }
            sender.close().sync();
        }
    }

    /**
     * A segmented datagram that fails for a reason of its own (to port 0: EINVAL, whether cut or
     * not) fails its promise with that error and does not turn GSO off: the next segmented
     * datagram still leaves as one message.
     */
    @Test
    void aSegmentedDatagramsOwnFailureLeavesGsoOn() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "udp-gso-own");
             java.net.DatagramSocket receiver = plainReceiver()) {
            EpollDatagramChannel sender = (EpollDatagramChannel) sender(group);
            byte[] payload = payload();
            ChannelFuture refused = sender.writeAndFlush(DatagramPacket.segmented(copy(payload), SEGMENT,
                    new InetSocketAddress("127.0.0.1", 0))).await();
            NativeIoException failure = assertInstanceOf(NativeIoException.class, refused.cause());
            assertEquals(Errno.EINVAL, failure.errno(), failure.getMessage());
            long before = datagramsSent(sender);
            sender.writeAndFlush(segmented(payload, receiver)).sync();
            assertArrivesSegmented(receiver, payload);
            assertEquals(1, datagramsSent(sender) - before, "GSO was turned off by a failure of the datagram's own");
            sender.close().sync();
        }
    }

    private static long datagramsSent(EpollDatagramChannel channel) throws Exception {
        CompletableFuture<Long> sent = new CompletableFuture<>();
        channel.eventLoop().execute(() -> sent.complete(channel.datagramsSent));
        return sent.get(30, TimeUnit.SECONDS);
    }

    private static DatagramChannel sender(EventLoopGroup group) throws InterruptedException {
        return (DatagramChannel) new Bootstrap().group(group).channel(DatagramChannel.class)
                .handler(DatagramScenario.Recorder::new).bind("127.0.0.1", 0).sync().channel();
    }

    private static java.net.DatagramSocket plainReceiver() throws Exception {
        java.net.DatagramSocket socket = new java.net.DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
        socket.setReceiveBufferSize(1 << 20);
        socket.setSoTimeout(30_000);
        return socket;
    }

    private static byte[] payload() {
        byte[] payload = new byte[LENGTH];
        new Random(LENGTH).nextBytes(payload);
        return payload;
    }

    private static Buffer copy(byte[] payload) {
        return BufferAllocator.defaultAllocator().copyOf(payload);
    }

    private static DatagramPacket segmented(byte[] payload, java.net.DatagramSocket to) {
        return DatagramPacket.segmented(copy(payload), SEGMENT, (InetSocketAddress) to.getLocalSocketAddress());
    }

    private static void assertArrivesSegmented(java.net.DatagramSocket receiver, byte[] payload) throws Exception {
        byte[] room = new byte[65_536];
        for (int i = 0; i < SEGMENTS; i++) {
            java.net.DatagramPacket datagram = new java.net.DatagramPacket(room, room.length);
            receiver.receive(datagram);
            int from = i * SEGMENT;
            int expected = Math.min(SEGMENT, LENGTH - from);
            assertEquals(i < SEGMENTS - 1 ? SEGMENT : 707, datagram.getLength(), "datagram " + i);
            assertArrayEquals(Arrays.copyOfRange(payload, from, from + expected),
                    Arrays.copyOf(datagram.getData(), datagram.getLength()), "datagram " + i);
        }
    }
}
