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

    private static long[] onLoop(EpollDatagramChannel channel, java.util.function.Supplier<long[]> read)
            throws Exception {
        CompletableFuture<long[]> result = new CompletableFuture<>();
        channel.eventLoop().execute(() -> result.complete(read.get()));
        return result.get(30, TimeUnit.SECONDS);
    }
}
