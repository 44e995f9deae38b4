package io.panamanetty.transport.epoll;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.DatagramChannel;
import io.panamanetty.channel.DatagramPacket;
import io.panamanetty.channel.EventLoopGroup;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The send side under a full socket buffer, run by {@link EpollDatagramBackpressureTest} in a
 * network namespace where {@code v0} sends through a slow {@code tbf} queue to a neighbour
 * ({@code fd00::99}) with a fixed link-layer address: with a small {@code SO_SNDBUF}, the
 * datagrams queued there hold the socket's send memory, {@code sendmmsg} meets {@code EAGAIN},
 * the channel waits for EPOLLOUT and turns unwritable, and still every datagram leaves.
 * Prints {@code backpressure ok} and the counts, or throws.
 */
public final class DatagramBackpressureProbe {
    private static final int COUNT = 300;
    private static final int SIZE = 1_000;

    private DatagramBackpressureProbe() {
    }

    /** Sends the datagrams and checks what happened. */
    public static void main(String[] args) throws Exception {
        long txBefore = txPackets();
        AtomicInteger unwritable = new AtomicInteger();
        AtomicInteger writableAgain = new AtomicInteger();
        try (EventLoopGroup group = new EventLoopGroup(1, "udp-full")) {
            EpollDatagramChannel sender = (EpollDatagramChannel) new Bootstrap().group(group)
                    .channel(DatagramChannel.class).option(ChannelOption.SO_SNDBUF, 4_096)
                    .option(ChannelOption.WRITE_BUFFER_HIGH_WATER_MARK, 16_000)
                    .option(ChannelOption.WRITE_BUFFER_LOW_WATER_MARK, 8_000)
                    .handler(() -> new ChannelHandlerAdapter() {
                        @Override
                        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                            (ctx.channel().isWritable() ? writableAgain : unwritable).incrementAndGet();
                        }
                    }).bind("fd00::1", 0).sync().channel();
            InetSocketAddress neighbour = new InetSocketAddress("fd00::99", 9);
            List<ChannelFuture> writes = new ArrayList<>();
            CompletableFuture<Void> queued = new CompletableFuture<>();
            sender.eventLoop().execute(() -> {
                for (int i = 0; i < COUNT; i++) {
                    writes.add(sender.write(new DatagramPacket(BufferAllocator.defaultAllocator()
                            .copyOf(new byte[SIZE]), neighbour)));
                }
                queued.complete(null);
            });
            queued.get(30, TimeUnit.SECONDS);
            for (ChannelFuture write : writes) {
                if (!write.await(60, TimeUnit.SECONDS) || !write.isSuccess()) {
                    throw new AssertionError("a write did not succeed: " + write.cause());
                }
            }
            CompletableFuture<long[]> counts = new CompletableFuture<>();
            sender.eventLoop().execute(() -> counts.complete(new long[] {sender.sendWaits, sender.datagramsSent}));
            long[] sent = counts.get(30, TimeUnit.SECONDS);
            long tx = txPackets() - txBefore;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (tx < COUNT && System.nanoTime() < deadline) {   // the last ones may still wait in tbf's queue
                Thread.sleep(20);
                tx = txPackets() - txBefore;
            }
            String summary = "waits " + sent[0] + ", sent " + sent[1] + ", v0 tx " + tx + ", unwritable "
                    + unwritable.get() + ", writable again " + writableAgain.get();
            if (sent[0] == 0 || sent[1] != COUNT || tx < COUNT || unwritable.get() == 0 || writableAgain.get() == 0
                    || !sender.isWritable()) {
                throw new AssertionError("expected EAGAIN waits, every datagram sent and writability back: "
                        + summary);
            }
            sender.close().sync();
            System.out.println("backpressure ok: " + summary);
        }
    }

    /** Packets {@code v0} sent, from this namespace's {@code /proc/net/dev} (sysfs shows the host's). */
    private static long txPackets() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/net/dev"))) {
            String[] parts = line.strip().split("[:\\s]+");
            if (parts[0].equals("v0")) {
                return Long.parseLong(parts[10]);   // 8 receive counters, then transmitted bytes and packets
            }
        }
        throw new AssertionError("no v0 in /proc/net/dev");
    }
}
