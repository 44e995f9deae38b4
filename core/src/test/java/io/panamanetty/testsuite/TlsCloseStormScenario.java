package io.panamanetty.testsuite;

import io.panamanetty.channel.Channel;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CloseStormScenario}'s shape under TLS 1.3: many connections with small buffers to a TLS
 * echo, each ending at a random point and in a random way (mid-handshake, a TCP close without
 * close_notify, a reset, a close_notify then a close, a flood the server cannot pass on then a
 * reset). One loop serves them all; afterwards every server channel has closed, nothing leaked
 * (the TLS handler's held writes and partial records included), and the loop serves a last
 * connection.
 */
@ExtendWith(LeakCheck.class)
public abstract class TlsCloseStormScenario extends TransportScenario {
    private static final int TIMEOUT_SECONDS = 30;
    private static final int CONNECTIONS = 200;
    private static final int PEER_THREADS = 8;

    @TempDir
    static Path dir;
    static TlsTestSupport.Certificate cert;

    @BeforeAll
    static void certificates() throws Exception {
        cert = TlsTestSupport.selfSigned(dir, "localhost");
    }

    private enum Ending { MID_HANDSHAKE, ABORT, RESET, CLOSE_NOTIFY, FLOOD_THEN_RESET }

    /** Counts the server's channels as they open and close; keeps what they failed with. */
    private static final class Tracker extends ChannelHandlerAdapter {
        final AtomicInteger active;
        final AtomicInteger inactive;
        final ConcurrentLinkedQueue<Throwable> failures;

        Tracker(AtomicInteger active, AtomicInteger inactive, ConcurrentLinkedQueue<Throwable> failures) {
            this.active = active;
            this.inactive = inactive;
            this.failures = failures;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            active.incrementAndGet();
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inactive.incrementAndGet();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failures.add(cause);
            ctx.fireExceptionCaught(cause);   // the echo closes the channel
        }
    }

    @Test
    public void tlsConnectionsEndingAnywhereLeaveNothingBehindAndTheLoopServesOn() throws Exception {
        TlsContext context = TlsContexts.server(cert.cert(), cert.key()).build();
        AtomicInteger active = new AtomicInteger();
        AtomicInteger inactive = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> peerFailures = new ConcurrentLinkedQueue<>();
        try (EventLoopGroup group = transport().newGroup(1, "tls-close-storm")) {
            Channel server = transport().serverBootstrap().group(group)
                    .option(ChannelOption.SO_RCVBUF, SlowPeer.SMALL_BUFFER)   // inherited (see CloseStormScenario)
                    .childOption(ChannelOption.SO_SNDBUF, SlowPeer.SMALL_BUFFER)
                    .childInitializer(ch -> {
                        ch.pipeline().addLast("tls", context.newHandler());
                        ch.pipeline().addLast("tracker", new Tracker(active, inactive, failures));
                        ch.pipeline().addLast("echo", new EchoHandler());
                    })
                    .bind("127.0.0.1", 0).sync().channel();
            ExecutorService peers = Executors.newFixedThreadPool(PEER_THREADS,
                    Thread.ofPlatform().name("tls-storm-peer-", 0).factory());
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    Random random = new Random(2000 + i);
                    Ending ending = Ending.values()[i % Ending.values().length];
                    peers.execute(() -> {
                        try {
                            connectEchoAndEnd(server.localAddress(), random, ending);
                        } catch (Throwable t) {
                            peerFailures.add(new AssertionError(ending + ": " + t, t));
                        }
                    });
                }
            } finally {
                peers.shutdown();
                assertTrue(peers.awaitTermination(4 * TIMEOUT_SECONDS, TimeUnit.SECONDS), "the peers did not finish");
            }
            assertTrue(peerFailures.isEmpty(), () -> "peers failed: " + peerFailures);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (inactive.get() < CONNECTIONS && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(CONNECTIONS, active.get(), "server channels that became active");
            assertEquals(CONNECTIONS, inactive.get(), "server channels closed after the storm");
            for (Throwable cause : failures) {
                assertInstanceOf(IOException.class, cause, "a server channel failed with " + cause);
            }

            try (SlowPeer last = SlowPeer.connect(server.localAddress(), cert.cert())) {
                byte[] payload = new byte[256 * 1024];
                new Random(98).nextBytes(payload);
                last.startWriting(payload, false);
                assertArrayEquals(payload, last.readSlowly(payload.length, Integer.MAX_VALUE), "the last connection's echo");
                last.awaitWriter();
            }
            server.close().sync();
        }
    }

    /** One connection: a handshake (unless it ends in one), a few echoed rounds (checked), then its end. */
    private static void connectEchoAndEnd(SocketAddress address, Random random, Ending ending) throws Exception {
        if (ending == Ending.MID_HANDSHAKE) {
            try (Socket socket = new Socket()) {
                socket.connect(address, TIMEOUT_SECONDS * 1000);
                // The start of a ClientHello record, cut short.
                byte[] partial = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03};
                socket.getOutputStream().write(partial, 0, 1 + random.nextInt(partial.length));
                if (random.nextBoolean()) {
                    socket.setSoLinger(true, 0);
                }
            }
            return;
        }
        SlowPeer peer = SlowPeer.connect(address, cert.cert());
        try {
            int rounds = random.nextInt(5);
            for (int round = 0; round < rounds; round++) {
                byte[] chunk = new byte[1 + random.nextInt(8192)];
                random.nextBytes(chunk);
                peer.out().write(chunk);
                peer.out().flush();
                assertArrayEquals(chunk, peer.in().readNBytes(chunk.length), "round " + round + " of the echo");
            }
            byte[] last = new byte[1 + random.nextInt(8192)];
            random.nextBytes(last);
            switch (ending) {
                case ABORT -> {
                    peer.out().write(last);
                    peer.tcp().close();   // no close_notify, echo in flight
                }
                case RESET -> {
                    peer.out().write(last);
                    peer.reset();
                }
                case CLOSE_NOTIFY -> {
                    peer.out().write(last);
                    peer.out().flush();
                    peer.shutdownOutput();   // close_notify
                    peer.in().readNBytes(random.nextInt(last.length + 1));
                }
                case FLOOD_THEN_RESET -> flood(peer);
                default -> throw new AssertionError(ending);
            }
        } finally {
            peer.close();
        }
    }

    /** Writes without reading from a thread until the writes stall (bounded), then resets under it. */
    private static void flood(SlowPeer peer) throws Exception {
        AtomicLong written = new AtomicLong();
        Thread writer = Thread.ofPlatform().name("tls-storm-flood").start(() -> {
            byte[] chunk = new byte[16 * 1024];
            try {
                for (int i = 0; i < 256; i++) {   // at most 4 MiB
                    peer.out().write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException expected) {
                // the reset, under the blocked write
            }
        });
        long last = -1;
        for (int i = 0; i < 200 && writer.isAlive(); i++) {   // up to about 4 s: until no progress for 50 ms
            Thread.sleep(20);
            long now = written.get();
            if (now == last && i > 2) {
                break;
            }
            last = now;
        }
        peer.reset();
        assertTrue(writer.join(java.time.Duration.ofSeconds(TIMEOUT_SECONDS)), "the flooding writer did not stop");
    }
}
