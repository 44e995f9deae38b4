package io.panamanetty.handler.traffic;

import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.handler.stream.ChunkedFile;
import io.panamanetty.handler.stream.ChunkedStream;
import io.panamanetty.handler.stream.ChunkedWriteHandler;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shaping handlers against real sockets: bytes per counter interval near the limit while
 * a transfer runs, held writes bounded by the water marks, and a read limit holding a fast
 * sender back (with auto-read on, and with an application that reads on demand).
 */
@ExtendWith(LeakCheck.class)
class TrafficShapingOverSocketTest {
    private static final int TIMEOUT_SECONDS = 30;
    private static final long MIB = 1024 * 1024;
    private static final long LIMIT = MIB;   // bytes per second
    private static final long INTERVAL_MILLIS = 500;
    private static final int MESSAGE = 16 * 1024;
    private static final int HIGH_WATER_MARK = 64 * 1024;
    private static final double TOLERANCE = 0.25;

    /** Writes {@code total} bytes in messages of {@link #MESSAGE} while the channel is writable; tracks the bytes held. */
    private static final class Producer extends ChannelHandlerAdapter {
        final long total;
        final AbstractTrafficShapingHandler shaping;
        final AtomicLong maxHeld = new AtomicLong();
        final CompletableFuture<Void> allWritten = new CompletableFuture<>();
        private long sent;

        Producer(long total, AbstractTrafficShapingHandler shaping) {
            this.total = total;
            this.shaping = shaping;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            writeMore(ctx);
            ctx.fireChannelActive();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            writeMore(ctx);
            ctx.fireChannelWritabilityChanged();
        }

        private void writeMore(ChannelHandlerContext ctx) {
            while (sent < total && ctx.channel().isWritable()) {
                int length = (int) Math.min(MESSAGE, total - sent);
                Buffer buffer = ctx.alloc().allocate(length).writeBytes(new byte[length]);
                sent += length;
                ctx.write(buffer).addListener(f -> {
                    if (!f.isSuccess()) {
                        allWritten.completeExceptionally(f.cause());
                    }
                });
                maxHeld.accumulateAndGet(shaping.heldBytes(ctx.channel()), Math::max);
            }
            if (sent == total) {
                ctx.flush();
                allWritten.complete(null);
            }
        }
    }

    /** Counts the bytes read; with {@code onDemand}, turns auto-read off and asks for each read itself. */
    private static final class Sink extends ChannelHandlerAdapter {
        final boolean onDemand;
        final AtomicLong received = new AtomicLong();
        final CompletableFuture<Channel> channel = new CompletableFuture<>();

        Sink(boolean onDemand) {
            this.onDemand = onDemand;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (onDemand) {
                ctx.channel().config().setAutoRead(false);
                ctx.read();
            }
            channel.complete(ctx.channel());
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            received.addAndGet(((Buffer) message).readableBytes());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (onDemand) {
                ctx.read();
            }
        }
    }

    private static Channel bind(EventLoopGroup group, Supplier<List<ChannelHandler>> handlers) throws Exception {
        return new ServerBootstrap().group(group)
                .childOption(ChannelOption.WRITE_BUFFER_HIGH_WATER_MARK, HIGH_WATER_MARK)
                .childOption(ChannelOption.WRITE_BUFFER_LOW_WATER_MARK, 16 * 1024)
                .childInitializer(ch -> handlers.get().forEach(ch.pipeline()::addLast))
                .bind("127.0.0.1", 0).sync().channel();
    }

