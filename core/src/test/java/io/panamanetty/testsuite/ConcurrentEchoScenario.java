package io.panamanetty.testsuite;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Many connections at once, each echoing 1 MiB of random bytes sent in random chunk
 * sizes (1 byte to 64 KiB), compared byte for byte: plain Java clients against a
 * panama-netty echo server, panama-netty clients against it, and panama-netty clients
 * against a plain Java echo server; over IPv4 and, where it can be bound, IPv6.
 */
@ExtendWith(LeakCheck.class)
public abstract class ConcurrentEchoScenario extends TransportScenario {
    private static final int CONNECTIONS = 16;
    private static final int PAYLOAD_BYTES = 1 << 20;
    private static final int MAX_CHUNK = 64 * 1024;
    private static final int TIMEOUT_SECONDS = 60;

    @Test
    public void javaSocketClientsAgainstEchoServerOverIpv4() throws Exception {
        javaSocketClientsAgainstEchoServer("127.0.0.1", 1);
    }

    @Test
    public void javaSocketClientsAgainstEchoServerOverIpv6() throws Exception {
        requireIpv6Loopback();
        javaSocketClientsAgainstEchoServer("::1", 2);
    }

    @Test
    public void bootstrapClientsAgainstEchoServerOverIpv4() throws Exception {
        bootstrapClientsAgainstEchoServer("127.0.0.1", 3);
    }

    @Test
    public void bootstrapClientsAgainstEchoServerOverIpv6() throws Exception {
        requireIpv6Loopback();
        bootstrapClientsAgainstEchoServer("::1", 4);
    }

