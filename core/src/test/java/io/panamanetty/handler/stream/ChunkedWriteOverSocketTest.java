package io.panamanetty.handler.stream;

import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.buffer.PooledBufferAllocator;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ChunkedWriteHandler over real sockets: a slow reader, files, streams, a peer that leaves mid-transfer. */
@ExtendWith(LeakCheck.class)
class ChunkedWriteOverSocketTest {
    private static final int TIMEOUT_SECONDS = 30;
    private static final long MIB = 1024 * 1024;
    private static final int HIGH_WATER_MARK = 64 * 1024;
    private static final int LOW_WATER_MARK = 16 * 1024;

    /** On connect, writes each of its messages in order and remembers the futures. */
    private static final class Sender extends ChannelHandlerAdapter {
        final Supplier<List<Object>> messages;
        final CompletableFuture<List<ChannelFuture>> futures = new CompletableFuture<>();
        final AtomicInteger turnedUnwritable = new AtomicInteger();

        Sender(Supplier<List<Object>> messages) {
            this.messages = messages;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            futures.complete(messages.get().stream().map(ctx::write).toList());
            ctx.flush();
            ctx.fireChannelActive();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (!ctx.channel().isWritable()) {
                turnedUnwritable.incrementAndGet();
            }
            ctx.fireChannelWritabilityChanged();
        }
    }

