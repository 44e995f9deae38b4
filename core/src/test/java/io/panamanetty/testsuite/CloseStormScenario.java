package io.panamanetty.testsuite;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.handler.EchoHandler;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many connections with small socket buffers on both sides, each ending at a random point of
 * its echo and in a random way: a close or a reset with echo in flight, a FIN then a close, or
 * a flood the server cannot pass on (its queue full) followed by a reset or a close. One loop
 * serves them all; afterwards no descriptor or buffer is left (the leak check), every server
 * channel has closed, and the same loop serves a last, healthy connection.
 */
@ExtendWith(LeakCheck.class)
public abstract class CloseStormScenario extends TransportScenario {
    private static final int TIMEOUT_SECONDS = 30;
    private static final int CONNECTIONS = 200;
    private static final int PEER_THREADS = 8;
    private static final int SMALL = 4096;

    private enum Ending { CLOSE, RESET, FIN_THEN_CLOSE, FLOOD_THEN_RESET, FLOOD_THEN_CLOSE }

    /** Counts the server's channels as they open and close; keeps what they failed with. */
    private static final class Tracker extends ChannelHandlerAdapter {
        final AtomicInteger active;
        final AtomicInteger inactive;
        final AtomicInteger largestBuffer;
        final List<Throwable> failures;

        Tracker(AtomicInteger active, AtomicInteger inactive, AtomicInteger largestBuffer, List<Throwable> failures) {
            this.active = active;
            this.inactive = inactive;
            this.largestBuffer = largestBuffer;
            this.failures = failures;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            largestBuffer.accumulateAndGet(Math.max(ctx.channel().config().getOption(ChannelOption.SO_RCVBUF),
                    ctx.channel().config().getOption(ChannelOption.SO_SNDBUF)), Math::max);
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
    public void connectionsEndingAnywhereMidEchoLeaveNothingBehindAndTheLoopServesOn() throws Exception {
        AtomicInteger active = new AtomicInteger();
        AtomicInteger inactive = new AtomicInteger();
        AtomicInteger largestBuffer = new AtomicInteger();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        ConcurrentLinkedQueue<Throwable> peerFailures = new ConcurrentLinkedQueue<>();
        int[] endings = new int[Ending.values().length];
        try (EventLoopGroup group = transport().newGroup(1, "close-storm")) {
            Channel server = transport().serverBootstrap().group(group)
                    // On the listener, which accepted sockets inherit it from: set on a connected socket, a
                    // window this small is never offered well and loopback falls to about 40 KiB/s.
                    .option(ChannelOption.SO_RCVBUF, SMALL)
                    .childOption(ChannelOption.SO_SNDBUF, SMALL)
                    .childInitializer(ch -> {
                        ch.pipeline().addLast("tracker", new Tracker(active, inactive, largestBuffer, failures));
                        ch.pipeline().addLast("echo", new EchoHandler());
                    })
                    .bind("127.0.0.1", 0).sync().channel();
            InetSocketAddress address = (InetSocketAddress) server.localAddress();
            ExecutorService peers = Executors.newFixedThreadPool(PEER_THREADS, Thread.ofPlatform().name("storm-peer-", 0).factory());
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    Random random = new Random(1000 + i);
                    Ending ending = Ending.values()[i % endings.length];
                    endings[ending.ordinal()]++;
                    peers.execute(() -> {
                        try {
                            connectEchoAndEnd(address, random, ending);
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
            assertTrue(largestBuffer.get() <= 4 * SMALL, "a server socket's buffer was " + largestBuffer.get());
            for (Throwable cause : failures) {
                assertInstanceOf(IOException.class, cause, "a server channel failed with " + cause);
            }

            try (StreamPeer last = StreamPeer.connect(server.localAddress())) {
                byte[] payload = new byte[1 << 20];
                new Random(99).nextBytes(payload);
                Thread writer = Thread.ofPlatform().start(() -> {
                    try {
                        last.out().write(payload);
                    } catch (IOException e) {
                        peerFailures.add(e);
                    }
                });
                byte[] echoed = last.in().readNBytes(payload.length);
                assertTrue(writer.join(java.time.Duration.ofSeconds(TIMEOUT_SECONDS)), "the last writer did not finish");
                assertArrayEquals(payload, echoed, "the last connection's echo");
                assertTrue(peerFailures.isEmpty(), () -> "the last peer failed: " + peerFailures);
            }
            server.close().sync();
        }
        assertTrue(Arrays.stream(endings).allMatch(n -> n == CONNECTIONS / endings.length), Arrays.toString(endings));
    }

    /** One connection: a few echoed rounds (checked), then the end it was given, mid-echo. */
    private static void connectEchoAndEnd(InetSocketAddress address, Random random, Ending ending) throws Exception {
        try (SocketChannel channel = SocketChannel.open()) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, SMALL);   // before connecting: a small window
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SMALL);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(address);
            Socket socket = channel.socket();
            socket.setSoTimeout(TIMEOUT_SECONDS * 1000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            int rounds = random.nextInt(6);
            for (int round = 0; round < rounds; round++) {
                byte[] chunk = new byte[1 + random.nextInt(SMALL)];
                random.nextBytes(chunk);
                out.write(chunk);
                assertArrayEquals(chunk, in.readNBytes(chunk.length), "round " + round + " of the echo");
            }
            byte[] last = new byte[1 + random.nextInt(SMALL)];
            random.nextBytes(last);
            switch (ending) {
                case CLOSE -> out.write(last);   // and close with its echo on the way back
                case RESET -> {
                    out.write(last);
                    channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                }
                case FIN_THEN_CLOSE -> {
                    out.write(last);
                    channel.shutdownOutput();
                    in.readNBytes(random.nextInt(last.length + 1));   // some of the echo, maybe none
                }
                case FLOOD_THEN_RESET, FLOOD_THEN_CLOSE -> {
                    flood(channel, random);
                    if (ending == Ending.FLOOD_THEN_RESET) {
                        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                    }
                }
            }
        }
    }

    /** Writes without reading until the socket stays full (the server's queue full, its reading stopped), bounded. */
    private static void flood(SocketChannel channel, Random random) throws IOException, InterruptedException {
        channel.configureBlocking(false);
        ByteBuffer bytes = ByteBuffer.allocate(16 * 1024);
        random.nextBytes(bytes.array());
        long written = 0;
        for (int idle = 0; idle < 20 && written < (4 << 20); ) {
            int n = channel.write(bytes.clear());
            if (n == 0) {
                idle++;
                Thread.sleep(1);
            } else {
                written += n;
                idle = 0;
            }
        }
    }
}
