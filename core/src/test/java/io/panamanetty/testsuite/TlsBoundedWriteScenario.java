package io.panamanetty.testsuite;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.PendingOutboundBytes;
import io.panamanetty.channel.internal.AbstractChannel;
import io.panamanetty.testing.LeakCheck;
import io.panamanetty.channel.embedded.EmbeddedChannel;
import io.panamanetty.tls.TlsContext;
import io.panamanetty.tls.TlsContexts;
import io.panamanetty.tls.TlsHandler;
import io.panamanetty.tls.TlsTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.panamanetty.tls.TlsTestSupport.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bounded memory for a fast writer: a large write leaves in buffers of a few records each,
 * and writes held during the handshake count toward the channel's writability.
 */
@ExtendWith(LeakCheck.class)
public abstract class TlsBoundedWriteScenario extends TransportScenario {
    /** Plaintext per encrypted buffer at most, plus the per-record overhead of its records (generous). */
    private static final int MAX_ENCRYPTED_BUFFER = TlsTestSupport.MAX_CHUNK_PLAINTEXT
            + (TlsTestSupport.MAX_CHUNK_PLAINTEXT / TlsTestSupport.MAX_RECORD_PLAINTEXT) * 256;

    @TempDir
    static Path dir;
    static TlsTestSupport.Certificate cert;

    @BeforeAll
    static void certificates() throws Exception {
        cert = TlsTestSupport.selfSigned(dir, "bounded");
    }

    /**
     * Sits between the head and the TlsHandler: sees every encrypted buffer the handler writes,
     * and whether the bytes counted toward the water marks were above the high one when it did.
     */
    static final class SizeRecorder implements ChannelHandler {
        final AtomicInteger buffers = new AtomicInteger();
        final AtomicInteger writtenAboveTheHighMark = new AtomicInteger();
        final AtomicInteger largest = new AtomicInteger();
        final AtomicInteger last = new AtomicInteger();
        final AtomicLong bytes = new AtomicLong();

