package io.panamanetty.transport.epoll;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.DatagramChannel;
import io.panamanetty.channel.DatagramChannelOption;
import io.panamanetty.channel.DatagramControlTruncatedException;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import io.panamanetty.testsuite.DatagramScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Control data the kernel cut ({@code MSG_CTRUNC}) is reported, never ignored: with
 * {@code IP_RECVTTL}, {@code IP_RECVTOS} and {@code IP_PKTINFO} asked for through raw options,
 * each datagram comes with 24 + 24 + 32 bytes of control messages, more than the channel's 64
 * bytes of room per datagram, so the kernel really cuts them; the datagram still arrives whole
 * and a {@link DatagramControlTruncatedException} follows it. With {@code UDP_GRO} on the
 * datagram is dropped instead (its segment size might be what was cut). With the first two
 * alone (48 bytes, which fit) nothing is reported.
 */
@ExtendWith(LeakCheck.class)
class EpollDatagramControlTruncationTest {
    private static final ChannelOption<Integer> IP_RECVTTL = RawSocketOption.ofInt("IP_RECVTTL", 0, 12);
    private static final ChannelOption<Integer> IP_RECVTOS = RawSocketOption.ofInt("IP_RECVTOS", 0, 13);
    private static final ChannelOption<Integer> IP_PKTINFO = RawSocketOption.ofInt("IP_PKTINFO", 0, 8);

