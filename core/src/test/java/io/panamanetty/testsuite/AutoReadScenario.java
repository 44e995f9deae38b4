package io.panamanetty.testsuite;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import io.panamanetty.channel.StreamChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With auto-read off a channel reads only when asked, about one batch per
 * {@link Channel#read()}; auto-read can be turned back on; an idle channel with
 * auto-read off does not spin its loop, even after the peer's FIN.
 */
@ExtendWith(LeakCheck.class)
public abstract class AutoReadScenario extends TransportScenario {
    private static final long TIMEOUT_SECONDS = 30;
    private static final int MAX_MESSAGES_PER_READ = 16;

    /** Records what a channel reads. */
    static class Reader extends ChannelHandlerAdapter {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger batches = new AtomicInteger();
        final AtomicInteger inactive = new AtomicInteger();
        final CompletableFuture<Channel> active = new CompletableFuture<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile Thread loopThread;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            loopThread = Thread.currentThread();
            active.complete(ctx.channel());
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            Buffer buffer = (Buffer) message;
            byte[] copy = new byte[buffer.readableBytes()];
            buffer.getBytes(buffer.readerIndex(), copy, 0, copy.length);
            synchronized (bytes) {
                bytes.writeBytes(copy);
            }
            reads.incrementAndGet();
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            batches.incrementAndGet();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inactive.incrementAndGet();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failure.compareAndSet(null, cause);
        }

        int byteCount() {
            synchronized (bytes) {
                return bytes.size();
            }
        }

        byte[] received() {
            synchronized (bytes) {
                return bytes.toByteArray();
            }
        }
    }

    private Channel bind(EventLoopGroup group, Reader reader, boolean autoRead) throws InterruptedException {
        return transport().serverBootstrap().group(group).childHandler(() -> reader)
                .childOption(ChannelOption.AUTO_READ, autoRead)
                .bind(transport().serverAddress()).sync().channel();
    }

    private static StreamPeer connect(Channel server) throws IOException {
        return StreamPeer.connect(server.localAddress());
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for: " + what);
            Thread.sleep(5);
        }
    }

    private static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Sends {@code data} from its own thread (the server may not be reading); joins on close. */
    private static final class Sender implements AutoCloseable {
        final Thread thread;
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Sender(StreamPeer socket, byte[] data, boolean finish) {
            thread = Thread.ofPlatform().name("auto-read-sender").start(() -> {
                try {
                    OutputStream out = socket.out();
                    for (int offset = 0; offset < data.length; offset += 16 * 1024) {
                        out.write(data, offset, Math.min(16 * 1024, data.length - offset));
                    }
                    out.flush();
                    if (finish) {
                        socket.shutdownOutput();
                    }
                } catch (IOException e) {
                    failure.set(e);
                }
            });
        }

        void join() throws InterruptedException {
            thread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            assertFalse(thread.isAlive(), "sender finished");
            assertNull(failure.get());
        }

        @Override
        public void close() {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    public void withAutoReadOffReadsHappenOnlyOnRequestThenAutoReadResumes() throws Exception {
        Reader reader = new Reader();
        byte[] data = random(48 * 1024, 1);
        try (EventLoopGroup group = transport().newGroup(1, "auto-read-off")) {
            Channel server = bind(group, reader, false);
            try (StreamPeer client = connect(server)) {
                client.out().write(data);
                client.out().flush();
                Channel channel = reader.active.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertFalse(channel.config().isAutoRead());

                Thread.sleep(300);
                assertEquals(0, reader.reads.get(), "nothing read before read() was called");

                for (int i = 1; i <= 3; i++) {
                    int batch = i;
                    channel.read();
                    await(() -> reader.batches.get() >= batch, "batch " + batch);
                    Thread.sleep(200);
                    assertEquals(batch, reader.batches.get(), "one batch per read()");
                    assertTrue(reader.reads.get() <= batch * MAX_MESSAGES_PER_READ);
                    assertTrue(reader.byteCount() < data.length, "not everything read by " + batch + " read()s");
                }

                channel.config().setAutoRead(true);
                await(() -> reader.byteCount() >= data.length, "the rest once auto-read is back on");
                assertArrayEquals(data, reader.received());
                assertNull(reader.failure.get());
            }
            server.close().sync();
        }
    }

    @Test
    public void readingOneBatchAtATimeFromTheHandler() throws Exception {
        Reader reader = new Reader() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                super.channelActive(ctx);
                ctx.read();
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                super.channelReadComplete(ctx);
                ctx.read();   // the next batch once this one is dealt with
            }
        };
        byte[] data = random(1024 * 1024, 2);
        try (EventLoopGroup group = transport().newGroup(1, "read-per-batch")) {
            Channel server = bind(group, reader, false);
            try (StreamPeer client = connect(server); Sender sender = new Sender(client, data, false)) {
                await(() -> reader.byteCount() >= data.length, "all bytes, batch by batch");
                sender.join();
                assertArrayEquals(data, reader.received());
                assertNull(reader.failure.get());
            }
            server.close().sync();
        }
    }

    @Test
    public void turningAutoReadOffStopsReadingAndOnAgainResumes() throws Exception {
        int stopAfter = 64 * 1024;
        Reader reader = new Reader() {
            private boolean turnedOff;

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object message) {
                super.channelRead(ctx, message);
                if (byteCount() >= stopAfter && !turnedOff) {
                    turnedOff = true;
                    ctx.channel().config().setAutoRead(false);
                }
            }
        };
        byte[] data = random(2 * 1024 * 1024, 3);
        try (EventLoopGroup group = transport().newGroup(1, "auto-read-toggle")) {
            Channel server = bind(group, reader, true);
            try (StreamPeer client = connect(server); Sender sender = new Sender(client, data, false)) {
                Channel channel = reader.active.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                await(() -> !channel.config().isAutoRead(), "auto-read turned off by the handler");
                Thread.sleep(300);
                // and the loop is past the turn that turned it off, however late it ran
                for (int i = 0; i < 2; i++) {
                    channel.eventLoop().submit(() -> { }).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                }
                int stalledAt = reader.byteCount();
                Thread.sleep(300);
                assertEquals(stalledAt, reader.byteCount(), "no reads while auto-read is off");
                assertTrue(stalledAt < data.length);

                channel.config().setAutoRead(true);
                await(() -> reader.byteCount() >= data.length, "everything once auto-read is back on");
                sender.join();
                assertArrayEquals(data, reader.received());
            }
            server.close().sync();
        }
    }

    @Test
    public void peerFinWithAutoReadOffDoesNotSpinTheLoop() throws Exception {
        Reader reader = new Reader();
        try (EventLoopGroup group = transport().newGroup(1, "fin-auto-read-off")) {
            Channel server = bind(group, reader, false);
            try (StreamPeer client = connect(server)) {
                client.out().write("abc".getBytes(StandardCharsets.US_ASCII));
                client.shutdownOutput();   // FIN
                Channel channel = reader.active.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                Thread loopThread = reader.loopThread;

                Thread.sleep(200);
                long cpu = cpuNanosOver(loopThread, 1_000);
                assertTrue(cpu < TimeUnit.MILLISECONDS.toNanos(300),
                        "idle loop with a pending FIN used " + cpu / 1_000_000 + " ms of CPU in 1 s");
                assertEquals(0, reader.reads.get());
                assertTrue(channel.isOpen());

                channel.read();
                await(() -> reader.byteCount() >= 3, "the bytes before the FIN");
                assertEquals("abc", new String(reader.received(), StandardCharsets.US_ASCII));

                Thread.sleep(200);
                cpu = cpuNanosOver(loopThread, 1_000);
                assertTrue(cpu < TimeUnit.MILLISECONDS.toNanos(300),
                        "idle loop after reading up to the FIN used " + cpu / 1_000_000 + " ms of CPU in 1 s");

                for (int i = 0; i < 10 && channel.isOpen(); i++) {
                    channel.read();
                    channel.closeFuture().await(1, TimeUnit.SECONDS);
                }
                assertTrue(channel.closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                        "reading the FIN closes the channel");
                await(() -> reader.inactive.get() == 1, "channelInactive");
                assertEquals(-1, client.in().read());
            }
            server.close().sync();
        }
    }

    @Test
    public void peerHangUpWithAutoReadOffWaitsForReadWithoutSpinning() throws Exception {
        Reader reader = new Reader();
        try (EventLoopGroup group = transport().newGroup(1, "hup-auto-read-off")) {
            Channel server = transport().serverBootstrap().group(group).childHandler(() -> reader)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .bind(transport().serverAddress()).sync().channel();
            try (StreamPeer client = connect(server)) {
                client.out().write("abc".getBytes(StandardCharsets.US_ASCII));
                Channel channel = reader.active.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertTrue(((StreamChannel) channel).shutdownOutput().await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                assertEquals(-1, client.in().read(), "the server's FIN");
                client.shutdownOutput();   // both directions done: the server's socket reports a hang-up
                Thread loopThread = reader.loopThread;

                Thread.sleep(200);
                long cpu = cpuNanosOver(loopThread, 1_000);
                assertTrue(cpu < TimeUnit.MILLISECONDS.toNanos(300),
                        "idle loop with a pending hang-up used " + cpu / 1_000_000 + " ms of CPU in 1 s");
                assertEquals(0, reader.reads.get(), "nothing is read before read() is called");
                assertTrue(channel.isOpen());

                channel.read();
                await(() -> reader.byteCount() >= 3, "the bytes before the hang-up");
                assertEquals("abc", new String(reader.received(), StandardCharsets.US_ASCII));
                for (int i = 0; i < 10 && channel.isOpen(); i++) {
                    channel.read();
                    channel.closeFuture().await(1, TimeUnit.SECONDS);
                }
                assertTrue(channel.closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                        "reading the end of input closes the half-closed channel");
                await(() -> reader.inactive.get() == 1, "channelInactive");
                assertNull(reader.failure.get());
            }
            server.close().sync();
        }
    }

    @Test
    public void turningAutoReadOffWhileConnectingDoesNotStallTheConnect() throws Exception {
        try (EventLoopGroup group = transport().newGroup(1, "auto-read-connecting")) {
            Channel server = transport().serverBootstrap().group(group).bind(transport().serverAddress())
                    .sync().channel();
            SocketAddress address = server.localAddress();

            // From the channel's own channelRegistered (fired while the connect is in flight).
            Reader inRegistered = new Reader() {
                @Override
                public void channelRegistered(ChannelHandlerContext ctx) {
                    ctx.channel().config().setAutoRead(false);
                    ctx.fireChannelRegistered();
                }
            };
            ChannelFuture first = transport().bootstrap().group(group).handler(() -> inRegistered)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000).connect(address);
            assertTrue(first.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertTrue(first.isSuccess(), "connected: " + first);

            // From another thread right after connect() returned.
            Reader fromOutside = new Reader();
            ChannelFuture second = transport().bootstrap().group(group).handler(() -> fromOutside)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000).connect(address);
            second.channel().config().setAutoRead(false);
            second.channel().read();
            assertTrue(second.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertTrue(second.isSuccess(), "connected: " + second);

            // The read requested while connecting is served once connected.
            second.channel().writeAndFlush("echo me");
            await(() -> fromOutside.byteCount() >= "echo me".length(), "the echo");
            assertEquals("echo me", new String(fromOutside.received(), StandardCharsets.US_ASCII));

            first.channel().close().sync();
            second.channel().close().sync();
            server.close().sync();
        }
    }

    /**
     * The CPU time {@code thread} uses while this thread sleeps {@code millis}. Reflective,
     * as the test classes are compiled into the core module, which does not read java.management.
     */
    private static long cpuNanosOver(Thread thread, long millis) throws Exception {
        Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        java.lang.reflect.Method cpuTime = Class.forName("java.lang.management.ThreadMXBean")
                .getMethod("getThreadCpuTime", long.class);
        long before = (long) cpuTime.invoke(bean, thread.threadId());
        requireEnvironment(before >= 0, "thread CPU time measurement");
        Thread.sleep(millis);
        long after = (long) cpuTime.invoke(bean, thread.threadId());
        return after - before;
    }
}