    /** A listener whose accepted child channels write through a ChunkedWriteHandler, with small water marks. */
    private static Channel bind(EventLoopGroup group, PooledBufferAllocator allocator,
                                ChunkedWriteHandler.ProgressListener progress, Sender sender) throws Exception {
        return new ServerBootstrap().group(group)
                .childOption(ChannelOption.WRITE_BUFFER_HIGH_WATER_MARK, HIGH_WATER_MARK)
                .childOption(ChannelOption.WRITE_BUFFER_LOW_WATER_MARK, LOW_WATER_MARK)
                .childOption(ChannelOption.SO_SNDBUF, 64 * 1024)
                .childInitializer(ch -> {
                    ch.config().setAllocator(allocator);
                    ch.pipeline().addLast("chunked", new ChunkedWriteHandler(progress)).addLast("sender", sender);
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    private static Socket connect(Channel server) throws IOException {
        Socket client = new Socket();
        client.setReceiveBufferSize(64 * 1024);
        client.setSoTimeout(TIMEOUT_SECONDS * 1000);
        client.connect(new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort()));
        return client;
    }

    private static void awaitAll(Sender sender) throws Exception {
        for (ChannelFuture future : sender.futures.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            assertTrue(future.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "write done");
            assertTrue(future.isSuccess(), () -> "write failed: " + future.cause());
        }
    }

    private static byte[] readExactly(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        assertEquals(length, bytes.length, "every byte arrived");
        return bytes;
    }

    @Test
    void twoHundredMiBReachASlowReaderWithMemoryBoundedByTheWaterMarks() throws Exception {
        long total = 200 * MIB;
        long seed = 0x5eed;
        int chunkSize = 8192;
        PooledBufferAllocator allocator = new PooledBufferAllocator(16 * MIB);
        AtomicLong maxInUse = new AtomicLong();
        PatternInputStream source = new PatternInputStream(total, seed);
        Sender sender = new Sender(() -> List.of(new ChunkedStream(source, chunkSize), "END"));
        ChunkedWriteHandler.ProgressListener onLoop = (input, done, length) ->
                maxInUse.accumulateAndGet(allocator.statistics().bytesInUse(), Math::max);
        AtomicBoolean transferring = new AtomicBoolean(true);
        Thread sampler = Thread.ofPlatform().name("chunked-sampler").start(() -> {
            while (transferring.get()) {
                maxInUse.accumulateAndGet(allocator.statistics().bytesInUse(), Math::max);
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try (EventLoopGroup group = new EventLoopGroup(1, "chunked-slow")) {
            Channel server = bind(group, allocator, onLoop, sender);
            try (Socket client = connect(server)) {
                InputStream in = client.getInputStream();
                CRC32 crc = new CRC32();
                long received = 0;
                byte[] small = new byte[4096];
                long slowUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (received < 4 * MIB && System.nanoTime() < slowUntil) {   // slow: small reads, pauses
                    int n = in.read(small);
                    if (n < 0) {
                        break;
                    }
                    crc.update(small, 0, n);
                    received += n;
                    Thread.sleep(1);
                }
                byte[] big = new byte[256 * 1024];
                while (received < total) {
                    int n = in.read(big, 0, (int) Math.min(big.length, total - received));
                    if (n < 0) {
                        break;
                    }
                    crc.update(big, 0, n);
                    received += n;
                }
                assertEquals(total, received, "every byte arrived");
                assertEquals(PatternInputStream.crcOf(total, seed), crc.getValue(), "in order and intact");
                assertEquals("END", new String(readExactly(in, 3), StandardCharsets.US_ASCII),
                        "the message written after the input came after all of it");
                awaitAll(sender);
            }
            server.close().sync();
        } finally {
            transferring.set(false);
            sampler.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        }
        assertFalse(sampler.isAlive());
        assertTrue(source.closed.get(), "the input was closed at its end");
        assertTrue(sender.turnedUnwritable.get() > 0, "the slow reader made the channel unwritable");
        long bound = HIGH_WATER_MARK + 4L * chunkSize;
        System.out.println("chunked 200 MiB: most pooled bytes in use " + maxInUse.get() + ", bound " + bound);
        assertTrue(maxInUse.get() <= bound, "pooled bytes in use stayed within the high water mark and a few chunks: "
                + maxInUse.get() + " > " + bound);
        allocator.trim();
    }

    @Test
    void aFileAndARegionOfItArriveByteExact(@TempDir Path dir) throws Exception {
        byte[] content = new byte[3 * (int) MIB + 123];
        new Random(11).nextBytes(content);
        Path file = Files.write(dir.resolve("payload.bin"), content);
        PooledBufferAllocator allocator = new PooledBufferAllocator(16 * MIB);
        Sender sender = new Sender(() -> {
            try {
                return List.of(new ChunkedFile(file), new ChunkedFile(file, 1000, 50_000, 1000), "END");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        try (EventLoopGroup group = new EventLoopGroup(1, "chunked-file")) {
            Channel server = bind(group, allocator, null, sender);
            try (Socket client = connect(server)) {
                InputStream in = client.getInputStream();
                assertArrayEquals(content, readExactly(in, content.length), "the whole file");
                byte[] region = new byte[50_000];
                System.arraycopy(content, 1000, region, 0, region.length);
                assertArrayEquals(region, readExactly(in, region.length), "the region");
                assertEquals("END", new String(readExactly(in, 3), StandardCharsets.US_ASCII));
                awaitAll(sender);
            }
            server.close().sync();
        }
        allocator.trim();
    }

    @Test
    void anInputStreamAndAReadableChannelArriveByteExact() throws Exception {
        byte[] first = new byte[1_000_003];
        byte[] second = new byte[777_777];
        new Random(5).nextBytes(first);
        new Random(6).nextBytes(second);
        PooledBufferAllocator allocator = new PooledBufferAllocator(16 * MIB);
        Sender sender = new Sender(() -> List.of(new ChunkedStream(new ByteArrayInputStream(first), 777),
                new ChunkedStream(new ByteArrayInputStream(new byte[0])),   // nothing: the write still completes
                new ChunkedNioStream(Channels.newChannel(new ByteArrayInputStream(second)), 5000)));
        try (EventLoopGroup group = new EventLoopGroup(1, "chunked-streams")) {
            Channel server = bind(group, allocator, null, sender);
            try (Socket client = connect(server)) {
                InputStream in = client.getInputStream();
                assertArrayEquals(first, readExactly(in, first.length));
                assertArrayEquals(second, readExactly(in, second.length));
                awaitAll(sender);
            }
            server.close().sync();
        }
        allocator.trim();
    }

    @Test
    void thePeerLeavingMidTransferClosesTheInputAndFailsTheWrite() throws Exception {
        PooledBufferAllocator allocator = new PooledBufferAllocator(16 * MIB);
        PatternInputStream source = new PatternInputStream(Long.MAX_VALUE, 9);
        Sender sender = new Sender(() -> List.of(new ChunkedStream(source), "never sent"));
        try (EventLoopGroup group = new EventLoopGroup(1, "chunked-leaving")) {
            Channel server = bind(group, allocator, null, sender);
            try (Socket client = connect(server)) {
                readExactly(client.getInputStream(), (int) MIB);
            }
            List<ChannelFuture> futures = sender.futures.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            for (ChannelFuture future : futures) {
                assertTrue(future.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "write done");
                assertNotNull(future.cause(), "the write failed");
            }
            assertTrue(source.closed.get(), "the input was closed when the channel closed");
            server.close().sync();
        }
        allocator.trim();
    }
}
