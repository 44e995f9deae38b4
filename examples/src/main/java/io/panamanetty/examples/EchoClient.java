package io.panamanetty.examples;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.IoHandlerFactory;
import io.panamanetty.transport.epoll.EpollIoHandlerFactory;
import io.panamanetty.tls.TlsContext;

import java.io.Serial;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends messages to an echo server one at a time, checks every echoed byte and
 * prints the round-trip times.
 */
public final class EchoClient {
    static final String USAGE = """
            usage: echo-client [--host HOST] [--port PORT] [--count N] [--size BYTES]
                               [--tls] [--ca FILE | --insecure] [--cert FILE --key FILE]
                               [--key-password P] [--transport T] | [--udp]
            Sends messages to an echo server one at a time, checks every echoed byte and prints
            the round-trip times; exits 1 at once if an echo differs or the connection fails
            or closes before the last echo. With --udp, each message is one datagram, which
            must come back whole as one datagram; it also prints the datagrams per second.
              --host          server address (default 127.0.0.1)
              --port          server port, 1 to 65535 (default 8080)
              --count         messages to send, 1 to 10000000 (default 1000)
              --size          bytes per message, 1 to 16777216, 1 to 65507 with --udp (default 32)
              --udp           send UDP datagrams to a UDP echo server (udp-echo-server)
              --tls           talk TLS; the server's certificate is verified against the JDK's
                              trust store and must match HOST
              --ca            trust the CA certificate(s) in this PEM file instead (implies --tls)
              --insecure      do NOT verify the server's certificate at all (implies --tls; tests only)
              --cert          present this PEM client certificate chain to a server that asks for
                              one (mutual TLS; implies --tls); needs --key
              --key           the PEM private key of --cert (may be the same file as --cert)
              --key-password  the password of an encrypted --key: pass:TEXT, env:VARIABLE
                              (not shown by ps), file:PATH (its first line), or the text itself
            """ + CommandLine.TRANSPORT_HELP + """
              --help          this text
            """;
    /** The most messages of one run: their round-trip times are kept, 8 bytes each. */
    static final int MAX_COUNT = 10_000_000;
    /** The largest message, 16 MiB. */
    static final int MAX_SIZE = 16 << 20;
    /** How long the client waits for one echo while the connection stays open and quiet. */
    private static final int REPLY_TIMEOUT_SECONDS = 30;

    private EchoClient() {
    }

    /** Runs the client; exits 1 if an echo differs or the server is unreachable, 2 for bad usage. */
    public static void main(String[] args) throws Exception {
        String host;
        int port;
        int count;
        int size;
        boolean udp;
        TlsOptions.Settings tls;
        IoHandlerFactory transport;
        try {
            CommandLine options = CommandLine.parse(args, Set.of("--host", "--port", "--count", "--size", "--ca",
                            "--cert", "--key", "--key-password", "--transport"),
                    Set.of("--help", "--tls", "--insecure", "--udp"));
            if (options.has("--help")) {
                System.out.print(USAGE);
                return;
            }
            host = options.get("--host", "127.0.0.1");
            port = options.getPort("--port", 8080, false);
            count = options.getInt("--count", 1000, 1, MAX_COUNT);
            udp = options.has("--udp");
            size = options.getInt("--size", 32, 1, udp ? UdpEchoClient.MAX_SIZE : MAX_SIZE);
            tls = TlsOptions.parse(options, false);
            transport = options.getTransport(false);
            if (udp && options.has("--transport")) {
                throw new IllegalArgumentException("--udp runs on epoll: leave out --transport");
            }
            if (udp && tls.tls()) {
                throw new IllegalArgumentException("--udp sends plain datagrams: leave out --tls, --ca, --insecure,"
                        + " --cert and --key");
            }
        } catch (IllegalArgumentException e) {
            System.exit(CommandLine.usageError("echo-client", e, System.err));
            return;
        }
        if (udp) {
            System.exit(UdpEchoClient.run(host, port, count, size) ? 0 : 1);
            return;
        }
        TlsContext context;
        try {
            context = tls.context();
        } catch (IllegalArgumentException e) {
            System.err.println("echo-client: " + e.getMessage());   // names the CA file and what is wrong
            System.exit(1);
            return;
        }
        System.exit(run(host, port, count, size, context, transport) ? 0 : 1);
    }

    static boolean run(String host, int port, int count, int size) throws InterruptedException {
        return run(host, port, count, size, null);
    }

    /**
     * Runs the client over TLS with {@code tls}, or plain TCP if it is {@code null}; false if anything
     * failed, after printing why in one line. A connection that closes or fails before the last echo
     * ends the run at once; an echo that does not come at all, after 30 s.
     *
     * @param count the number of messages, at least 1
     * @param size the bytes of each, at least 1
     */
    static boolean run(String host, int port, int count, int size, TlsContext tls) throws InterruptedException {
        return run(host, port, count, size, tls, new EpollIoHandlerFactory());
    }