    @Test
    void cutControlDataIsReportedAndTheDatagramDelivered() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "udp-ctrunc");
             DatagramSocket peer = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            DatagramScenario.Recorder recorder = new DatagramScenario.Recorder();
            EpollDatagramChannel server = (EpollDatagramChannel) new Bootstrap().group(group)
                    .channel(DatagramChannel.class).option(IP_RECVTTL, 1).option(IP_RECVTOS, 1).option(IP_PKTINFO, 1)
                    .handler(() -> recorder).bind("127.0.0.1", 0).sync().channel();
            byte[] bytes = "ttl and tos".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 3; i++) {
                peer.send(new java.net.DatagramPacket(bytes, bytes.length, server.localAddress()));
                assertEquals("ttl and tos", new String(recorder.next().bytes(), StandardCharsets.US_ASCII));
                DatagramControlTruncatedException cut = assertInstanceOf(DatagramControlTruncatedException.class,
                        recorder.nextError());
                assertEquals(peer.getLocalSocketAddress(), cut.sender());
                assertFalse(cut.dropped());
                assertTrue(cut.getMessage().contains("MSG_CTRUNC"), cut.getMessage());
            }
            assertEquals(3L, onLoop(server, () -> server.controlTruncations));
            server.close().sync();
        }
    }

    /**
     * {@code SO_RCVMARK} and {@code SO_RCVPRIORITY} put 48 bytes of control data before the
     * {@code UDP_GRO} message, which then gets only its 16-byte header, no value: the segment
     * size must not be read past it (it was: the next slot's bytes came back as a size of 20).
     * Each coalesced datagram is dropped and reported instead, never passed on with a wrong size.
     */
    @Test
    void aGroMessageCutToItsHeaderGivesNoSegmentSize() throws Exception {
        ChannelOption<Integer> soRcvMark = RawSocketOption.ofInt("SO_RCVMARK", 1, 75);
        ChannelOption<Integer> soRcvPriority = RawSocketOption.ofInt("SO_RCVPRIORITY", 1, 82);
        try (EventLoopGroup group = new EventLoopGroup(1, "udp-ctrunc-gro-header")) {
            java.util.concurrent.BlockingQueue<String> seen = new java.util.concurrent.LinkedBlockingQueue<>();
            DatagramChannel receiver = (DatagramChannel) new Bootstrap().group(group).channel(DatagramChannel.class)
                    .option(DatagramChannelOption.UDP_GRO, true).option(ChannelOption.AUTO_READ, false)
                    .option(soRcvMark, 1).option(soRcvPriority, 1)
                    .handler(() -> new io.panamanetty.channel.ChannelHandlerAdapter() {
                        @Override
                        public void channelRead(io.panamanetty.channel.ChannelHandlerContext ctx, Object message) {
                            io.panamanetty.channel.DatagramPacket packet = (io.panamanetty.channel.DatagramPacket) message;
                            seen.add("read " + packet.content().readableBytes() + " segments of " + packet.segmentSize());
                            packet.release();
                        }

                        @Override
                        public void exceptionCaught(io.panamanetty.channel.ChannelHandlerContext ctx, Throwable cause) {
                            seen.add(cause instanceof DatagramControlTruncatedException cut && cut.dropped()
                                    ? "dropped" : "error " + cause);
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
            DatagramChannel sender = (DatagramChannel) new Bootstrap().group(group).channel(DatagramChannel.class)
                    .bind("127.0.0.1", 0).sync().channel();
            for (int i = 0; i < 3; i++) {
                io.panamanetty.buffer.Buffer content = io.panamanetty.buffer.BufferAllocator.defaultAllocator()
                        .copyOf(new byte[3000]);
                sender.writeAndFlush(io.panamanetty.channel.DatagramPacket.segmented(content, 1000,
                        receiver.localAddress())).sync();
            }
            receiver.read();   // the three coalesced datagrams wait in the socket: one recvmmsg takes them all
            for (int i = 0; i < 3; i++) {
                String outcome = seen.poll(30, TimeUnit.SECONDS);
                assertTrue("dropped".equals(outcome) || "read 3000 segments of 1000".equals(outcome),
                        "datagram " + i + ": " + outcome);
            }
            sender.close().sync();
            receiver.close().sync();
        }
    }

    @Test
    void withGroOnADatagramWhoseControlDataWasCutIsDroppedAndReported() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "udp-ctrunc-gro");
             DatagramSocket peer = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            DatagramScenario.Recorder recorder = new DatagramScenario.Recorder();
            EpollDatagramChannel server = (EpollDatagramChannel) new Bootstrap().group(group)
                    .channel(DatagramChannel.class).option(DatagramChannelOption.UDP_GRO, true)
                    .option(IP_RECVTTL, 1).option(IP_RECVTOS, 1).option(IP_PKTINFO, 1)
                    .handler(() -> recorder).bind("127.0.0.1", 0).sync().channel();
            byte[] bytes = "boundaries unknown".getBytes(StandardCharsets.US_ASCII);
            peer.send(new java.net.DatagramPacket(bytes, bytes.length, server.localAddress()));
            DatagramControlTruncatedException cut = assertInstanceOf(DatagramControlTruncatedException.class,
                    recorder.nextError());
            assertTrue(cut.dropped(), cut.getMessage());
            assertTrue(cut.getMessage().contains("UDP_GRO"), cut.getMessage());
            assertNull(recorder.packets.poll(), "the datagram was passed on");   // it would have come first
            assertEquals(1L, onLoop(server, () -> server.controlTruncations));
            server.close().sync();
        }
    }

    @Test
    void controlDataThatFitsIsNotReported() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "udp-cfits");
             DatagramSocket peer = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            DatagramScenario.Recorder recorder = new DatagramScenario.Recorder();
            EpollDatagramChannel server = (EpollDatagramChannel) new Bootstrap().group(group)
                    .channel(DatagramChannel.class).option(IP_RECVTTL, 1).option(IP_RECVTOS, 1)
                    .handler(() -> recorder).bind("127.0.0.1", 0).sync().channel();
            byte[] bytes = "ttl".getBytes(StandardCharsets.US_ASCII);
            peer.send(new java.net.DatagramPacket(bytes, bytes.length, server.localAddress()));
            assertEquals("ttl", new String(recorder.next().bytes(), StandardCharsets.US_ASCII));
            assertEquals(0L, onLoop(server, () -> server.controlTruncations));
            assertNull(recorder.errors.poll(), "control data that fits was reported as cut");
            server.close().sync();
        }
    }

    private static long onLoop(EpollDatagramChannel channel, java.util.function.LongSupplier read) throws Exception {
        CompletableFuture<Long> result = new CompletableFuture<>();
        channel.eventLoop().execute(() -> result.complete(read.getAsLong()));
        return result.get(30, TimeUnit.SECONDS);
    }
}
