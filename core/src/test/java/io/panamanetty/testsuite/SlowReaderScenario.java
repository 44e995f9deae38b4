package io.panamanetty.testsuite;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelFutureListener;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelInputShutdownEvent;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.StreamChannel;
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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer slower than the server, with small socket buffers on both sides, when the connection
 * ends: what the server owes it still waits in the server's outbound queue as the end comes,
 * and must all leave before the close. Each runs in clear and under TLS 1.3 (a JDK peer).
 * <ul>
 *   <li>the peer half-closes (FIN, or close_notify) after sending a lot while reading the echo
 *       slowly: every byte comes back, then the end;</li>
 *   <li>the server's handler writes a lot and closes from the last write's listener: the peer
 *       gets every byte before the end.</li>
 * </ul>
 */
@ExtendWith(LeakCheck.class)
public abstract class SlowReaderScenario extends TransportScenario {
    private static final int TIMEOUT_SECONDS = 30;

    @TempDir
    static Path dir;
    static TlsTestSupport.Certificate cert;

    @BeforeAll
    static void certificates() throws Exception {
        cert = TlsTestSupport.selfSigned(dir, "localhost");
    }

    /** Echoes; on the peer's FIN (with half-closure allowed) shuts its own output down after the echo. */
    private static final class EchoThenShutdown extends EchoHandler {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ChannelInputShutdownEvent) {
                ((StreamChannel) ctx.channel()).shutdownOutput();
            }
            ctx.fireUserEventTriggered(event);
        }
    }

    /** The handler before the server child's own: records failures and the child itself. */
    private static final class Recorder extends ChannelHandlerAdapter {
        final List<Throwable> failures;
        final LinkedBlockingQueue<Channel> children;

        Recorder(List<Throwable> failures, LinkedBlockingQueue<Channel> children) {
            this.failures = failures;
            this.children = children;
        }

        @Override
        public void channelRegistered(ChannelHandlerContext ctx) {
            children.add(ctx.channel());
            ctx.fireChannelRegistered();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failures.add(cause);
            ctx.fireExceptionCaught(cause);
        }
    }

    /** A server whose children have a small send buffer and, first, TLS when {@code tls}. */
    private Channel server(EventLoopGroup group, boolean tls, boolean halfClosure, Supplier<ChannelHandler> handler,
                           List<Throwable> failures, LinkedBlockingQueue<Channel> children) throws Exception {
        TlsContext context = tls ? TlsContexts.server(cert.cert(), cert.key()).build() : null;
        return transport().serverBootstrap().group(group)
                .childOption(ChannelOption.SO_SNDBUF, SlowPeer.SMALL_BUFFER)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, halfClosure)
                .childInitializer(ch -> {
                    if (context != null) {
                        ch.pipeline().addLast("tls", context.newHandler());
                    }
                    ch.pipeline().addLast("recorder", new Recorder(failures, children));
                    ch.pipeline().addLast("handler", handler.get());
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    @ParameterizedTest
    @ValueSource(strings = {"clear", "clear-half-closure", "tls"})
    public void thePeersEndAfterALargeSendComesAfterEveryEchoedByte(String mode) throws Exception {
        boolean tls = mode.equals("tls");
        boolean halfClosure = mode.equals("clear-half-closure");
        byte[] payload = new byte[2 << 20];
        new Random(17).nextBytes(payload);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        LinkedBlockingQueue<Channel> children = new LinkedBlockingQueue<>();
        try (EventLoopGroup group = transport().newGroup(1, "slow-reader-fin")) {
            Channel server = server(group, tls, halfClosure,
                    halfClosure ? EchoThenShutdown::new : EchoHandler::new, failures, children);
            try (SlowPeer peer = SlowPeer.connect(server.localAddress(), tls ? cert.cert() : null)) {
                peer.startWriting(payload, true);
                byte[] echoed = peer.readSlowly(payload.length + 1L, 16 * 1024);
                peer.awaitWriter();
                assertEquals(payload.length, echoed.length, mode + ": bytes echoed before the end");
                assertArrayEquals(payload, echoed, mode + ": the echo");
            }
            Channel child = children.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(child, "no child channel");
            assertTrue(child.closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the child did not close");
            assertTrue(failures.isEmpty(), () -> mode + ": the server failed: " + failures);
            server.close().sync();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"clear", "tls"})
    public void manySlowPeersEndingAtOnceOnOneLoopEachGetTheirWholeEcho(String mode) throws Exception {
        boolean tls = mode.equals("tls");
        int peers = 16;
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        LinkedBlockingQueue<Channel> children = new LinkedBlockingQueue<>();
        try (EventLoopGroup group = transport().newGroup(1, "slow-readers")) {
            Channel server = server(group, tls, false, EchoHandler::new, failures, children);
            List<Thread> readers = new java.util.ArrayList<>();
            List<Throwable> peerFailures = new CopyOnWriteArrayList<>();
            for (int i = 0; i < peers; i++) {
                int seed = i;
                readers.add(Thread.ofPlatform().name("slow-reader-" + i).start(() -> {
                    byte[] payload = new byte[512 * 1024 + seed];
                    new Random(seed).nextBytes(payload);
                    try (SlowPeer peer = SlowPeer.connect(server.localAddress(), tls ? cert.cert() : null)) {
                        peer.startWriting(payload, true);
                        byte[] echoed = peer.readSlowly(payload.length + 1L, 8 * 1024);
                        peer.awaitWriter();
                        assertArrayEquals(payload, echoed, mode + ": the echo of peer " + seed);
                    } catch (Throwable t) {
                        peerFailures.add(t);
                    }
                }));
            }
            for (Thread reader : readers) {
                assertTrue(reader.join(java.time.Duration.ofSeconds(4 * TIMEOUT_SECONDS)), "a peer did not finish");
            }
            assertTrue(peerFailures.isEmpty(), () -> mode + ": " + peerFailures);
            for (int i = 0; i < peers; i++) {
                Channel child = children.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertNotNull(child, "a child channel is missing");
                assertTrue(child.closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "a child did not close");
            }
            assertTrue(failures.isEmpty(), () -> mode + ": the server failed: " + failures);
            server.close().sync();
        }
    }

    /** Writes {@code payload} in 64 KiB pieces as it becomes active (or its handshake completes), closing after the last. */
    private static final class WriteAllThenClose extends WhenReady {
        final byte[] payload;
        final List<ChannelFuture> writes = new CopyOnWriteArrayList<>();

        WriteAllThenClose(byte[] payload, boolean tls) {
            super(tls);
            this.payload = payload;
        }

        @Override
        void ready(ChannelHandlerContext ctx) {
            int piece = 64 * 1024;
            for (int offset = 0; offset < payload.length; offset += piece) {
                int length = Math.min(piece, payload.length - offset);
                var buffer = ctx.alloc().allocate(length);
                buffer.writeBytes(payload, offset, length);
                if (offset + length < payload.length) {
                    writes.add(ctx.write(buffer));
                } else {
                    ChannelFuture last = ctx.writeAndFlush(buffer);
                    writes.add(last);
                    last.addListener(ChannelFutureListener.CLOSE);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"clear", "tls"})
    public void aCloseFromTheLastWritesListenerComesAfterEveryByte(String mode) throws Exception {
        boolean tls = mode.equals("tls");
        byte[] payload = new byte[4 << 20];
        new Random(23).nextBytes(payload);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        LinkedBlockingQueue<Channel> children = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<WriteAllThenClose> writers = new LinkedBlockingQueue<>();
        try (EventLoopGroup group = transport().newGroup(1, "slow-reader-close")) {
            Channel server = server(group, tls, false, () -> {
                WriteAllThenClose writer = new WriteAllThenClose(payload, tls);
                writers.add(writer);
                return writer;
            }, failures, children);
            try (SlowPeer peer = SlowPeer.connect(server.localAddress(), tls ? cert.cert() : null)) {
                byte[] received = peer.readSlowly(payload.length + 1L, 16 * 1024);
                assertEquals(payload.length, received.length, mode + ": bytes received before the end");
                assertArrayEquals(payload, received, mode + ": the bytes");
            }
            Channel child = children.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(child, "no child channel");
            assertTrue(child.closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the child did not close");
            WriteAllThenClose writer = writers.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(writer);
            assertEquals((payload.length + 64 * 1024 - 1) / (64 * 1024), writer.writes.size());
            for (ChannelFuture write : writer.writes) {
                assertTrue(write.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                assertTrue(write.isSuccess(), () -> mode + ": a write failed: " + write.cause());
            }
            assertTrue(failures.isEmpty(), () -> mode + ": the server failed: " + failures);
            server.close().sync();
        }
    }
}
