package io.panamanetty.testsuite;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelException;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closing a channel from its own callbacks, from other threads, more than once; what
 * happens to the events and to writes afterwards.
 */
@ExtendWith(LeakCheck.class)
public abstract class CloseFromAnywhereScenario extends TransportScenario {
    private static final long TIMEOUT_SECONDS = 30;

    enum Mode { NONE, CLOSE_IN_READ, CLOSE_TWICE_IN_READ, CLOSE_IN_ACTIVE }

    /** Records the events of one channel, and closes it where told. */
    static final class Recorder extends ChannelHandlerAdapter {
        final Mode mode;
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger inactive = new AtomicInteger();
        final CompletableFuture<Channel> active = new CompletableFuture<>();
        final List<ChannelFuture> closesFromCallback = Collections.synchronizedList(new ArrayList<>());
        final CompletableFuture<ChannelFuture> writeInInactive = new CompletableFuture<>();
        volatile Buffer writtenInInactive;
        volatile CountDownLatch holdActiveUntil;
        volatile boolean writeWhenInactive;
        private volatile boolean inCallback;

        Recorder(Mode mode) {
            this.mode = mode;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            inCallback = true;
            try {
                events.add("active");
                CountDownLatch hold = holdActiveUntil;
                if (hold != null) {
                    hold.await(10, TimeUnit.SECONDS);   // lets the peer queue its bytes first
                }
                active.complete(ctx.channel());
                if (mode == Mode.CLOSE_IN_ACTIVE) {
                    closesFromCallback.add(ctx.close());
                    assertFalse(ctx.channel().isOpen(), "closed at once");
                }
                ctx.fireChannelActive();
                events.add("active returned");
            } finally {
                inCallback = false;
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            inCallback = true;
            try {
                reads.incrementAndGet();
                events.add("read");
                if (mode == Mode.CLOSE_IN_READ) {
                    closesFromCallback.add(ctx.close());
                } else if (mode == Mode.CLOSE_TWICE_IN_READ) {
                    closesFromCallback.add(ctx.close());
                    closesFromCallback.add(ctx.channel().close());
                }
                events.add("read returned");
            } finally {
                inCallback = false;
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            events.add("read complete");
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            events.add(inCallback ? "inactive INSIDE another callback" : "inactive");
            inactive.incrementAndGet();
            if (writeWhenInactive) {
                Buffer buffer = ctx.alloc().copyOf("too late".getBytes(StandardCharsets.US_ASCII));
                writtenInInactive = buffer;
                writeInInactive.complete(ctx.write(buffer));
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void channelUnregistered(ChannelHandlerContext ctx) {
            events.add("unregistered");
            ctx.fireChannelUnregistered();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            events.add("exception " + cause);
        }
    }

    private Channel bind(EventLoopGroup group, Recorder recorder) throws InterruptedException {
        return transport().serverBootstrap().group(group).childHandler(() -> recorder)
                .bind("127.0.0.1", 0).sync().channel();
    }

    private static Socket connect(Channel server) throws Exception {
        Socket socket = new Socket();
        socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        socket.connect(new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort()));
        return socket;
    }

    /** Waits until every task queued on {@code loop} so far has run. */
    private static void drain(EventLoop loop) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> done.complete(null));
        done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private static void awaitSuccess(ChannelFuture future) throws InterruptedException {
        assertTrue(future.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "done: " + future);
        assertTrue(future.isSuccess(), "succeeded: " + future);
    }

    /** Drains the socket until EOF or reset; a closed peer may answer with either. */
    private static void readUntilClosed(InputStream in) {
        byte[] scratch = new byte[64 * 1024];
        try {
            for (int i = 0; i < 10_000 && in.read(scratch) >= 0; i++) {
                // bounded: at most 640 MB
            }
        } catch (java.io.IOException e) {
            // connection reset: the server closed with bytes still unread
        }
    }

    @Test
    public void closeInsideChannelReadStopsReadingAndFiresInactiveOnceAfterTheCallback() throws Exception {
        Recorder recorder = new Recorder(Mode.CLOSE_IN_READ);
        CountDownLatch queued = new CountDownLatch(1);
        recorder.holdActiveUntil = queued;
        try (EventLoopGroup group = transport().newGroup(1, "close-in-read")) {
            Channel server = bind(group, recorder);
            try (Socket client = connect(server)) {
                byte[] data = new byte[32 * 1024];   // several reads' worth, all queued before the first read
                client.getOutputStream().write(data);
                client.getOutputStream().flush();
                queued.countDown();
                Channel child = recorder.active.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                awaitSuccess(child.closeFuture());
                drain(child.eventLoop());
                readUntilClosed(client.getInputStream());
                drain(child.eventLoop());

                assertEquals(1, recorder.reads.get(), "no channelRead after the close: " + recorder.events);
                assertEquals(1, recorder.inactive.get(), "channelInactive once: " + recorder.events);
                // channelReadComplete may or may not end the batch; no read follows, inactive comes after.
                List<String> events = new ArrayList<>(recorder.events);
                events.remove("read complete");
                assertEquals(List.of("active", "active returned", "read", "read returned", "inactive", "unregistered"),
                        events);
                assertEquals(1, recorder.closesFromCallback.size());
                awaitSuccess(recorder.closesFromCallback.get(0));
                assertFalse(child.isOpen());
                assertFalse(child.isActive());
            }
            server.close().sync();
        }
    }

    @Test
    public void closeFromChannelActive() throws Exception {
        Recorder recorder = new Recorder(Mode.CLOSE_IN_ACTIVE);
        try (EventLoopGroup group = transport().newGroup(1, "close-in-active")) {
            Channel server = bind(group, recorder);
            try (Socket client = connect(server)) {
                Channel child = recorder.active.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                awaitSuccess(child.closeFuture());
                assertEquals(-1, client.getInputStream().read(), "the peer sees the connection closed");
                drain(child.eventLoop());
                assertEquals(List.of("active", "active returned", "inactive", "unregistered"), recorder.events);
                awaitSuccess(recorder.closesFromCallback.get(0));
            }
            server.close().sync();
        }
    }

    @Test
    public void closeFromAnotherThreadWhileTheLoopIsBusy() throws Exception {
        Recorder recorder = new Recorder(Mode.NONE);
        try (EventLoopGroup group = transport().newGroup(1, "close-busy")) {
            Channel server = bind(group, recorder);
            try (Socket client = connect(server)) {
                Channel child = recorder.active.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                CountDownLatch busy = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                child.eventLoop().execute(() -> {
                    busy.countDown();
                    try {
                        release.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                assertTrue(busy.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));

                byte[] bye = "bye".getBytes(StandardCharsets.US_ASCII);
                ChannelFuture written = child.writeAndFlush(bye);
                ChannelFuture closed = child.close();
                assertFalse(closed.isDone(), "the loop is busy: the close is queued, not done");
                assertTrue(child.isOpen());
                release.countDown();

                awaitSuccess(closed);
                awaitSuccess(child.closeFuture());
                awaitSuccess(written);
                assertFalse(child.isOpen());
                InputStream in = client.getInputStream();
                assertArrayEquals(bye, in.readNBytes(bye.length), "flushed before the close");
                assertEquals(-1, in.read());
                drain(child.eventLoop());
                assertEquals(1, recorder.inactive.get(), recorder.events.toString());
            }
            server.close().sync();
        }
    }

    @Test
    public void closingTwiceAndConcurrentlySucceedsEveryTime() throws Exception {
        Recorder recorder = new Recorder(Mode.NONE);
        try (EventLoopGroup group = transport().newGroup(1, "close-twice")) {
            Channel server = bind(group, recorder);
            try (Socket client = connect(server)) {
                Channel child = recorder.active.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                CountDownLatch release = new CountDownLatch(1);
                child.eventLoop().execute(() -> {
                    try {
                        release.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                List<ChannelFuture> closes = Collections.synchronizedList(new ArrayList<>());
                List<Thread> closers = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    closers.add(Thread.ofPlatform().name("closer-" + i).start(() -> closes.add(child.close())));
                }
                for (Thread closer : closers) {
                    closer.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
                }
                release.countDown();
                assertEquals(4, closes.size());
                for (ChannelFuture close : closes) {
                    awaitSuccess(close);
                }
                ChannelFuture again = child.close();
                awaitSuccess(again);
                ChannelFuture synced = child.close().sync();
                assertTrue(synced.isSuccess());
                awaitSuccess(child.closeFuture());
                drain(child.eventLoop());
                assertEquals(1, recorder.inactive.get(), recorder.events.toString());
                assertEquals(-1, client.getInputStream().read());
            }
            server.close().sync();
            awaitSuccess(server.close());
        }
    }

    @Test
    public void closingTwiceInsideChannelRead() throws Exception {
        Recorder recorder = new Recorder(Mode.CLOSE_TWICE_IN_READ);
        try (EventLoopGroup group = transport().newGroup(1, "close-twice-in-read")) {
            Channel server = bind(group, recorder);
            try (Socket client = connect(server)) {
                client.getOutputStream().write(1);
                Channel child = recorder.active.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                awaitSuccess(child.closeFuture());
                drain(child.eventLoop());
                assertEquals(2, recorder.closesFromCallback.size());
                for (ChannelFuture close : recorder.closesFromCallback) {
                    awaitSuccess(close);
                }
                assertEquals(1, recorder.inactive.get(), recorder.events.toString());
                assertEquals(1, recorder.reads.get(), recorder.events.toString());
            }
            server.close().sync();
        }
    }

    @Test
    public void writesAfterCloseFailWithClosedChannelExceptionAndReleaseTheirBuffers() throws Exception {
        Recorder recorder = new Recorder(Mode.NONE);
        recorder.writeWhenInactive = true;
        try (EventLoopGroup group = transport().newGroup(1, "write-after-close")) {
            Channel server = bind(group, recorder);
            try (Socket client = connect(server)) {
                Channel child = recorder.active.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                child.close().sync();

                // From a callback that runs after the close (on the loop).
                ChannelFuture inInactive = recorder.writeInInactive.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertTrue(inInactive.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                assertInstanceOf(ClosedChannelException.class, inInactive.cause());
                assertEquals(0, recorder.writtenInInactive.refCnt(), "released");

                // From another thread, each kind of message.
                Buffer buffer = BufferAllocator.defaultAllocator().copyOf(new byte[]{1, 2, 3});
                ChannelFuture bufferWrite = child.write(buffer);
                assertTrue(bufferWrite.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                assertFalse(bufferWrite.isSuccess());
                assertInstanceOf(ClosedChannelException.class, bufferWrite.cause());
                assertEquals(0, buffer.refCnt(), "released");

                Buffer flushed = BufferAllocator.defaultAllocator().copyOf(new byte[]{4, 5});
                ChannelFuture flushedWrite = child.writeAndFlush(flushed);
                ChannelException thrown = assertThrows(ChannelException.class, flushedWrite::sync);
                assertInstanceOf(ClosedChannelException.class, thrown.getCause());
                assertEquals(0, flushed.refCnt(), "released");

                for (Object message : List.of(new byte[]{6}, "text", java.nio.ByteBuffer.wrap(new byte[]{7}))) {
                    ChannelFuture write = child.writeAndFlush(message);
                    assertTrue(write.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                    assertInstanceOf(ClosedChannelException.class, write.cause(), String.valueOf(message));
                }
                assertEquals(-1, client.getInputStream().read());
            }
            server.close().sync();
        }
    }

    @Test
    public void writesPendingAtCloseFailAndReleaseTheirBuffers() throws Exception {
        Recorder recorder = new Recorder(Mode.NONE);
        try (EventLoopGroup group = transport().newGroup(1, "pending-at-close")) {
            Channel server = transport().serverBootstrap().group(group).childHandler(() -> recorder)
                    .childOption(ChannelOption.SO_SNDBUF, 16 * 1024)
                    .bind("127.0.0.1", 0).sync().channel();
            try (Socket client = new Socket()) {
                client.setReceiveBufferSize(16 * 1024);
                client.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
                client.connect(new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort()));
                Channel child = recorder.active.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                List<Buffer> buffers = new ArrayList<>();
                List<ChannelFuture> writes = new ArrayList<>();
                for (int i = 0; i < 128; i++) {   // 8 MB to a peer that does not read
                    Buffer buffer = BufferAllocator.defaultAllocator().allocate(64 * 1024);
                    buffer.writerIndex(64 * 1024);
                    buffers.add(buffer);
                    writes.add(child.writeAndFlush(buffer));
                }
                drain(child.eventLoop());
                assertFalse(child.isWritable(), "8 MB cannot all have left");
                child.close().sync();
                int failed = 0;
                for (ChannelFuture write : writes) {
                    assertTrue(write.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                    if (!write.isSuccess()) {
                        assertInstanceOf(ClosedChannelException.class, write.cause());
                        failed++;
                    }
                }
                assertTrue(failed > 0, "some writes were still pending at the close");
                for (Buffer buffer : buffers) {
                    assertEquals(0, buffer.refCnt(), "every written buffer released, sent or not");
                }
                readUntilClosed(client.getInputStream());
            }
            server.close().sync();
        }
    }

    @Test
    public void writesAndClosesAfterTheGroupTerminatedFailCleanly() throws Exception {
        Recorder recorder = new Recorder(Mode.NONE);
        Channel child;
        try (Socket ignored = new Socket()) {
            try (EventLoopGroup group = transport().newGroup(1, "terminated")) {
                Channel server = bind(group, recorder);
                ignored.connect(new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort()));
                child = recorder.active.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            assertTrue(child.eventLoop().isTerminated());
            assertFalse(child.isOpen(), "shutting the group down closed the channel");
            awaitSuccess(child.closeFuture());

            Buffer buffer = BufferAllocator.defaultAllocator().copyOf(new byte[]{1, 2, 3});
            ChannelFuture write = child.writeAndFlush(buffer);
            assertTrue(write.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertInstanceOf(ClosedChannelException.class, write.cause());
            assertEquals(0, buffer.refCnt(), "released");
            awaitSuccess(child.close());
        }
    }

    @Test
    public void closeOfAClientChannelCompletesItsCloseFuture() throws Exception {
        try (EventLoopGroup group = transport().newGroup(2, "close-client")) {
            Channel server = transport().serverBootstrap().group(group).bind("127.0.0.1", 0).sync().channel();
            Recorder recorder = new Recorder(Mode.NONE);
            Channel client = transport().bootstrap().group(group).handler(() -> recorder)
                    .connect(new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort())).sync().channel();
            assertNotNull(recorder.active.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            CountDownLatch notified = new CountDownLatch(1);
            client.closeFuture().addListener(f -> notified.countDown());
            awaitSuccess(client.close());
            assertTrue(notified.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertTrue(client.closeFuture().isSuccess());
            drain(client.eventLoop());
            assertEquals(1, recorder.inactive.get());
            server.close().sync();
        }
    }
}
