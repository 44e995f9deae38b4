package io.panamanetty.testsuite;

import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.buffer.PooledBufferAllocator;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.file.FileRegion;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * File regions written to a TCP channel: byte-exact (zero-copy from a path, and through
 * buffers from a FileChannel), in order among ordinary writes, counted toward the water
 * marks, the file closed on release (LeakCheck counts descriptors), and clear failures for
 * a missing file, a region past its end and a file truncated while being sent.
 */
@ExtendWith(LeakCheck.class)
public abstract class FileRegionScenario extends TransportScenario {

    /** Only for a transport that has them: one that declares it does not is skipped, visibly. */
    @BeforeEach
    void transportHasFileRegions() {
        requireFeature(TestTransport.Feature.FILE_REGION);
    }
    private static final int TIMEOUT_SECONDS = 60;

    @TempDir
    Path dir;

    private Path randomFile(String name, int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return Files.write(dir.resolve(name), bytes);
    }

    /** A server whose accepted channel is handed to the test, and one plain socket connected to it. */
    private record Connection(Channel server, Channel child, StreamPeer peer) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            peer.close();
            child.close().sync();
            server.close().sync();
        }
    }

    private Connection connect(EventLoopGroup group) throws Exception {
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        Channel server = transport().serverBootstrap().group(group)
                .childInitializer(accepted::complete)
                .bind(transport().serverAddress()).sync().channel();
        StreamPeer peer = StreamPeer.connect(server.localAddress());
        return new Connection(server, accepted.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), peer);
    }

    private static byte[] readExactly(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        assertEquals(length, bytes.length, "the peer got fewer bytes than sent");
        return bytes;
    }

    @Test
    public void aRegionLeavesWholeAndInOrderBetweenOrdinaryWrites() throws Exception {
        Path file = randomFile("region.bin", 8 * 1024 * 1024 + 13);
        byte[] content = Files.readAllBytes(file);
        try (EventLoopGroup group = transport().newGroup(1, "region");
             Connection connection = connect(group)) {
            FileRegion region = FileRegion.open(file, 1000, content.length - 2000);
            assertTrue(region.isZeroCopy());
            connection.child().write("head:");
            ChannelFuture sent = connection.child().write(region);
            connection.child().writeAndFlush(":tail");
            byte[] got = readExactly(connection.peer().in(), 5 + (content.length - 2000) + 5);
            assertEquals("head:", new String(got, 0, 5, StandardCharsets.US_ASCII));
            assertArrayEquals(Arrays.copyOfRange(content, 1000, content.length - 1000),
                    Arrays.copyOfRange(got, 5, got.length - 5));
            assertEquals(":tail", new String(got, got.length - 5, 5, StandardCharsets.US_ASCII));
            assertTrue(sent.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertTrue(sent.isSuccess(), () -> "region write failed: " + sent.cause());
            assertEquals(region.count(), region.transferred());
            assertEquals(0, region.refCnt(), "the channel releases the region (and closes the file) once sent");
        }
    }

    @Test
    public void oneRegionWrittenToTwoChannelsAtOnceReachesBothWhole() throws Exception {
        Path file = randomFile("shared.bin", 12 * 1024 * 1024 + 3);
        byte[] content = Files.readAllBytes(file);
        try (EventLoopGroup group = transport().newGroup(2, "shared-region");
             Connection first = connect(group);
             Connection second = connect(group)) {
            FileRegion region = FileRegion.open(file);
            region.retain();   // one reference per write, as a channel group does
            ChannelFuture a = first.child().writeAndFlush(region);
            ChannelFuture b = second.child().writeAndFlush(region);
            CompletableFuture<byte[]> gotSecond = CompletableFuture.supplyAsync(() -> {
                try {
                    return readExactly(second.peer().in(), content.length);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertArrayEquals(content, readExactly(first.peer().in(), content.length));
            assertArrayEquals(content, gotSecond.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertTrue(a.await(TIMEOUT_SECONDS, TimeUnit.SECONDS) && b.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertTrue(a.isSuccess() && b.isSuccess(), () -> a.cause() + " / " + b.cause());
            assertEquals(2L * content.length, region.transferred(), "both sends count");
            assertEquals(0, region.refCnt());
        }
    }

    @Test
    public void aFileChannelRegionIsCopiedThroughBuffers() throws Exception {
        Path file = randomFile("channel.bin", 3 * 1024 * 1024 + 7);
        byte[] content = Files.readAllBytes(file);
        try (EventLoopGroup group = transport().newGroup(1, "copied-region");
             Connection connection = connect(group)) {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            FileRegion region = FileRegion.of(channel, 7, content.length - 7);
            assertFalse(region.isZeroCopy());
            ChannelFuture sent = connection.child().writeAndFlush(region);
            byte[] got = readExactly(connection.peer().in(), content.length - 7);
            assertArrayEquals(Arrays.copyOfRange(content, 7, content.length), got);
            assertTrue(sent.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertTrue(sent.isSuccess(), () -> "region write failed: " + sent.cause());
            assertFalse(channel.isOpen(), "releasing the region closes its FileChannel");
        }
    }

    @Test
    public void aQueuedRegionCountsTowardTheWaterMarks() throws Exception {
        Path file = randomFile("big.bin", 16 * 1024 * 1024);
        try (EventLoopGroup group = transport().newGroup(1, "region-water-marks");
             Connection connection = connect(group)) {
            Channel child = connection.child();
            FileRegion region = FileRegion.open(file);
            CompletableFuture<Boolean> writableAfterWrite = new CompletableFuture<>();
            child.eventLoop().execute(() -> {
                child.write(region);   // far more than the high water mark, and the peer is not reading yet
                writableAfterWrite.complete(child.isWritable());
            });
            assertFalse(writableAfterWrite.get(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                    "16 MiB queued must make the channel unwritable");
            MessageDigest expected = MessageDigest.getInstance("SHA-256");
            MessageDigest received = MessageDigest.getInstance("SHA-256");
            expected.update(Files.readAllBytes(file));
            InputStream in = connection.peer().in();
            byte[] chunk = new byte[64 * 1024];
            long total = 0;
            while (total < region.count()) {
                int n = in.read(chunk);
                assertTrue(n > 0, "stream ended after " + total + " bytes");
                received.update(chunk, 0, n);
                total += n;
            }
            assertArrayEquals(expected.digest(), received.digest());
            CompletableFuture<Boolean> writableAtEnd = new CompletableFuture<>();
            child.eventLoop().execute(() -> writableAtEnd.complete(child.isWritable()));
            assertTrue(writableAtEnd.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), "writable again once sent");
        }
    }

    @Test
    public void twoHundredMiBReachASlowReaderWithSmallWaterMarksInBoundedMemory() throws Exception {
        Path file = dir.resolve("200mib.bin");
        byte[] block = new byte[1024 * 1024];
        new Random(200).nextBytes(block);
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        try (java.io.OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 200; i++) {
                block[i] ^= (byte) 0x5a;   // no two MiB alike
                out.write(block);
                expected.update(block);
            }
        }
        byte[] digest = expected.digest();
        for (boolean zeroCopy : new boolean[] {true, false}) {
            PooledBufferAllocator allocator = new PooledBufferAllocator(16L * 1024 * 1024);
            AtomicLong maxInUse = new AtomicLong();
            AtomicInteger unwritable = new AtomicInteger();
            CompletableFuture<Channel> accepted = new CompletableFuture<>();
            try (EventLoopGroup group = transport().newGroup(1, "region-slow-reader")) {
                Channel server = transport().serverBootstrap().group(group)
                        .childOption(ChannelOption.WRITE_BUFFER_HIGH_WATER_MARK, 64 * 1024)
                        .childOption(ChannelOption.WRITE_BUFFER_LOW_WATER_MARK, 32 * 1024)
                        .childInitializer(ch -> {
                            ch.config().setAllocator(allocator);
                            ch.pipeline().addLast("watch", new ChannelHandler() {
                                @Override
                                public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                                    if (!ctx.channel().isWritable()) {
                                        unwritable.incrementAndGet();
                                    }
                                    maxInUse.accumulateAndGet(allocator.statistics().bytesInUse(), Math::max);
                                    ctx.fireChannelWritabilityChanged();
                                }
                            });
                            accepted.complete(ch);
                        })
                        .bind("127.0.0.1", 0).sync().channel();
                try (Socket peer = new Socket()) {
                    peer.setReceiveBufferSize(64 * 1024);
                    peer.connect(server.localAddress(), TIMEOUT_SECONDS * 1000);
                    peer.setSoTimeout(TIMEOUT_SECONDS * 1000);
                    Channel child = accepted.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    FileRegion region = zeroCopy ? FileRegion.open(file)
                            : FileRegion.of(FileChannel.open(file, StandardOpenOption.READ), 0, Files.size(file));
                    ChannelFuture sent = child.writeAndFlush(region);
                    MessageDigest received = MessageDigest.getInstance("SHA-256");
                    InputStream in = peer.getInputStream();
                    byte[] chunk = new byte[64 * 1024];
                    long total = 0;
                    while (total < 200L * 1024 * 1024) {
                        int n = in.read(chunk, 0, total < 4 * 1024 * 1024 ? 4096 : chunk.length);
                        assertTrue(n > 0, "the stream ended after " + total + " bytes");
                        received.update(chunk, 0, n);
                        total += n;
                        maxInUse.accumulateAndGet(allocator.statistics().bytesInUse(), Math::max);
                        if (total < 4 * 1024 * 1024 && total % (256 * 1024) < 4096) {
                            Thread.sleep(1);   // slow at first: the writer meets a full socket
                        }
                    }
                    assertArrayEquals(digest, received.digest(), zeroCopy ? "sendfile" : "copy");
                    assertTrue(sent.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                    assertTrue(sent.isSuccess(), () -> "region write failed: " + sent.cause());
                    assertTrue(unwritable.get() > 0, "the channel never turned unwritable");
                    // sendfile holds no pooled memory; a copied region one 64 KiB chunk at a time
                    long bound = zeroCopy ? 0 : 64 * 1024;
                    assertTrue(maxInUse.get() <= bound, (zeroCopy ? "sendfile" : "copy") + ": up to "
                            + maxInUse.get() + " pooled bytes in use");
                    child.close().sync();
                }
                server.close().sync();
            }
        }
    }

    @Test
    public void aFileTruncatedWhileBeingSentFailsTheWriteNamingTheFile() throws Exception {
        Path file = randomFile("shrinking.bin", 32 * 1024 * 1024);
        try (EventLoopGroup group = transport().newGroup(1, "shrinking-region");
             Connection connection = connect(group)) {
            FileRegion region = FileRegion.open(file);
            ChannelFuture sent = connection.child().writeAndFlush(region);
            InputStream in = connection.peer().in();
            readExactly(in, 64 * 1024);   // the transfer is under way, the rest waits for the reader
            try (RandomAccessFile truncating = new RandomAccessFile(file.toFile(), "rw")) {
                truncating.setLength(1024 * 1024);
            }
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            in.transferTo(sink);   // until the channel closes: its byte stream is broken
            assertTrue(sent.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, sent.cause());
            String message = sent.cause().getMessage();
            assertTrue(message.contains(file.toString()) && message.contains("truncated"), message);
            assertTrue(connection.child().closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertEquals(0, region.refCnt());
        }
    }

    @Test
    public void closingTheChannelReleasesAQueuedRegion() throws Exception {
        Path file = randomFile("abandoned.bin", 16 * 1024 * 1024);
        try (EventLoopGroup group = transport().newGroup(1, "abandoned-region");
             Connection connection = connect(group)) {
            FileRegion region = FileRegion.open(file);
            ChannelFuture sent = connection.child().writeAndFlush(region);
            ChannelFuture behind = connection.child().writeAndFlush("never sent");
            connection.child().close().sync();
            assertTrue(sent.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertInstanceOf(ClosedChannelException.class, sent.cause());
            assertTrue(behind.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertInstanceOf(ClosedChannelException.class, behind.cause());
            assertEquals(0, region.refCnt());
        }
    }

    @Test
    public void aMissingFileOrARegionPastItsEndIsRefusedAtOnce() throws Exception {
        Path missing = dir.resolve("missing.bin");
        NativeIoException notFound = assertThrows(NativeIoException.class, () -> FileRegion.open(missing));
        assertEquals("open " + missing + " failed: ENOENT (No such file or directory)", notFound.getMessage());
        Path small = randomFile("small.bin", 100);
        IOException tooLong = assertThrows(IOException.class, () -> FileRegion.open(small, 50, 51));
        assertTrue(tooLong.getMessage().contains(small + " is 100 bytes long"), tooLong.getMessage());
        IOException directory = assertThrows(IOException.class, () -> FileRegion.open(dir, 0, 1));
        assertTrue(directory.getMessage().contains(dir.toString()), directory.getMessage());
    }
}