        @Override
        public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
            if (message instanceof Buffer buffer) {
                int size = buffer.readableBytes();
                buffers.incrementAndGet();
                bytes.addAndGet(size);
                last.set(size);
                largest.accumulateAndGet(size, Math::max);
                // the bytes against the high water mark, not isWritable(): reading false there
                // would make this a writer owed a wake-up event, and change the events seen
                if (PendingOutboundBytes.pending(ctx.channel()) > ctx.channel().config().writeBufferHighWaterMark()) {
                    writtenAboveTheHighMark.incrementAndGet();
                }
            }
            ctx.write(message, promise);
        }
    }

    /** Records the writability changes it sees and any exception. */
    static final class WritabilityRecorder implements ChannelHandler {
        final BlockingQueue<Boolean> changes = new LinkedBlockingQueue<>();
        final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            changes.add(ctx.channel().isWritable());
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    public void largeWriteReachesOpensslClientIntactInBoundedBuffers(String version) throws Exception {
        byte[] payload = new byte[8 * 1024 * 1024 + 12_345];
        new Random(8).nextBytes(payload);
        byte[] small = new byte[64];
        new Random(64).nextBytes(small);
        TlsContext tls = TlsContexts.server(cert.cert(), cert.key()).build();
        SizeRecorder sizes = new SizeRecorder();
        WritabilityRecorder writability = new WritabilityRecorder();
        BlockingQueue<Channel> children = new LinkedBlockingQueue<>();
        CountDownLatch handshake = new CountDownLatch(1);
        try (EventLoopGroup group = transport().newGroup(2, "tls-bounded")) {
            Channel listener = transport().serverBootstrap().group(group).childInitializer(ch -> {
                ch.pipeline().addLast("sizes", sizes);
                ch.pipeline().addLast("tls", tls.newHandler());
                ch.pipeline().addLast("writability", writability);
                ch.pipeline().addLast("handshake", new ChannelHandler() {
                    @Override
                    public void channelHandshakeComplete(ChannelHandlerContext ctx) {
                        handshake.countDown();
                    }
                });
                children.add(ch);
            }).bind("127.0.0.1", 0).sync().channel();
            Path out = dir.resolve("s_client-bounded" + version + ".out");
            Path log = dir.resolve("s_client-bounded" + version + ".log");
            // -quiet: only the received bytes go to stdout (it also ignores end of input)
            Process client = new ProcessBuilder("openssl", "s_client", "-connect",
                    "127.0.0.1:" + ((InetSocketAddress) listener.localAddress()).getPort(), version, "-quiet",
                    "-CAfile", cert.cert().toString(), "-servername", "localhost")
                    .redirectOutput(out.toFile()).redirectError(log.toFile()).start();
            try {
                Channel child = children.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertTrue(child != null, "s_client did not connect");
                assertTrue(handshake.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "no handshake");

                ChannelFuture large = child.writeAndFlush(BufferAllocator.defaultAllocator().copyOf(payload));
                assertTrue(large.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "large write not done");
                assertNull(large.cause());
                assertTrue(large.isSuccess());
                long expectedBuffers = (payload.length + TlsTestSupport.MAX_CHUNK_PLAINTEXT - 1)
                        / TlsTestSupport.MAX_CHUNK_PLAINTEXT;
                assertTrue(sizes.buffers.get() >= expectedBuffers, "only " + sizes.buffers.get() + " buffers");
                assertTrue(sizes.largest.get() <= MAX_ENCRYPTED_BUFFER,
                        "largest encrypted buffer " + sizes.largest.get() + " bytes");
                // The held plaintext counts toward the water marks while its chunks go out. The
                // events for it come in later tasks and only when the state then differs from the
                // last one announced: a write the socket takes whole within the call fires none.
                assertTrue(sizes.writtenAboveTheHighMark.get() > 0,
                        "the held bytes never counted above the high water mark");
                assertAlternateFromUnwritable(writability.changes);

                int before = sizes.buffers.get();
                ChannelFuture smallWrite = child.writeAndFlush(BufferAllocator.defaultAllocator().copyOf(small));
                assertTrue(smallWrite.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "small write not done");
                assertTrue(smallWrite.isSuccess(), () -> String.valueOf(smallWrite.cause()));
                assertEquals(before + 1, sizes.buffers.get(), "a 64-byte write is one buffer");
                assertTrue(sizes.last.get() > small.length && sizes.last.get() < small.length + 128,
                        "a 64-byte write is one record: " + sizes.last.get() + " bytes");

                long expected = (long) payload.length + small.length;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
                while (Files.size(out) < expected && System.nanoTime() < deadline && client.isAlive()) {
                    Thread.sleep(20);
                }
                byte[] received = Files.readAllBytes(out);
                assertEquals(expected, received.length, () -> "s_client log: " + readQuietly(log.toFile()));
                MessageDigest sent = MessageDigest.getInstance("SHA-256");
                sent.update(payload);
                sent.update(small);
                assertEquals(HexFormat.of().formatHex(sent.digest()),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(received)));
                assertTrue(writability.errors.isEmpty(), () -> writability.errors.toString());
                child.close().sync();
            } finally {
                TlsTestSupport.stop(client);
            }
            listener.close().sync();
        }
    }

    @Test
    public void largeWriteIsSplitIntoChunksAndSmallWriteStaysOneBuffer() throws Exception {
        TlsHandler serverTls = TlsContexts.server(cert.cert(), cert.key()).build().newHandler();
        TlsHandler clientTls = TlsContexts.client().trust(cert.cert()).build().newHandler("localhost", 443);
        EmbeddedChannel server = new EmbeddedChannel(serverTls);
        EmbeddedChannel client = new EmbeddedChannel(clientTls);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (!(serverTls.handshakeFuture().isDone() && clientTls.handshakeFuture().isDone())) {
                boolean moved = transfer(client, server, null) | transfer(server, client, null);
                if (!moved) {
                    assertTrue(System.nanoTime() < deadline, "handshake stalled");
                    Thread.sleep(2);
                    // Each loop runs what other threads handed it (the handshake's delegated tasks).
                    server.runOnLoop(() -> null);
                    client.runOnLoop(() -> null);
                }
            }
            clientTls.handshakeFuture().get();
            serverTls.handshakeFuture().get();
            transfer(server, client, null);   // session tickets
            transfer(client, server, null);

            byte[] payload = new byte[5 * TlsTestSupport.MAX_CHUNK_PLAINTEXT + 777];
            new Random(5).nextBytes(payload);
            ChannelFuture large = client.writeAndFlush(client.alloc().copyOf(payload));
            assertTrue(large.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertTrue(large.isSuccess(), () -> String.valueOf(large.cause()));
            List<Integer> sizes = new ArrayList<>();
            transfer(client, server, sizes);
            assertEquals(6, sizes.size(), sizes::toString);
            for (int size : sizes) {
                assertTrue(size <= MAX_ENCRYPTED_BUFFER, sizes::toString);
            }
            assertArrayEquals(payload, drain(server));

            byte[] small = "sixty-four bytes or so: one record in one buffer, as before....".getBytes();
            ChannelFuture smallWrite = client.writeAndFlush(small);
            assertTrue(smallWrite.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertTrue(smallWrite.isSuccess());
            sizes.clear();
            transfer(client, server, sizes);
            assertEquals(1, sizes.size(), sizes::toString);
            assertArrayEquals(small, drain(server));
            server.checkException();
            client.checkException();
        } finally {
            client.finish();
            server.finish();
        }
    }

    @Test
    public void writeFromAListenerDuringALargeWriteKeepsItsPlace() throws Exception {
        TlsContext server = TlsContexts.server(cert.cert(), cert.key()).build();
        TlsContext clientTls = TlsContexts.client().trust(cert.cert()).build();
        byte[] first = "first".getBytes();
        byte[] large = new byte[2 * 1024 * 1024 + 3];
        new Random(2).nextBytes(large);
        byte[] last = "written by the first write's listener".getBytes();
        try (EventLoopGroup group = transport().newGroup(2, "tls-order")) {
            TlsTestSupport.EchoServer echo = TlsTestSupport.echoServer(group, server, 1);
            TlsTestSupport.Client c = TlsTestSupport.connect(group, clientTls, "localhost", echo.port());
            c.tls().handshakeFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Channel channel = c.channel();
            AtomicReference<ChannelFuture> lastWrite = new AtomicReference<>();
            CountDownLatch written = new CountDownLatch(1);
            channel.eventLoop().execute(() -> {
                // the first write's promise completes at the flush between the large write's
                // chunks; what its listener writes and flushes must still go after the large write
                channel.write(first).addListener(f -> {
                    lastWrite.set(channel.write(last));
                    channel.flush();
                    written.countDown();
                });
                channel.write(large);
                channel.flush();
            });
            assertTrue(written.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.writeBytes(first);
            expected.writeBytes(large);
            expected.writeBytes(last);
            byte[] echoed = c.collector().await(b -> b.length >= expected.size());
            assertArrayEquals(expected.toByteArray(), echoed);
            assertTrue(lastWrite.get().await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertTrue(lastWrite.get().isSuccess());
            c.channel().close().sync();
            echo.channel().close().sync();
            assertTrue(c.collector().errors.isEmpty(), () -> c.collector().errors.toString());
            assertTrue(echo.errors().isEmpty(), () -> echo.errors().toString());
        }
    }

    @Test
    public void aCloseFromAListenerDuringALargeWriteWaitsForTheFlushedWrites() throws Exception {
        TlsContext server = TlsContexts.server(cert.cert(), cert.key()).build();
        TlsContext clientTls = TlsContexts.client().trust(cert.cert()).build();
        byte[] first = "first".getBytes();
        byte[] large = new byte[2 * 1024 * 1024 + 5];
        new Random(5).nextBytes(large);
        byte[] after = "flushed with the large write".getBytes();
        CompletableFuture<ChannelFuture> closed = new CompletableFuture<>();
        try (EventLoopGroup group = transport().newGroup(2, "tls-close-mid-write")) {
            Channel listener = transport().serverBootstrap().group(group).childInitializer(ch -> {
                ch.pipeline().addLast("tls", server.newHandler());
                ch.pipeline().addLast("writer", new ChannelHandler() {
                    @Override
                    public void channelHandshakeComplete(ChannelHandlerContext ctx) {
                        // the first write's promise completes at the flush between the large
                        // write's chunks; its listener's close must wait for the flushed writes
                        Channel channel = ctx.channel();
                        channel.write(first).addListener(f -> closed.complete(channel.close()));
                        channel.write(large);
                        channel.write(after);
                        channel.flush();
                    }
                });
            }).bind("127.0.0.1", 0).sync().channel();
            TlsTestSupport.Client c = TlsTestSupport.connect(group, clientTls, "localhost",
                    ((InetSocketAddress) listener.localAddress()).getPort());
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.writeBytes(first);
            expected.writeBytes(large);
            expected.writeBytes(after);
            byte[] received = c.collector().await(b -> b.length >= expected.size());
            assertArrayEquals(expected.toByteArray(), received, "every flushed write, whole, before the close");
            assertTrue(closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertTrue(c.channel().closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                    "the client sees the server's close_notify and closes");
            assertTrue(c.collector().errors.isEmpty(), () -> c.collector().errors.toString());
            listener.close().sync();
        }
    }

    @Test
    public void writesHeldDuringHandshakeCountTowardWritability() throws Exception {
        int highWaterMark = 64 * 1024;
        int messageSize = 8 * 1024;
        TlsContext serverTls = TlsContexts.server(cert.cert(), cert.key()).build();
        TlsContext clientTls = TlsContexts.client().trust(cert.cert()).build();
        BlockingQueue<Throwable> serverErrors = new LinkedBlockingQueue<>();
        BlockingQueue<Channel> children = new LinkedBlockingQueue<>();
        try (EventLoopGroup group = transport().newGroup(2, "tls-held")) {
            // The server reads nothing until told to: the client's handshake waits for it.
            Channel listener = transport().serverBootstrap().group(group)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childInitializer(ch -> {
                        ch.pipeline().addLast("tls", serverTls.newHandler());
                        ch.pipeline().addLast("echo", new TlsTestSupport.Echo(serverErrors, new CountDownLatch(1)));
                        children.add(ch);
                    }).bind("127.0.0.1", 0).sync().channel();
            TlsHandler tls = clientTls.newHandler("localhost", ((InetSocketAddress) listener.localAddress()).getPort());
            WritabilityRecorder writability = new WritabilityRecorder();
            TlsTestSupport.Collector collector = new TlsTestSupport.Collector();
            Channel client = transport().bootstrap().group(group)
                    .option(ChannelOption.WRITE_BUFFER_HIGH_WATER_MARK, highWaterMark)
                    .option(ChannelOption.WRITE_BUFFER_LOW_WATER_MARK, highWaterMark / 2)
                    .initializer(ch -> {
                        ch.pipeline().addLast("tls", tls);
                        ch.pipeline().addLast("writability", writability);
                        ch.pipeline().addLast("collector", collector);
                    }).connect("127.0.0.1", ((InetSocketAddress) listener.localAddress()).getPort()).sync().channel();
            Channel child = children.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertTrue(child != null, "not accepted");
            assertFalse(tls.handshakeFuture().isDone());
            // The handshake's first flight has left the queue: a completion transport (io_uring)
            // counts it as pending until its send completes, which may be after this point.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (client.eventLoop().submit(() -> ((AbstractChannel) client).pendingOutboundBytes())
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS) != 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }

            // A writer that respects writability, on the event loop, with a bound on its loop.
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            List<ChannelFuture> writes = new ArrayList<>();
            CompletableFuture<Integer> written = new CompletableFuture<>();
            Random random = new Random(9);
            client.eventLoop().execute(() -> {
                int count = 0;
                while (client.isWritable() && count < 1000) {
                    byte[] message = new byte[messageSize];
                    random.nextBytes(message);
                    sent.writeBytes(message);
                    writes.add(client.write(message));
                    count++;
                }
                written.complete(count);
            });
            int count = written.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertFalse(tls.handshakeFuture().isDone(), "the handshake was not held back");
            // unwritable once more than the high water mark is held: the ninth 8 KiB write
            assertEquals(highWaterMark / messageSize + 1, count);
            assertFalse(client.isWritable());
            assertEquals(Boolean.FALSE, writability.changes.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            for (ChannelFuture write : writes) {
                assertFalse(write.isDone(), "a write completed before the handshake");
            }

            child.config().setAutoRead(true);   // the handshake goes on; the held writes drain
            assertEquals(Boolean.TRUE, writability.changes.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            tls.handshakeFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            for (ChannelFuture write : writes) {
                assertTrue(write.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "a held write never completed");
                assertTrue(write.isSuccess(), () -> String.valueOf(write.cause()));
            }
            assertTrue(client.isWritable());
            byte[] expected = sent.toByteArray();
            byte[] echoed = collector.await(b -> b.length >= expected.length);
            assertArrayEquals(expected, echoed);
            assertTrue(writability.changes.isEmpty(), writability.changes::toString);

            // A write below the high water mark never makes the channel unwritable: its plaintext
            // stops counting before its records start to.
            byte[] below = new byte[highWaterMark * 5 / 8];
            new Random(10).nextBytes(below);
            client.eventLoop().execute(() -> client.writeAndFlush(below));
            byte[] all = collector.await(b -> b.length >= expected.length + below.length);
            assertArrayEquals(below, Arrays.copyOfRange(all, expected.length, all.length));
            assertTrue(writability.changes.isEmpty(), () -> "writability events for a write below the mark: "
                    + writability.changes);
            client.close().sync();
            listener.close().sync();
            assertTrue(writability.errors.isEmpty(), () -> writability.errors.toString());
            assertTrue(collector.errors.isEmpty(), () -> collector.errors.toString());
            assertTrue(serverErrors.isEmpty(), () -> serverErrors.toString());
        }
    }

    @Test
    public void heldWritesStopCountingWhenTheHandshakeFails() throws Exception {
        TlsContext clientTls = TlsContexts.client().trust(cert.cert()).build();
        try (EventLoopGroup group = transport().newGroup(1, "tls-held-fail");
             java.net.ServerSocket silent = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            TlsHandler tls = clientTls.newHandler("localhost", silent.getLocalPort());
            WritabilityRecorder writability = new WritabilityRecorder();
            Channel client = transport().bootstrap().group(group)
                    .initializer(ch -> {
                        ch.pipeline().addLast("tls", tls);
                        ch.pipeline().addLast("writability", writability);
                    }).connect("127.0.0.1", silent.getLocalPort()).sync().channel();
            ChannelFuture held;
            try (java.net.Socket accepted = silent.accept()) {
                held = client.write(new byte[200 * 1024]);
                assertEquals(Boolean.FALSE, writability.changes.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                accepted.setSoLinger(true, 0);   // a reset: the handshake fails, the held write with it
            }
            ChannelFuture closed = client.closeFuture();
            assertTrue(closed.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the channel stayed open");
            assertTrue(tls.handshakeFuture().isCompletedExceptionally());
            assertTrue(held.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the held write never completed");
            assertFalse(held.isSuccess());
        }
    }

    /** Writability events, if any came, alternate, starting with the flip to unwritable. */
    private static void assertAlternateFromUnwritable(BlockingQueue<Boolean> changes) {
        List<Boolean> seen = new ArrayList<>(changes);
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(i % 2 == 1, seen.get(i), () -> "writability events " + seen);
        }
    }

    /**
     * Moves everything {@code from} wrote to {@code to}'s inbound side, recording the size of
     * each buffer in {@code sizes} (if not null).
     */
    private static boolean transfer(EmbeddedChannel from, EmbeddedChannel to, List<Integer> sizes) {
        boolean moved = false;
        Buffer out;
        while ((out = from.readOutbound()) != null) {
            if (sizes != null) {
                sizes.add(out.readableBytes());
            }
            moved = true;
            to.writeInbound(out);
        }
        return moved;
    }

    private static byte[] drain(EmbeddedChannel channel) {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        Buffer b;
        while ((b = channel.readInbound()) != null) {
            received.writeBytes(b.toByteArray());
            b.release();
        }
        return received.toByteArray();
    }

    private static String readQuietly(File file) {
        try {
            return Files.readString(file.toPath());
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
