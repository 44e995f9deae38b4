package io.panamanetty.testsuite;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import io.panamanetty.handler.EchoHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A peer that resets its connection (SO_LINGER 0, then close) while the server is in
 * the middle of echoing a large stream: the server channel reports the failure or
 * just closes, frees what it queued, and its event loop goes on serving others.
 */
@ExtendWith(LeakCheck.class)
public abstract class PeerResetScenario extends TransportScenario {
    private static final int TIMEOUT_SECONDS = 30;
    private static final int TIMEOUT_MILLIS = TIMEOUT_SECONDS * 1000;
    private static final int STREAM_BYTES = 16 << 20;

    /** An echo (or, with {@code discard}, a sink) that records what happens to its channel. */
    private static final class RecordingEcho extends EchoHandler {
        final boolean discard;
        final AtomicLong bytesRead = new AtomicLong();
        final List<Throwable> exceptions = new CopyOnWriteArrayList<>();
        final CountDownLatch inactive = new CountDownLatch(1);
        final CountDownLatch unregistered = new CountDownLatch(1);
        volatile Channel channel;

        RecordingEcho(boolean discard) {
            this.discard = discard;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            channel = ctx.channel();
            super.channelActive(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            bytesRead.addAndGet(((Buffer) message).readableBytes());
            if (!discard) {
                super.channelRead(ctx, message);
            }   // else the framework releases the buffer when this returns
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            exceptions.add(cause);
            super.exceptionCaught(ctx, cause);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            inactive.countDown();
            super.channelInactive(ctx);
        }

        @Override
        public void channelUnregistered(ChannelHandlerContext ctx) throws Exception {
            unregistered.countDown();
            super.channelUnregistered(ctx);
        }
    }

    @Test
    public void resetMidStreamClosesTheChannelAndTheLoopServesTheNextConnection() throws Exception {
        // Different amounts read back before the reset: none (the server is stuck with
        // queued echo, waiting to be writable), some, and a lot (the server is reading and writing).
        int[] readBeforeReset = {0, 64 * 1024, 1 << 20};
        try (EventLoopGroup group = transport().newGroup(1, "peer-reset")) {
            LinkedBlockingQueue<RecordingEcho> handlers = new LinkedBlockingQueue<>();
            Channel server = transport().serverBootstrap().group(group)
                    .childHandler(() -> {
                        RecordingEcho handler = new RecordingEcho(false);
                        handlers.add(handler);
                        return handler;
                    })
                    .bind("127.0.0.1", 0).sync().channel();
            EventLoop onlyLoop = group.loops().getFirst();

            for (int round = 0; round < readBeforeReset.length; round++) {
                resetMidStream(server, handlers, readBeforeReset[round], round);
            }

            // The same loop still serves: a healthy connection echoes correctly.
            byte[] payload = new byte[1 << 20];
            new Random(42).nextBytes(payload);
            try (Socket socket = new Socket()) {
                socket.connect(server.localAddress(), TIMEOUT_MILLIS);
                socket.setSoTimeout(TIMEOUT_MILLIS);
                RecordingEcho handler = handlers.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertNotNull(handler, "the healthy connection was not accepted");
                Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
                Thread writer = Thread.ofPlatform().name("peer-reset-healthy-writer").start(() -> {
                    try {
                        OutputStream out = socket.getOutputStream();
                        Random chunks = new Random(43);
                        for (int offset = 0; offset < payload.length; ) {
                            int length = Math.min(payload.length - offset, 1 + chunks.nextInt(64 * 1024));
                            out.write(payload, offset, length);
                            offset += length;
                        }
                    } catch (IOException e) {
                        failures.add(e);
                    }
                });
                byte[] echoed = socket.getInputStream().readNBytes(payload.length);
                assertTrue(writer.join(java.time.Duration.ofSeconds(TIMEOUT_SECONDS)), "writer did not finish");
                assertTrue(failures.isEmpty(), () -> "writer failed: " + failures);
                assertArrayEquals(payload, echoed, "echo on the connection after the resets");
                assertTrue(handler.exceptions.isEmpty(), () -> "healthy connection failed: " + handler.exceptions);
                assertSame(onlyLoop, handler.channel.eventLoop());
            }
            server.close().sync();
        }
    }

    @Test
    public void resetWhileTheServerIsOnlyReadingClosesTheChannel() throws Exception {
        try (EventLoopGroup group = transport().newGroup(1, "peer-reset")) {
            LinkedBlockingQueue<RecordingEcho> handlers = new LinkedBlockingQueue<>();
            Channel server = transport().serverBootstrap().group(group)
                    .childHandler(() -> {
                        RecordingEcho handler = new RecordingEcho(true);
                        handlers.add(handler);
                        return handler;
                    })
                    .bind("127.0.0.1", 0).sync().channel();
            for (int round = 0; round < 3; round++) {
                resetMidStream(server, handlers, 0, round);
            }
            server.close().sync();
        }
    }

    private static void resetMidStream(Channel server, LinkedBlockingQueue<RecordingEcho> handlers,
                                       int readBeforeReset, int round) throws Exception {
        Socket socket = new Socket();
        Thread writer = null;
        RecordingEcho handler;
        try {
            socket.connect(server.localAddress(), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.setSoLinger(true, 0);   // close() sends RST
            handler = handlers.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(handler, "connection of round " + round + " was not accepted");
            OutputStream out = socket.getOutputStream();
            writer = Thread.ofPlatform().name("peer-reset-writer-" + round).start(() -> {
                byte[] chunk = new byte[32 * 1024];
                new Random(round).nextBytes(chunk);
                try {
                    for (int sent = 0; sent < STREAM_BYTES; sent += chunk.length) {
                        out.write(chunk);
                    }
                } catch (IOException expected) {
                    // the socket is closed under us: that is the point
                }
            });
            InputStream in = socket.getInputStream();
            byte[] echoed = in.readNBytes(readBeforeReset);
            if (echoed.length != readBeforeReset) {
                fail("round " + round + ": echo ended after " + echoed.length + " bytes");
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (handler.bytesRead.get() < readBeforeReset + 128 * 1024 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(handler.bytesRead.get() >= readBeforeReset + 128 * 1024,
                    "round " + round + ": the server read only " + handler.bytesRead.get() + " bytes");
            assertTrue(handler.channel.isOpen(), "round " + round + ": closed before the reset");
        } finally {
            socket.close();   // RST, with the server's echo in flight
            if (writer != null && !writer.join(java.time.Duration.ofSeconds(TIMEOUT_SECONDS))) {
                fail("writer of round " + round + " did not finish");
            }
        }

        assertTrue(handler.inactive.await(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                "round " + round + ": channelInactive did not fire after the reset");
        assertTrue(handler.unregistered.await(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                "round " + round + ": channelUnregistered did not fire after the reset");
        assertFalse(handler.channel.isOpen());
        assertTrue(handler.channel.closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        for (Throwable cause : handler.exceptions) {
            // ECONNRESET / EPIPE from read or write; nothing else (no buffer misuse, no NPE)
            assertInstanceOf(IOException.class, cause, "round " + round + ": unexpected failure " + cause);
        }
    }
}
