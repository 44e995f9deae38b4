package io.panamanetty.testsuite;

import io.panamanetty.channel.Channel;
import java.util.concurrent.CompletableFuture;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.handler.EchoHandler;
import io.panamanetty.testing.LeakCheck;
import io.panamanetty.tls.TlsContext;
import io.panamanetty.tls.TlsContexts;
import io.panamanetty.tls.TlsTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer that stops reading entirely, against the echo server with auto-read on and small
 * water marks: the channel turns unwritable (and the echo stops reading) while the peer
 * reads nothing, turns writable again only after the peer resumes, and not a byte is lost;
 * and a close asked for while such a peer has a megabyte waiting completes all the same (under
 * TLS it waits a while for its close_notify, not for ever). In clear and under TLS 1.3.
 */
@ExtendWith(LeakCheck.class)
public abstract class StalledReaderScenario extends TransportScenario {
    private static final int TIMEOUT_SECONDS = 30;

    @TempDir
    static Path dir;
    static TlsTestSupport.Certificate cert;

    @BeforeAll
    static void certificates() throws Exception {
        cert = TlsTestSupport.selfSigned(dir, "localhost");
    }

    /** Records each writability change the echo behind it sees, and failures. */
    private static final class Writability extends ChannelHandlerAdapter {
        final List<Boolean> changes = new CopyOnWriteArrayList<>();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        final CountDownLatch inactive = new CountDownLatch(1);

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            changes.add(ctx.channel().isWritable());
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failures.add(cause);
            ctx.fireExceptionCaught(cause);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inactive.countDown();
            ctx.fireChannelInactive();
        }

        boolean await(java.util.function.Predicate<List<Boolean>> done) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (!done.test(changes) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            return done.test(changes);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"clear", "tls"})
    public void writabilityTurnsBackOnlyAfterTheStalledPeerResumesAndNothingIsLost(String mode) throws Exception {
        boolean tls = mode.equals("tls");
        TlsContext context = tls ? TlsContexts.server(cert.cert(), cert.key()).build() : null;
        Writability writability = new Writability();
        byte[] payload = new byte[1 << 20];
        new Random(31).nextBytes(payload);
        try (EventLoopGroup group = transport().newGroup(1, "stalled-reader")) {
            Channel server = transport().serverBootstrap().group(group)
                    .childOption(ChannelOption.AUTO_READ, true)
                    .childOption(ChannelOption.WRITE_BUFFER_HIGH_WATER_MARK, 32 * 1024)
                    .childOption(ChannelOption.WRITE_BUFFER_LOW_WATER_MARK, 8 * 1024)
                    .childOption(ChannelOption.SO_SNDBUF, SlowPeer.SMALL_BUFFER)
                    .childInitializer(ch -> {
                        if (context != null) {
                            ch.pipeline().addLast("tls", context.newHandler());
                        }
                        ch.pipeline().addLast("writability", writability);
                        ch.pipeline().addLast("echo", new EchoHandler());
                    })
                    .bind("127.0.0.1", 0).sync().channel();
            try (SlowPeer peer = SlowPeer.connect(server.localAddress(), tls ? cert.cert() : null)) {
                peer.startWriting(payload, false);   // and reads nothing for now
                assertTrue(writability.await(changes -> !changes.isEmpty()),
                        mode + ": the channel never turned unwritable");
                assertEquals(List.of(false), writability.changes, mode + ": first change");
                Thread.sleep(300);   // the peer still reads nothing: the channel stays unwritable
                assertEquals(List.of(false), writability.changes, mode + ": while the peer reads nothing");

                byte[] echoed = peer.readSlowly(payload.length, 64 * 1024);
                peer.awaitWriter();
                assertEquals(payload.length, echoed.length, mode + ": bytes echoed");
                assertArrayEquals(payload, echoed, mode + ": the echo");
                assertTrue(writability.await(changes -> changes.getLast()),
                        mode + ": not writable again after the peer resumed: " + writability.changes);
                List<Boolean> changes = List.copyOf(writability.changes);
                for (int i = 0; i < changes.size(); i++) {
                    assertEquals(i % 2 == 1, changes.get(i), mode + ": changes alternate: " + changes);
                }
            }
            assertTrue(writability.inactive.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), mode + ": the child stayed open");
            assertTrue(writability.failures.isEmpty(), () -> mode + ": the server failed: " + writability.failures);
            server.close().sync();
        }
    }

    /** Writes 1 MiB, whatever the writability, once active (under TLS: once the handshake is done). */
    private static final class WriteAMegabyte extends WhenReady {
        final CompletableFuture<Channel> written = new CompletableFuture<>();
        final List<ChannelFuture> writes = new CopyOnWriteArrayList<>();

        WriteAMegabyte(boolean tls) {
            super(tls);
        }

        @Override
        void ready(ChannelHandlerContext ctx) {
            for (int i = 0; i < 16; i++) {
                var piece = ctx.alloc().allocate(64 * 1024);
                piece.writerIndex(64 * 1024);
                writes.add(ctx.write(piece));
            }
            ctx.flush();
            written.complete(ctx.channel());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"clear", "tls"})
    public void aCloseWhileThePeerReadsNothingStillCloses(String mode) throws Exception {
        boolean tls = mode.equals("tls");
        TlsContext context = tls ? TlsContexts.server(cert.cert(), cert.key()).build() : null;
        WriteAMegabyte writer = new WriteAMegabyte(tls);
        try (EventLoopGroup group = transport().newGroup(1, "stalled-close")) {
            Channel server = transport().serverBootstrap().group(group)
                    .childOption(ChannelOption.SO_SNDBUF, SlowPeer.SMALL_BUFFER)
                    .childInitializer(ch -> {
                        if (context != null) {
                            ch.pipeline().addLast("tls", context.newHandler());
                        }
                        ch.pipeline().addLast("writer", writer);
                    })
                    .bind("127.0.0.1", 0).sync().channel();
            try (SlowPeer peer = SlowPeer.connect(server.localAddress(), tls ? cert.cert() : null)) {
                Channel child = writer.written.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                ChannelFuture close = child.close();   // the peer never reads
                assertTrue(close.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), mode + ": the close never completed");
                assertTrue(close.isSuccess(), mode + ": the close failed");
                for (var write : writer.writes) {
                    assertTrue(write.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), mode + ": a write never completed");
                }
                assertTrue(writer.writes.stream().anyMatch(w -> !w.isSuccess()), mode + ": 1 MiB left for a peer that read none");
                assertTrue(peer.tcp().isConnected());
            }
            server.close().sync();
        }
    }
}
