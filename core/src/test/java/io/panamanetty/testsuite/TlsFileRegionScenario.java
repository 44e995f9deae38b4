package io.panamanetty.testsuite;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.PendingOutboundBytes;
import io.panamanetty.file.FileRegion;
import io.panamanetty.testing.LeakCheck;
import io.panamanetty.tls.TlsContext;
import io.panamanetty.tls.TlsContexts;
import io.panamanetty.tls.TlsTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link FileRegion} written on a TLS channel: read in chunks and encrypted, in order
 * among the other writes, with what waits in the channel's outbound queue bounded however
 * large the file; {@code openssl s_client} receives it byte for byte.
 */
@ExtendWith(LeakCheck.class)
public abstract class TlsFileRegionScenario extends TransportScenario {

    /** Only for a transport that has them: one that declares it does not is skipped, visibly. */
    @BeforeEach
    void transportHasFileRegions() {
        requireFeature(TestTransport.Feature.FILE_REGION);
    }
    private static final int TIMEOUT_SECONDS = 120;
    /** Encrypted bytes allowed to wait in the outbound queue at once: a few chunks' records, far below the file. */
    private static final long QUEUED_BOUND = 4L * 1024 * 1024;

    @TempDir
    static Path dir;
    static TlsTestSupport.Certificate cert;

    @BeforeAll
    static void certificates() throws Exception {
        cert = TlsTestSupport.selfSigned(dir, "tls-region");
    }

    /** Between the head and the TlsHandler: the most encrypted bytes handed to the socket side and not yet sent. */
    static final class QueuedRecorder implements ChannelHandler {
        final AtomicLong handed = new AtomicLong();
        final AtomicLong mostQueued = new AtomicLong();

        @Override
        public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
            if (message instanceof Buffer buffer) {
                long queued = handed.addAndGet(buffer.readableBytes()) - PendingOutboundBytes.written(ctx.channel());
                mostQueued.accumulateAndGet(queued, Math::max);
            }
            ctx.write(message, promise);
        }
    }

    @Test
    public void aRegionIsEncryptedInChunksInOrderAndInBoundedMemory() throws Exception {
        byte[] content = new byte[48 * 1024 * 1024 + 77];
        new Random(48).nextBytes(content);
        Path file = Files.write(dir.resolve("region.bin"), content);
        TlsContext tls = TlsContexts.server(cert.cert(), cert.key()).build();
        QueuedRecorder queued = new QueuedRecorder();
        BlockingQueue<Channel> children = new LinkedBlockingQueue<>();
        CountDownLatch handshake = new CountDownLatch(1);
        try (EventLoopGroup group = transport().newGroup(1, "tls-region")) {
            Channel listener = transport().serverBootstrap().group(group).childInitializer(ch -> {
                ch.pipeline().addLast("queued", queued);
                ch.pipeline().addLast("tls", tls.newHandler());
                ch.pipeline().addLast("handshake", new ChannelHandler() {
                    @Override
                    public void channelHandshakeComplete(ChannelHandlerContext ctx) {
                        handshake.countDown();
                    }
                });
                children.add(ch);
            }).bind("127.0.0.1", 0).sync().channel();
            Path out = dir.resolve("s_client-region.out");
            Process client = new ProcessBuilder("openssl", "s_client", "-connect",
                    "127.0.0.1:" + ((InetSocketAddress) listener.localAddress()).getPort(), "-quiet",
                    "-CAfile", cert.cert().toString(), "-servername", "localhost")
                    .redirectOutput(out.toFile()).redirectError(dir.resolve("s_client-region.log").toFile()).start();
            try {
                Channel child = children.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertTrue(child != null, "s_client did not connect");
                assertTrue(handshake.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "no handshake");
                FileRegion region = FileRegion.open(file, 11, content.length - 22);
                CompletableFuture<ChannelFuture> fromListener = new CompletableFuture<>();
                child.write("head:");
                ChannelFuture sent = child.write(region);
                sent.addListener(f -> {   // the next file from the first one's listener, as a file server does
                    try {
                        fromListener.complete(child.writeAndFlush(FileRegion.open(file, 0, 5)));
                    } catch (Exception e) {
                        fromListener.completeExceptionally(e);
                    }
                });
                child.writeAndFlush(":tail");   // written before the region is done: it leaves before the next file
                ChannelFuture last = fromListener.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertTrue(last.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the writes did not finish");
                assertTrue(sent.isSuccess(), () -> "the region failed: " + sent.cause());
                assertTrue(last.isSuccess(), () -> "the second region failed: " + last.cause());
                assertEquals(0, region.refCnt(), "released (its file closed) once sent");
                child.close().sync();
                assertTrue(client.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "s_client did not end");
            } finally {
                client.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            byte[] got = Files.readAllBytes(out);
            byte[] expected = concat("head:".getBytes(StandardCharsets.US_ASCII),
                    Arrays.copyOfRange(content, 11, content.length - 11), ":tail".getBytes(StandardCharsets.US_ASCII),
                    Arrays.copyOfRange(content, 0, 5));
            assertEquals(expected.length, got.length, "bytes received");
            assertArrayEquals(expected, got);
            assertTrue(queued.mostQueued.get() <= QUEUED_BOUND, "up to " + queued.mostQueued.get()
                    + " encrypted bytes waited in the outbound queue for a " + content.length + "-byte file");
            listener.close().sync();
        }
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