    /** As {@link #run(String, int, int, int, TlsContext)}, on a loop {@code transport} makes. */
    static boolean run(String host, int port, int count, int size, TlsContext tls, IoHandlerFactory transport)
            throws InterruptedException {
        if (count < 1 || size < 1) {
            throw new IllegalArgumentException("count and size must be at least 1, not " + count + " and " + size);
        }
        try (EventLoopGroup group = new EventLoopGroup(1, "echo-client", transport)) {
            Collector collector = new Collector(size, count);
            Channel channel;
            try {
                Bootstrap bootstrap = new Bootstrap().group(group).handler(() -> collector);
                if (tls != null) {
                    bootstrap.tls(tls);   // the connect future completes after the handshake
                }
                channel = bootstrap.connect(host, port).sync().channel();
            } catch (RuntimeException e) {
                System.err.println("echo-client: " + TlsOptions.describeConnectFailure(e, new HostPort(host, port)));
                return false;
            }
            byte[] message = new byte[size];
            Random random = new Random(42);
            long[] rtts = new long[count];
            for (int i = 0; i < count; i++) {
                random.nextBytes(message);
                CompletableFuture<byte[]> reply = collector.expect();
                long start = System.nanoTime();
                channel.writeAndFlush(message.clone());
                byte[] echoed;
                try {
                    echoed = reply.get(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    System.err.println("echo-client: " + e.getCause().getMessage());   // says what happened when
                    channel.close();
                    return false;
                } catch (TimeoutException e) {
                    System.err.println("echo-client: no echo of message " + (i + 1) + " of " + count + " within "
                            + REPLY_TIMEOUT_SECONDS + " s");
                    channel.close();
                    return false;
                }
                rtts[i] = System.nanoTime() - start;
                if (!Arrays.equals(message, echoed)) {
                    System.err.println("echo-client: the echo of message " + (i + 1) + " of " + count
                            + " differs from what was sent");
                    channel.close();
                    return false;
                }
            }
            collector.done();
            channel.close().sync();
            Arrays.sort(rtts);
            double average = Arrays.stream(rtts).average().orElse(0) / 1000.0;
            System.out.printf("echo-client: %d messages of %d bytes echoed intact%s; RTT avg %.1f us, p50 %.1f us,"
                            + " p99 %.1f us%n", count, size, tls != null ? " over TLS" : "", average,
                    rtts[count / 2] / 1000.0, rtts[Math.min(count - 1, (int) (count * 0.99))] / 1000.0);
            return true;
        }
    }

    /**
     * Gathers echoed bytes until a whole message is back. The first thing that goes wrong (the
     * peer closing, a failure, bytes nobody sent) fails the echo awaited, or the next one asked for.
     */
    private static final class Collector extends ChannelHandlerAdapter {
        private final int size;
        private final int count;
        private byte[] pending;   // event loop only
        private int filled;       // event loop only
        private CompletableFuture<byte[]> waiting;   // guarded by this, like the fields below
        private int echoes;
        private EchoFailure failure;
        private boolean done;

        Collector(int size, int count) {
            this.size = size;
            this.count = count;
        }

        /** {@return the next echo; failed already if the connection has} */
        synchronized CompletableFuture<byte[]> expect() {
            CompletableFuture<byte[]> future = new CompletableFuture<>();
            if (failure != null) {
                future.completeExceptionally(failure);
            } else {
                waiting = future;
            }
            return future;
        }

        /** Every echo is in: the client closes the connection itself. */
        synchronized void done() {
            done = true;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            Buffer buffer = (Buffer) message;
            while (buffer.isReadable()) {
                if (pending == null) {
                    synchronized (this) {
                        if (waiting == null) {
                            fail("the server sent " + buffer.readableBytes() + " bytes more than it was sent");
                            ctx.close();
                            return;
                        }
                    }
                    pending = new byte[size];
                    filled = 0;
                }
                int n = Math.min(buffer.readableBytes(), size - filled);
                buffer.readBytes(pending, filled, n);
                filled += n;
                if (filled == size) {
                    CompletableFuture<byte[]> future;
                    synchronized (this) {
                        future = waiting;
                        waiting = null;
                        echoes++;
                    }
                    byte[] echoed = pending;
                    pending = null;
                    filled = 0;
                    if (future != null) {   // null once a failure ended the wait: the bytes are dropped
                        future.complete(echoed);
                    }
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            fail("connection closed by the peer");
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (TlsOptions.resetByPeer(cause)) {
                fail("connection reset by the peer");
            } else {
                fail("connection failed: " + TlsOptions.describeFailure(cause));
            }
            ctx.close();
        }

        /** Records the first failure, saying how far the run got, and fails the echo awaited. */
        private void fail(String what) {
            CompletableFuture<byte[]> future;
            synchronized (this) {
                if (failure != null || done) {
                    return;   // the first reason stands; after the last echo, closing is no failure
                }
                String when;
                if (filled > 0) {
                    when = " in the middle of echo " + (echoes + 1) + " of " + count + " (" + filled + " of " + size
                            + " bytes back)";
                } else if (echoes == 0) {
                    when = " before the first echo";
                } else {
                    when = " after " + echoes + " of " + count + " echoes";
                }
                int colon = what.indexOf(": ");
                failure = new EchoFailure(colon < 0 ? what + when
                        : what.substring(0, colon) + when + what.substring(colon));
                future = waiting;
                waiting = null;
            }
            if (future != null) {
                future.completeExceptionally(failure);
            }
        }
    }

    /** Why a run ended early, as the one line to print; no stack trace. */
    private static final class EchoFailure extends Exception {
        @Serial
        private static final long serialVersionUID = 1L;

        EchoFailure(String message) {
            super(message, null, false, false);
        }
    }
}
