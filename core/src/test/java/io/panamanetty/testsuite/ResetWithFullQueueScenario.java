package io.panamanetty.testsuite;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.internal.AbstractChannel;
import io.panamanetty.testing.LeakCheck;
import io.panamanetty.tls.TlsContext;
import io.panamanetty.tls.TlsContexts;
import io.panamanetty.tls.TlsTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer resets its connection (SO_LINGER 0, then close) while the server has far more
 * queued for it than the socket holds: every write promise completes, those not sent fail
 * with an {@link IOException} that says why, every queued buffer is released, and another
 * connection on the same loop goes on echoing. In clear and under TLS 1.3.
 */
@ExtendWith(LeakCheck.class)
public abstract class ResetWithFullQueueScenario extends TransportScenario {
    private static final int TIMEOUT_SECONDS = 30;
    private static final int PIECE = 64 * 1024;
    private static final int PIECES = 64;   // 4 MiB queued, against a socket of a few KiB

    @TempDir
    static Path dir;
    static TlsTestSupport.Certificate cert;

    @BeforeAll
    static void certificates() throws Exception {
        cert = TlsTestSupport.selfSigned(dir, "localhost");
    }

    /** Queues {@link #PIECES} pieces at once, whatever the writability, keeping every promise. */
    private static final class Flood extends WhenReady {
        final List<ChannelFuture> writes = new CopyOnWriteArrayList<>();
        final List<Throwable> caught = new CopyOnWriteArrayList<>();
        final CompletableFuture<Long> queued = new CompletableFuture<>();
        final CountDownLatch inactive = new CountDownLatch(1);

        Flood(boolean tls) {
            super(tls);
        }

        @Override
        void ready(ChannelHandlerContext ctx) {
            byte[] bytes = new byte[PIECE];
            new Random(5).nextBytes(bytes);
            for (int i = 0; i < PIECES; i++) {
                Buffer piece = ctx.alloc().allocate(PIECE);
                piece.writeBytes(bytes);
                writes.add(ctx.write(piece));
            }
            ctx.flush();
            // Checked after this turn's writing: what the socket could not take waits in the queue.
            ctx.eventLoop().execute(() -> queued.complete(((AbstractChannel) ctx.channel()).pendingOutboundBytes()));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            caught.add(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inactive.countDown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"clear", "tls"})
    public void writesQueuedForAPeerThatResetsFailAndTheLoopServesTheOthers(String mode) throws Exception {
        boolean tls = mode.equals("tls");
        TlsContext context = tls ? TlsContexts.server(cert.cert(), cert.key()).build() : null;
        Flood flood = new Flood(tls);
        try (EventLoopGroup group = transport().newGroup(1, "reset-full-queue")) {
            Channel floodServer = transport().serverBootstrap().group(group)
                    .childOption(ChannelOption.SO_SNDBUF, SlowPeer.SMALL_BUFFER)
                    .childInitializer(ch -> {
                        if (context != null) {
                            ch.pipeline().addLast("tls", context.newHandler());
                        }
                        ch.pipeline().addLast("flood", flood);
                    })
                    .bind("127.0.0.1", 0).sync().channel();
            Channel echoServer = transport().serverBootstrap().group(group).bind("127.0.0.1", 0).sync().channel();
            try (StreamPeer healthy = StreamPeer.connect(echoServer.localAddress())) {
                echoOnce(healthy, 1);

                SlowPeer victim = SlowPeer.connect(floodServer.localAddress(), tls ? cert.cert() : null);
                try {
                    long queued = flood.queued.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    assertTrue(queued > PIECES * (long) PIECE / 2, mode + ": only " + queued + " bytes waited in the queue");
                    victim.in().readNBytes(1000);   // a little arrives: the connection works until the reset
                } finally {
                    victim.reset();
                }
                assertTrue(flood.inactive.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), mode + ": the reset channel stayed open");

                int failed = 0;
                for (ChannelFuture write : flood.writes) {
                    assertTrue(write.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), mode + ": a write promise never completed");
                    if (!write.isSuccess()) {
                        failed++;
                        Throwable cause = write.cause();
                        assertInstanceOf(IOException.class, cause, mode + ": " + cause);
                    }
                }
                assertTrue(failed > 0, mode + ": every write succeeded, though the peer reset");
                assertFalse(flood.writes.getLast().isSuccess(), mode + ": the last write succeeded");
                for (Throwable cause : flood.caught) {
                    assertInstanceOf(IOException.class, cause, mode + ": " + cause);
                }
                String reasons = flood.caught + " " + flood.writes.getLast().cause();
                assertTrue(reasons.contains("ECONNRESET") || reasons.contains("EPIPE"),
                        mode + ": nothing said the peer reset: " + reasons);

                echoOnce(healthy, 2);   // the loop still serves the other connection
            }
            floodServer.close().sync();
            echoServer.close().sync();
        }
        assertEquals(PIECES, flood.writes.size());
    }

    private static void echoOnce(StreamPeer peer, int seed) throws IOException {
        byte[] payload = new byte[256 * 1024];
        new Random(seed).nextBytes(payload);
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                peer.out().write(payload);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        byte[] echoed = peer.in().readNBytes(payload.length);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertNotNull(echoed);
        assertArrayEquals(payload, echoed, "the healthy connection's echo");
    }
}
