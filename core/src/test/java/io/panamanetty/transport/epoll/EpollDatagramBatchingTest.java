package io.panamanetty.transport.epoll;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.DatagramChannel;
import io.panamanetty.channel.DatagramChannelOption;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import io.panamanetty.testsuite.DatagramScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batching is real: datagrams written in one turn leave in few {@code sendmmsg} calls, and
 * datagrams waiting in the socket are taken by {@code recvmmsg} many at a time, up to
 * {@code DATAGRAMS_PER_RECEIVE} (seen through the channels' counters).
 */
@ExtendWith(LeakCheck.class)
class EpollDatagramBatchingTest {
    private static final int COUNT = 2_000;

    @Test
    void oneTurnsWritesLeaveInFewSendmmsgAndReadsTakeManyPerRecvmmsg() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(2, "udp-batch")) {
            DatagramScenario.Recorder recorder = new DatagramScenario.Recorder();
            EpollDatagramChannel server = (EpollDatagramChannel) new Bootstrap().group(group)
                    .channel(DatagramChannel.class).option(ChannelOption.AUTO_READ, false)
                    .option(ChannelOption.SO_RCVBUF, 8 << 20).option(DatagramChannelOption.DATAGRAMS_PER_RECEIVE, 64)
                    .handler(() -> recorder).bind("127.0.0.1", 0).sync().channel();
            EpollDatagramChannel client = (EpollDatagramChannel) new Bootstrap().group(group)
                    .channel(DatagramChannel.class).option(ChannelOption.SO_SNDBUF, 8 << 20)
                    .handler(DatagramScenario.Recorder::new)
                    .connect("127.0.0.1", server.localAddress().getPort()).sync().channel();
            client.eventLoop().execute(() -> {
                for (int i = 0; i < COUNT; i++) {
                    client.write(new byte[] {(byte) i, (byte) (i >> 8)});
                }
            });
            long[] sent = onLoop(client, () -> new long[] {client.sendCalls, client.datagramsSent});
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (sent[1] < COUNT && System.nanoTime() < deadline) {
                Thread.sleep(10);
                sent = onLoop(client, () -> new long[] {client.sendCalls, client.datagramsSent});
            }
            assertEquals(COUNT, sent[1]);
            assertTrue(sent[0] <= 4, sent[0] + " sendmmsg calls for " + COUNT + " datagrams of one turn");

            server.config().setAutoRead(true);   // they all wait in the socket buffer now
            for (int i = 0; i < COUNT; i++) {
                recorder.next();
            }
            long[] received = onLoop(server, () -> new long[] {server.receiveCalls, server.datagramsReceived});
            assertEquals(COUNT, received[1]);
            assertTrue(received[0] <= COUNT / 32, received[0] + " recvmmsg calls for " + COUNT + " datagrams");
            client.close().sync();
            server.close().sync();
        }
    }

    /**
     * The sockets of one loop share its recvmmsg and sendmmsg arrays: two echo servers of one
     * loop taking 4 and 64 datagrams per call (the shared arrays grow for the second) echo
     * interleaved bursts, every datagram back whole to the peer that sent it.
     */
    @Test
    void socketsOfOneLoopShareTheSystemCallArraysWithoutMixingTheirDatagrams() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "udp-shared-arrays");
             java.net.DatagramSocket peerA = peer(); java.net.DatagramSocket peerB = peer()) {
            DatagramChannel a = echo(group, 4);
            DatagramChannel b = echo(group, 64);
            int burst = 200;
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < burst; i++) {
                    send(peerA, a, "a" + round + ":" + i);
                    send(peerB, b, "b" + round + ":" + i);
                }
                java.util.Set<String> fromA = receive(peerA, burst);
                java.util.Set<String> fromB = receive(peerB, burst);
                for (int i = 0; i < burst; i++) {
                    assertTrue(fromA.contains("a" + round + ":" + i), "a" + round + ":" + i + " not echoed by a");
                    assertTrue(fromB.contains("b" + round + ":" + i), "b" + round + ":" + i + " not echoed by b");
                }
            }
            a.close().sync();
            b.close().sync();
        }
    }

    private static java.net.DatagramSocket peer() throws Exception {
        java.net.DatagramSocket socket = new java.net.DatagramSocket(0, java.net.InetAddress.getByName("127.0.0.1"));
        socket.setReceiveBufferSize(1 << 20);
        socket.setSoTimeout(30_000);
        return socket;
    }

    private static DatagramChannel echo(EventLoopGroup group, int perReceive) throws InterruptedException {
        return (DatagramChannel) new Bootstrap().group(group).channel(DatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, 1 << 20)
                .option(DatagramChannelOption.DATAGRAMS_PER_RECEIVE, perReceive)
                .bind("127.0.0.1", 0).sync().channel();
    }

    private static void send(java.net.DatagramSocket from, DatagramChannel to, String text) throws Exception {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        from.send(new java.net.DatagramPacket(bytes, bytes.length, to.localAddress()));
    }

    private static java.util.Set<String> receive(java.net.DatagramSocket socket, int count) throws Exception {
        java.util.Set<String> texts = new java.util.HashSet<>();
        byte[] room = new byte[100];
        for (int i = 0; i < count; i++) {
            java.net.DatagramPacket got = new java.net.DatagramPacket(room, room.length);
            socket.receive(got);
            texts.add(new String(room, 0, got.getLength(), java.nio.charset.StandardCharsets.US_ASCII));
        }
        return texts;
    }

    private static long[] onLoop(EpollDatagramChannel channel, java.util.function.Supplier<long[]> read)
            throws Exception {
        CompletableFuture<long[]> result = new CompletableFuture<>();
        channel.eventLoop().execute(() -> result.complete(read.get()));
        return result.get(30, TimeUnit.SECONDS);
    }
}
