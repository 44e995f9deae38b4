package io.panamanetty.examples;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.tls.TlsContext;

import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends messages to an echo server one at a time, checks every echoed byte and
 * prints the round-trip times.
 */
public final class EchoClient {
    static final String USAGE = """
            usage: echo-client [--host HOST] [--port PORT] [--count N] [--size BYTES]
                               [--tls] [--ca FILE | --insecure] [--cert FILE --key FILE]
              --host      server address (default 127.0.0.1)
              --port      server port (default 8080)
              --count     messages to send (default 1000)
              --size      bytes per message (default 32)
              --tls       talk TLS; the server's certificate is verified against the JDK's
                          trust store and must match HOST
              --ca        trust the CA certificate(s) in this PEM file instead (implies --tls)
              --insecure  do NOT verify the server's certificate at all (implies --tls; tests only)
              --cert      present this PEM client certificate chain to a server that asks for
                          one (mutual TLS; implies --tls); needs --key
              --key       the PEM private key of --cert (may be the same file as --cert)
            """;

    private EchoClient() {
    }

    /** Runs the client; exits non-zero if an echo differs or the server is unreachable. */
    public static void main(String[] args) throws Exception {
        String host;
        int port;
        int count;
        int size;
        TlsOptions.Settings tls;
        try {
            CommandLine options = CommandLine.parse(args, Set.of("--host", "--port", "--count", "--size", "--ca", "--cert", "--key"),
                    Set.of("--help", "--tls", "--insecure"));
            if (options.has("--help")) {
                System.out.print(USAGE);
                return;
            }
            host = options.get("--host", "127.0.0.1");
            port = options.getInt("--port", 8080);
            count = options.getInt("--count", 1000);
            size = Math.max(1, options.getInt("--size", 32));
            tls = TlsOptions.parse(options, false);
        } catch (IllegalArgumentException e) {
            System.err.println("echo-client: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
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
        System.exit(run(host, port, count, size, context) ? 0 : 1);
    }

    static boolean run(String host, int port, int count, int size) throws InterruptedException {
        return run(host, port, count, size, null);
    }

    /** Runs the client over TLS with {@code tls}, or plain TCP if it is {@code null}; false if anything failed. */
    static boolean run(String host, int port, int count, int size, TlsContext tls) throws InterruptedException {
        try (EventLoopGroup group = new EventLoopGroup(1, "echo-client")) {
            Collector collector = new Collector(size);
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
                    echoed = reply.get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    System.err.println("echo-client: no echo for message " + i + ": " + e);
                    channel.close();
                    return false;
                }
                rtts[i] = System.nanoTime() - start;
                if (!Arrays.equals(message, echoed)) {
                    System.err.println("echo-client: echo of message " + i + " differs");
                    channel.close();
                    return false;
                }
            }
            channel.close().sync();
            Arrays.sort(rtts);
            double average = Arrays.stream(rtts).average().orElse(0) / 1000.0;
            System.out.printf("echo-client: %d messages of %d bytes echoed intact%s; RTT avg %.1f us, p50 %.1f us,"
                            + " p99 %.1f us%n", count, size, tls != null ? " over TLS" : "", average,
                    rtts[count / 2] / 1000.0, rtts[Math.min(count - 1, (int) (count * 0.99))] / 1000.0);
            return true;
        }
    }

    /** Gathers echoed bytes until a whole message is back. */
    private static final class Collector extends ChannelHandlerAdapter {
        private final int size;
        private byte[] pending;
        private int filled;
        private volatile CompletableFuture<byte[]> waiting;

        Collector(int size) {
            this.size = size;
        }

        CompletableFuture<byte[]> expect() {
            CompletableFuture<byte[]> future = new CompletableFuture<>();
            waiting = future;
            return future;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            Buffer buffer = (Buffer) message;
            while (buffer.isReadable()) {
                if (pending == null) {
                    pending = new byte[size];
                    filled = 0;
                }
                int n = Math.min(buffer.readableBytes(), size - filled);
                buffer.readBytes(pending, filled, n);
                filled += n;
                if (filled == size) {
                    waiting.complete(pending);
                    pending = null;
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            CompletableFuture<byte[]> future = waiting;
            if (future != null) {
                future.completeExceptionally(cause);
            }
            ctx.close();
        }
    }
}