    @Test
    public void bootstrapClientsAgainstPlainJavaEchoServer() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 64, InetAddress.getByName("127.0.0.1"))) {
            Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> serverThreads = new ArrayList<>();
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = Thread.ofPlatform().name("java-echo-acceptor").start(() -> {
                try {
                    for (int i = 0; i < CONNECTIONS; i++) {
                        Socket socket = listener.accept();
                        synchronized (accepted) {
                            accepted.add(socket);
                        }
                        Thread echo = Thread.ofPlatform().name("java-echo-" + i).start(() -> {
                            try (socket) {
                                socket.setSoTimeout(TIMEOUT_SECONDS * 1000);
                                socket.getInputStream().transferTo(socket.getOutputStream());
                            } catch (IOException e) {
                                failures.add(e);
                            }
                        });
                        synchronized (serverThreads) {
                            serverThreads.add(echo);
                        }
                    }
                } catch (IOException e) {
                    failures.add(e);
                }
            });
            try (EventLoopGroup clients = transport().newGroup(2, "cecho-client")) {
                runBootstrapClients(clients, "127.0.0.1", listener.getLocalPort(), 5);
            } finally {
                acceptor.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
                List<Thread> toJoin;
                synchronized (serverThreads) {
                    toJoin = List.copyOf(serverThreads);
                }
                for (Thread thread : toJoin) {
                    thread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
                }
                synchronized (accepted) {
                    for (Socket socket : accepted) {
                        socket.close();
                    }
                }
            }
            assertTrue(failures.isEmpty(), () -> "the Java echo server failed: " + failures);
            assertFalse(acceptor.isAlive(), "the Java acceptor did not finish");
        }
    }

    // ------------------------------------------------------------------ cases

    private void javaSocketClientsAgainstEchoServer(String host, long seed) throws Exception {
        try (EventLoopGroup group = transport().newGroup(2, "cecho-server")) {
            Channel server = transport().serverBootstrap().group(group).bind(host, 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            byte[][] payloads = payloads(seed);
            byte[][] echoed = new byte[CONNECTIONS][];
            Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Socket> sockets = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    Socket socket = new Socket();
                    sockets.add(socket);
                    socket.connect(new InetSocketAddress(host, port), TIMEOUT_SECONDS * 1000);
                    socket.setSoTimeout(TIMEOUT_SECONDS * 1000);
                    int index = i;
                    Random chunks = new Random(seed * 1000 + i);
                    CountDownLatch allRead = new CountDownLatch(1);
                    threads.add(Thread.ofPlatform().name("cecho-writer-" + i).start(() -> {
                        try {
                            writeInChunks(socket.getOutputStream(), payloads[index], chunks);
                            // Half-close only once everything came back: on the peer's FIN
                            // a channel without half-closure closes, dropping unsent echo.
                            if (!allRead.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                                throw new AssertionError("reader " + index + " did not finish");
                            }
                            socket.shutdownOutput();
                        } catch (Throwable t) {
                            failures.add(t);
                        }
                    }));
                    threads.add(Thread.ofPlatform().name("cecho-reader-" + i).start(() -> {
                        try {
                            InputStream in = socket.getInputStream();
                            echoed[index] = in.readNBytes(PAYLOAD_BYTES);
                            allRead.countDown();
                            int after = in.read();   // the server closes once it sees our FIN
                            if (after != -1) {
                                throw new AssertionError("extra byte after the echo: " + after);
                            }
                        } catch (Throwable t) {
                            allRead.countDown();
                            failures.add(t);
                        }
                    }));
                }
                joinAll(threads);
            } finally {
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
            assertTrue(failures.isEmpty(), () -> "client threads failed: " + failures);
            for (int i = 0; i < CONNECTIONS; i++) {
                assertArrayEquals(payloads[i], echoed[i], "echo of connection " + i);
            }
            server.close().sync();
        }
    }

    private void bootstrapClientsAgainstEchoServer(String host, long seed) throws Exception {
        try (EventLoopGroup servers = transport().newGroup(2, "cecho-server");
             EventLoopGroup clients = transport().newGroup(2, "cecho-client")) {
            Channel server = transport().serverBootstrap().group(servers).bind(host, 0).sync().channel();
            runBootstrapClients(clients, host, ((InetSocketAddress) server.localAddress()).getPort(), seed);
            server.close().sync();
        }
    }

    /** Connects {@link #CONNECTIONS} clients, writes interleaved random chunks from this thread, checks the echo. */
    private void runBootstrapClients(EventLoopGroup group, String host, int port, long seed)
            throws Exception {
        byte[][] payloads = payloads(seed);
        Collector[] collectors = new Collector[CONNECTIONS];
        Channel[] channels = new Channel[CONNECTIONS];
        try {
            for (int i = 0; i < CONNECTIONS; i++) {
                Collector collector = new Collector();
                collectors[i] = collector;
                channels[i] = transport().bootstrap().group(group).handler(() -> collector)
                        .connect(host, port).sync().channel();
            }
            Random chunks = new Random(seed);
            int[] offsets = new int[CONNECTIONS];
            List<ChannelFuture> writes = new ArrayList<>();
            int remaining = CONNECTIONS;
            for (int round = 0; remaining > 0 && round <= PAYLOAD_BYTES; round++) {
                remaining = 0;
                for (int i = 0; i < CONNECTIONS; i++) {
                    int offset = offsets[i];
                    if (offset == PAYLOAD_BYTES) {
                        continue;
                    }
                    int length = Math.min(PAYLOAD_BYTES - offset, 1 + chunks.nextInt(MAX_CHUNK));
                    writes.add(channels[i].write(Arrays.copyOfRange(payloads[i], offset, offset + length)));
                    offsets[i] = offset + length;
                    if (offsets[i] < PAYLOAD_BYTES) {
                        remaining++;
                    }
                }
            }
            for (int i = 0; i < CONNECTIONS; i++) {
                assertEquals(PAYLOAD_BYTES, offsets[i], "bytes written on connection " + i);
            }
            for (int i = 0; i < CONNECTIONS; i++) {
                Collector collector = collectors[i];
                assertTrue(collector.done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                        "connection " + i + " got " + collector.count + " of " + PAYLOAD_BYTES + " bytes");
                assertNull(collector.failure, "connection " + i + " failed");
                assertArrayEquals(payloads[i], collector.received, "echo of connection " + i);
            }
            for (ChannelFuture write : writes) {
                assertTrue(write.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "a write did not complete");
                assertTrue(write.isSuccess(), () -> "a write failed: " + write.cause());
            }
        } finally {
            for (Channel channel : channels) {
                if (channel != null) {
                    channel.close().await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                }
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Collects what a client channel reads, up to {@link #PAYLOAD_BYTES}. */
    private static final class Collector extends ChannelHandlerAdapter {
        final byte[] received = new byte[PAYLOAD_BYTES];
        final CountDownLatch done = new CountDownLatch(1);
        volatile int count;
        volatile Throwable failure;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            Buffer buffer = (Buffer) message;
            int length = buffer.readableBytes();
            if (count + length > PAYLOAD_BYTES) {
                failure = new AssertionError("more bytes than were sent: " + (count + length));
                done.countDown();
                return;
            }
            buffer.getBytes(buffer.readerIndex(), received, count, length);
            count += length;
            if (count == PAYLOAD_BYTES) {
                done.countDown();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failure = cause;
            done.countDown();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (count < PAYLOAD_BYTES && failure == null) {
                failure = new AssertionError("closed after " + count + " bytes");
            }
            done.countDown();
        }
    }

    private static byte[][] payloads(long seed) {
        Random random = new Random(seed);
        byte[][] payloads = new byte[CONNECTIONS][PAYLOAD_BYTES];
        for (byte[] payload : payloads) {
            random.nextBytes(payload);
        }
        return payloads;
    }

    private static void writeInChunks(OutputStream out, byte[] payload, Random chunks) throws IOException {
        int offset = 0;
        while (offset < payload.length) {
            int length = Math.min(payload.length - offset, 1 + chunks.nextInt(MAX_CHUNK));
            out.write(payload, offset, length);
            offset += length;
        }
        out.flush();
    }

    private static void joinAll(List<Thread> threads) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        for (Thread thread : threads) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0 || !thread.join(java.time.Duration.ofMillis(left))) {
                fail("thread " + thread.getName() + " did not finish");
            }
        }
    }

    private static void requireIpv6Loopback() {
        boolean bound;
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            bound = true;
        } catch (IOException | SecurityException e) {
            bound = false;
        }
        requireEnvironment(bound, "a bindable IPv6 loopback (::1)");
    }
}
