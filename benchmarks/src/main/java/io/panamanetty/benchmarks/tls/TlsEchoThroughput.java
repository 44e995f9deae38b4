package io.panamanetty.benchmarks.tls;

import java.net.InetSocketAddress;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.tls.TlsContexts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * TLS echo throughput: a panama-netty TLS echo server (1 worker thread) and a
 * panama-netty TLS client in the same JVM, the client keeping a window of messages in
 * flight and counting echoed bytes. Plain TCP is measured the same way for comparison.
 * The certificate is made with {@code openssl} at start, in a temporary directory.
 * <pre>{@code
 * java -cp benchmarks.jar io.panamanetty.benchmarks.tls.TlsEchoThroughput [megabytes] [messageSize]
 * }</pre>
 */
public final class TlsEchoThroughput {
    private TlsEchoThroughput() {
    }

    /** Prints MB/s with TLS 1.3 and without TLS. */
    public static void main(String[] args) throws Exception {
        long megabytes = args.length > 0 ? Long.parseLong(args[0]) : 256;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 16 * 1024;
        Path dir = Files.createTempDirectory("tls-bench");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost", "-days", "1",
                "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            throw new IllegalStateException("openssl failed: " + Files.readString(dir.resolve("openssl.log")));
        }
        for (int round = 0; round < 2; round++) {   // the first round warms up
            double plain = run(null, null, megabytes, size);
            double tls = run(cert, key, megabytes, size);
            System.out.printf("%s %d-byte messages: plain %.0f MB/s, TLS 1.3 %.0f MB/s (%.2f of plain)%n",
                    round == 0 ? "warm-up" : "measured", size, plain, tls, tls / plain);
        }
    }

    private static double run(Path cert, Path key, long megabytes, int size) throws Exception {
        long total = megabytes * 1024 * 1024;
        try (EventLoopGroup serverGroup = new EventLoopGroup(1, "tls-bench-server");
             EventLoopGroup clientGroup = new EventLoopGroup(1, "tls-bench-client")) {
            ServerBootstrap server = new ServerBootstrap().group(serverGroup);
            Bootstrap client = new Bootstrap().group(clientGroup);
            if (cert != null) {
                server.tls(cert, key);
                client.tls(TlsContexts.client().trust(cert).build());
            }
            Channel listener = server.bind("127.0.0.1", 0).sync().channel();
            Counter counter = new Counter(total);
            Channel channel = client.handler(() -> counter)
                    .connect("localhost", ((InetSocketAddress) listener.localAddress()).getPort()).sync().channel();
            byte[] message = new byte[size];
            long start = System.nanoTime();
            long sent = 0;
            while (sent < total) {
                while (sent - counter.received.get() > 4L * 1024 * 1024) {   // a 4 MiB window
                    Thread.onSpinWait();
                }
                channel.writeAndFlush(message.clone());
                sent += size;
            }
            if (!counter.done.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("echo incomplete: " + counter.received.get() + " of " + total);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            channel.close().sync();
            listener.close().sync();
            return total / seconds / 1e6;
        }
    }

    private static final class Counter extends ChannelHandlerAdapter {
        final AtomicLong received = new AtomicLong();
        final CountDownLatch done = new CountDownLatch(1);
        private final long total;

        Counter(long total) {
            this.total = total;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (received.addAndGet(((Buffer) message).readableBytes()) >= total) {
                done.countDown();
            }
        }
    }
}