    private static Socket connect(Channel server) throws IOException {
        Socket client = new Socket();
        client.setSoTimeout(TIMEOUT_SECONDS * 1000);
        client.connect(new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort()));
        return client;
    }

    private static long drain(Socket client, long expected) throws IOException {
        InputStream in = client.getInputStream();
        byte[] buffer = new byte[64 * 1024];
        long received = 0;
        while (received < expected) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            received += n;
        }
        return received;
    }

    private static void awaitTrue(Supplier<Boolean> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!condition.get()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
            Thread.sleep(5);
        }
    }

    @Test
    void aWriteLimitHoldsAFastWriterToItsRateWithHeldBytesBounded() throws Exception {
        long total = 4 * MIB;
        Windows windows = new Windows();
        List<Producer> producers = new CopyOnWriteArrayList<>();   // added on the loops, read here
        try (EventLoopGroup group = new EventLoopGroup(1, "shaping-write")) {
            Channel server = bind(group, () -> {
                ChannelTrafficShapingHandler shaping = new ChannelTrafficShapingHandler(LIMIT, 0, INTERVAL_MILLIS) {
                    @Override
                    protected void doAccounting(TrafficCounter counter) {
                        windows.record(counter, false);
                    }
                };
                Producer producer = new Producer(total, shaping);
                producers.add(producer);
                return List.of(shaping, producer);
            });
            try (Socket client = connect(server)) {
                assertEquals(total, drain(client, total), "every byte arrived");
            }
            Producer producer = producers.getFirst();
            producer.allWritten.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals(total, producer.shaping.trafficCounter().cumulativeWrittenBytes());
            List<Long> inside = windows.assertNearLimit(total, LIMIT, INTERVAL_MILLIS, TOLERANCE, MESSAGE, 4);
            System.out.println("write shaping at " + LIMIT + " B/s, bytes per " + INTERVAL_MILLIS + " ms: " + inside
                    + ", most bytes held " + producer.maxHeld.get());
            assertTrue(producer.maxHeld.get() <= HIGH_WATER_MARK + MESSAGE,
                    "held writes stayed within the high water mark and a message: " + producer.maxHeld.get());
            assertTrue(producer.maxHeld.get() > 0, "writes were held");
            server.close().sync();
        }
    }

    private void readShaping(boolean onDemand) throws Exception {
        long total = 4 * MIB;
        Windows windows = new Windows();
        List<Sink> sinks = new CopyOnWriteArrayList<>();   // added on the loop, read here
        try (EventLoopGroup group = new EventLoopGroup(1, "shaping-read")) {
            Channel server = bind(group, () -> {
                Sink sink = new Sink(onDemand);
                sinks.add(sink);
                return List.of(new ChannelTrafficShapingHandler(0, LIMIT, INTERVAL_MILLIS) {
                    @Override
                    protected void doAccounting(TrafficCounter counter) {
                        windows.record(counter, true);
                    }
                }, sink);
            });
            try (Socket client = connect(server)) {
                OutputStream out = client.getOutputStream();
                byte[] chunk = new byte[64 * 1024];
                for (long sent = 0; sent < total; sent += chunk.length) {
                    out.write(chunk);   // blocks while the server's paused reads hold TCP back
                }
                awaitTrue(() -> !sinks.isEmpty() && sinks.getFirst().received.get() == total, "all bytes read");
                Channel child = sinks.getFirst().channel.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (onDemand) {
                    assertFalse(child.config().isAutoRead(), "the application's auto-read off was left alone");
                } else {
                    awaitTrue(() -> child.config().isAutoRead(), "auto-read back on after the last pause");
                }
            }
            List<Long> inside = windows.assertNearLimit(total, LIMIT, INTERVAL_MILLIS, TOLERANCE, 64 * 1024, 4);
            System.out.println("read shaping at " + LIMIT + " B/s" + (onDemand ? " (reads on demand)" : "")
                    + ", bytes per " + INTERVAL_MILLIS + " ms: " + inside);
            server.close().sync();
        }
    }

    @Test
    void aReadLimitPausesAutoReadAndHoldsAFastSenderToItsRate() throws Exception {
        readShaping(false);
    }

    @Test
    void aReadLimitHoldsBackTheReadRequestsOfAnApplicationThatReadsOnDemand() throws Exception {
        readShaping(true);
    }

    @Test
    void aGlobalWriteLimitIsSharedByChannelsOnSeveralLoops() throws Exception {
        long perChannel = 2 * MIB;
        long total = 2 * perChannel;
        Windows windows = new Windows();
        List<Producer> producers = new CopyOnWriteArrayList<>();   // added on the loops, read here
        try (EventLoopGroup group = new EventLoopGroup(2, "shaping-global")) {
            GlobalTrafficShapingHandler shaping = new GlobalTrafficShapingHandler(group.next(), LIMIT, 0,
                    INTERVAL_MILLIS) {
                @Override
                protected void doAccounting(TrafficCounter counter) {
                    windows.record(counter, false);
                }
            };
            try {
                Channel server = bind(group, () -> {
                    Producer producer = new Producer(perChannel, shaping);
                    synchronized (producers) {
                        producers.add(producer);
                    }
                    return List.of(shaping, producer);
                });
                CompletableFuture<Long> first;
                try (Socket a = connect(server); Socket b = connect(server)) {
                    first = CompletableFuture.supplyAsync(() -> {
                        try {
                            return drain(a, perChannel);
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    assertEquals(perChannel, drain(b, perChannel));
                    assertEquals(perChannel, first.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                }
                for (Producer producer : producers) {
                    producer.allWritten.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                }
                assertEquals(total, shaping.trafficCounter().cumulativeWrittenBytes());
                List<Long> inside = windows.assertNearLimit(total, LIMIT, INTERVAL_MILLIS, TOLERANCE, 2 * MESSAGE, 4);
                System.out.println("global write shaping at " + LIMIT + " B/s over 2 channels, bytes per "
                        + INTERVAL_MILLIS + " ms: " + inside);
                server.close().sync();
            } finally {
                shaping.release();
            }
        }
    }
    @Test
    void aGlobalReadLimitIsSharedByChannelsOnSeveralLoops() throws Exception {
        long perChannel = 2 * MIB;
        long total = 2 * perChannel;
        Windows windows = new Windows();
        List<Sink> sinks = new CopyOnWriteArrayList<>();   // added on the loop, read here
        try (EventLoopGroup group = new EventLoopGroup(2, "shaping-global-read")) {
            GlobalTrafficShapingHandler shaping = new GlobalTrafficShapingHandler(group.next(), 0, LIMIT,
                    INTERVAL_MILLIS) {
                @Override
                protected void doAccounting(TrafficCounter counter) {
                    windows.record(counter, true);
                }
            };
            try {
                Channel server = bind(group, () -> {
                    Sink sink = new Sink(false);
                    synchronized (sinks) {
                        sinks.add(sink);
                    }
                    return List.of(shaping, sink);
                });
                try (Socket a = connect(server); Socket b = connect(server)) {
                    CompletableFuture<Void> sendingA = CompletableFuture.runAsync(() -> send(a, perChannel));
                    send(b, perChannel);
                    sendingA.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    awaitTrue(() -> {
                        synchronized (sinks) {
                            return sinks.size() == 2 && sinks.stream().allMatch(s -> s.received.get() == perChannel);
                        }
                    }, "all bytes of both channels read");
                }
                assertEquals(total, shaping.trafficCounter().cumulativeReadBytes());
                List<Long> inside = windows.assertNearLimit(total, LIMIT, INTERVAL_MILLIS, TOLERANCE, 2 * 64 * 1024,
                        4);
                System.out.println("global read shaping at " + LIMIT + " B/s over 2 channels, bytes per "
                        + INTERVAL_MILLIS + " ms: " + inside);
                server.close().sync();
            } finally {
                shaping.release();
            }
        }
    }

    private static void send(Socket client, long total) {
        try {
            OutputStream out = client.getOutputStream();
            byte[] chunk = new byte[64 * 1024];
            for (long sent = 0; sent < total; sent += chunk.length) {
                out.write(chunk);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aChunkedTransferThroughAWriteLimitKeepsToTheRateWithBoundedMemory() throws Exception {
        byte[] content = new byte[(int) (2 * MIB)];
        new Random(21).nextBytes(content);
        Windows windows = new Windows();
        AtomicLong maxHeld = new AtomicLong();
        CompletableFuture<ChannelFuture> transfer = new CompletableFuture<>();
        try (EventLoopGroup group = new EventLoopGroup(1, "shaping-chunked")) {
            Channel server = bind(group, () -> {
                ChannelTrafficShapingHandler shaping = new ChannelTrafficShapingHandler(LIMIT, 0, INTERVAL_MILLIS) {
                    @Override
                    protected void doAccounting(TrafficCounter counter) {
                        windows.record(counter, false);
                    }
                };
                ChunkedWriteHandler chunked = new ChunkedWriteHandler((input, progress, length) ->
                        maxHeld.accumulateAndGet(shaping.heldBytes(), Math::max));
                return List.of(shaping, chunked, new ChannelHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        transfer.complete(ctx.writeAndFlush(new ChunkedStream(new ByteArrayInputStream(content))));
                        ctx.fireChannelActive();
                    }
                });
            });
            try (Socket client = connect(server)) {
                byte[] received = client.getInputStream().readNBytes(content.length);
                assertArrayEquals(content, received, "every byte, in order");
            }
            ChannelFuture done = transfer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertTrue(done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS) && done.isSuccess(), "the transfer succeeded");
            List<Long> inside = windows.assertNearLimit(content.length, LIMIT, INTERVAL_MILLIS, TOLERANCE,
                    ChunkedFile.DEFAULT_CHUNK_SIZE, 2);
            System.out.println("chunked through write shaping at " + LIMIT + " B/s, bytes per " + INTERVAL_MILLIS
                    + " ms: " + inside + ", most bytes held " + maxHeld.get());
            assertTrue(maxHeld.get() <= HIGH_WATER_MARK + ChunkedFile.DEFAULT_CHUNK_SIZE,
                    "the chunks held by the shaper stayed within the high water mark and a chunk: " + maxHeld.get());
            server.close().sync();
        }
    }
}
