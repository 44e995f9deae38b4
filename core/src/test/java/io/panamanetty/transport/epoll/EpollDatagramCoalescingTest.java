package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Datagrams;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.DatagramChannel;
import io.panamanetty.channel.DatagramChannelOption;
import io.panamanetty.channel.DatagramPacket;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import io.panamanetty.testsuite.DatagramScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coalescing on loopback ({@code UDP_SEGMENT_COALESCING}): the writes of one flush that are
 * runs of equal datagrams to one peer leave as one message a run, and a plain JDK receiver
 * (no {@code UDP_GRO}) still gets every datagram on its own, byte for byte, in order; mixed
 * sizes, recipients, empty and application-segmented datagrams keep their boundaries; a
 * socket that refuses segmentation ({@code SO_NO_CHECK}) delivers everything one by one.
 */
@ExtendWith(LeakCheck.class)
class EpollDatagramCoalescingTest {
    @Test
    void aBurstOfEqualDatagramsLeavesInFewMessagesAndArrivesAsEachDatagram() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "udp-coalesce");
             java.net.DatagramSocket receiver = receiver("127.0.0.1")) {
            EpollDatagramChannel sender = sender(group, "127.0.0.1", true);
            List<byte[]> burst = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                burst.add(payload(i, i == 199 ? 333 : 1_200));   // the last shorter: still one run's end
            }
            long[] before = counters(sender);
            sendInOneFlush(sender, burst, address(receiver));
            assertArrive(receiver, burst);
            long[] after = counters(sender);
            assertEquals(200, after[1] - before[1], "datagrams sent");
            long messages = after[0] - before[0];
            // 54 datagrams of 1,200 bytes fit in 65,507: at least 4 messages, and far fewer than 200
            assertTrue(messages >= 4 && messages <= 8, messages + " messages for 200 datagrams");
            sender.close().sync();
        }
    }

    @Test
    void mixedSizesRecipientsEmptyAndSegmentedDatagramsKeepOrderAndBoundaries() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "udp-coalesce-mix");
             java.net.DatagramSocket first = receiver("127.0.0.1");
             java.net.DatagramSocket second = receiver("127.0.0.1")) {
            EpollDatagramChannel sender = sender(group, "127.0.0.1", true);
            int[] sizes = {100, 100, 100, 50, 100, 100, 0, 0, 200, 200, 300, 300, 300, 32, 32, 32, 32, 32, 7, 8, 8};
            List<byte[]> toFirst = new ArrayList<>();
            List<byte[]> toSecond = new ArrayList<>();
            List<Object> writes = new ArrayList<>();
            for (int i = 0; i < sizes.length; i++) {
                boolean one = (i / 3) % 2 == 0 || i >= 13;   // runs broken by the recipient too
                byte[] bytes = payload(i, sizes[i]);
                (one ? toFirst : toSecond).add(bytes);
                writes.add(new DatagramPacket(BufferAllocator.defaultAllocator().copyOf(bytes),
                        address(one ? first : second)));
                if (i == 15) {   // the application's own segmented packet amid a run: left as it is
                    byte[] whole = payload(99, 96);
                    for (int s = 0; s < 3; s++) {
                        toFirst.add(Arrays.copyOfRange(whole, s * 32, s * 32 + 32));
                    }
                    writes.add(DatagramPacket.segmented(BufferAllocator.defaultAllocator().copyOf(whole), 32,
                            address(first)));
                }
            }
            List<ChannelFuture> futures = writeInOneFlush(sender, writes);
            for (ChannelFuture future : futures) {
                assertTrue(future.await(30, TimeUnit.SECONDS) && future.isSuccess(), String.valueOf(future.cause()));
            }
            assertArrive(first, toFirst);
            assertArrive(second, toSecond);
            sender.close().sync();
        }
    }

    @Test
    void aConnectedIpv6SocketCoalescesToItsPeer() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "udp-coalesce-v6");
             java.net.DatagramSocket receiver = receiver("::1")) {
            EpollDatagramChannel sender = (EpollDatagramChannel) new Bootstrap().group(group)
                    .channel(DatagramChannel.class).handler(DatagramScenario.Recorder::new)
                    .connect("::1", receiver.getLocalPort()).sync().channel();
            List<byte[]> burst = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                burst.add(payload(i, i < 90 ? 32 : 31));   // two runs: 90 (64 + 26 with the 31), then 9 of 31
            }
            long[] before = counters(sender);
            List<Object> writes = new ArrayList<>();
            for (byte[] bytes : burst) {
                writes.add(BufferAllocator.defaultAllocator().copyOf(bytes));
            }
            for (ChannelFuture future : writeInOneFlush(sender, writes)) {
                assertTrue(future.await(30, TimeUnit.SECONDS) && future.isSuccess(), String.valueOf(future.cause()));
            }
            assertArrive(receiver, burst);
            long[] after = counters(sender);
            assertEquals(100, after[1] - before[1]);
            assertEquals(3, after[0] - before[0], "messages: 64, 27 (the 31-byte one ends it) and the other 9");
            sender.close().sync();
        }
    }

    @Test
    void offEveryDatagramIsAMessage() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "udp-coalesce-off");
             java.net.DatagramSocket receiver = receiver("127.0.0.1")) {
            EpollDatagramChannel sender = sender(group, "127.0.0.1", false);
            assertEquals(false, sender.config().getOption(DatagramChannelOption.UDP_SEGMENT_COALESCING));
            List<byte[]> burst = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                burst.add(payload(i, 64));
            }
            long[] before = counters(sender);
            sendInOneFlush(sender, burst, address(receiver));
            assertArrive(receiver, burst);
            long[] after = counters(sender);
            assertEquals(50, after[0] - before[0]);
            assertEquals(50, after[1] - before[1]);
            sender.close().sync();
        }
    }

    /** {@code SO_NO_CHECK}: the kernel refuses {@code UDP_SEGMENT} (EINVAL); every datagram still arrives. */
    @Test
    void aSocketThatRefusesSegmentationDeliversEverythingOneByOne() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "udp-coalesce-nocheck");
             java.net.DatagramSocket receiver = receiver("127.0.0.1")) {
            EpollDatagramChannel sender = sender(group, "127.0.0.1", true);
            CompletableFuture<Void> noChecksums = new CompletableFuture<>();
            sender.eventLoop().execute(() -> {
                try {
                    Sockets.setInt(sender.fd(), Sockets.SOL_SOCKET, Datagrams.SO_NO_CHECK, 1);
                    noChecksums.complete(null);
                } catch (Exception e) {
                    noChecksums.completeExceptionally(e);
                }
            });
            noChecksums.get(30, TimeUnit.SECONDS);
            for (int round = 0; round < 2; round++) {   // the refusal, then one by one from the start
                List<byte[]> burst = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    burst.add(payload(round * 1000 + i, 500));
                }
                long[] before = counters(sender);
                sendInOneFlush(sender, burst, address(receiver));
                assertArrive(receiver, burst);
                long[] after = counters(sender);
                assertEquals(100, after[1] - before[1]);
                if (round == 1) {
                    assertEquals(100, after[0] - before[0], "coalescing stopped after the refusal");
                }
            }
            sender.close().sync();
        }
    }

    private static void sendInOneFlush(EpollDatagramChannel sender, List<byte[]> burst, InetSocketAddress to)
            throws Exception {
        List<Object> writes = new ArrayList<>();
        for (byte[] bytes : burst) {
            writes.add(new DatagramPacket(BufferAllocator.defaultAllocator().copyOf(bytes), to));
        }
        for (ChannelFuture future : writeInOneFlush(sender, writes)) {
            assertTrue(future.await(30, TimeUnit.SECONDS) && future.isSuccess(), String.valueOf(future.cause()));
        }
    }

    /** Writes all on the loop, then flushes once: one flush's writes. */
    private static List<ChannelFuture> writeInOneFlush(EpollDatagramChannel sender, List<Object> writes)
            throws Exception {
        CompletableFuture<List<ChannelFuture>> written = new CompletableFuture<>();
        sender.eventLoop().execute(() -> {
            List<ChannelFuture> futures = new ArrayList<>();
            for (Object message : writes) {
                futures.add(sender.write(message));
            }
            sender.flush();
            written.complete(futures);
        });
        return written.get(30, TimeUnit.SECONDS);
    }

    /** The sender's messages and datagrams sent, read on its loop. */
    private static long[] counters(EpollDatagramChannel channel) throws Exception {
        CompletableFuture<long[]> counts = new CompletableFuture<>();
        channel.eventLoop().execute(() -> counts.complete(new long[] {channel.messagesSent, channel.datagramsSent}));
        return counts.get(30, TimeUnit.SECONDS);
    }

    private static EpollDatagramChannel sender(EventLoopGroup group, String host, boolean coalescing)
            throws InterruptedException {
        return (EpollDatagramChannel) new Bootstrap().group(group).channel(DatagramChannel.class)
                .option(DatagramChannelOption.UDP_SEGMENT_COALESCING, coalescing)
                .handler(DatagramScenario.Recorder::new).bind(host, 0).sync().channel();
    }

    private static java.net.DatagramSocket receiver(String host) throws Exception {
        java.net.DatagramSocket socket = new java.net.DatagramSocket(0, InetAddress.getByName(host));
        socket.setReceiveBufferSize(4 << 20);
        socket.setSoTimeout(30_000);
        return socket;
    }

    private static InetSocketAddress address(java.net.DatagramSocket socket) {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private static byte[] payload(int seed, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed * 31 + i * 7 + (seed >> 8));
        }
        return bytes;
    }

    private static void assertArrive(java.net.DatagramSocket receiver, List<byte[]> expected) throws Exception {
        byte[] room = new byte[65_536];
        for (int i = 0; i < expected.size(); i++) {
            java.net.DatagramPacket datagram = new java.net.DatagramPacket(room, room.length);
            receiver.receive(datagram);
            assertArrayEquals(expected.get(i), Arrays.copyOf(datagram.getData(), datagram.getLength()),
                    "datagram " + i);
        }
    }
}
