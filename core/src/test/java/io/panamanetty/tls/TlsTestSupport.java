package io.panamanetty.tls;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.EventLoopGroup;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Certificates made with openssl at test time, a TLS echo server, a recording client. */
public final class TlsTestSupport {
    public static final long TIMEOUT_SECONDS = 30;
    /** The most plaintext one TLS record carries, as {@code RecordWriter} has it (for tests outside this package). */
    public static final int MAX_RECORD_PLAINTEXT = RecordWriter.MAX_RECORD_PLAINTEXT;
    /** The most plaintext {@code RecordWriter} encrypts into one buffer of records. */
    public static final int MAX_CHUNK_PLAINTEXT = RecordWriter.MAX_CHUNK_PLAINTEXT;

    private TlsTestSupport() {
    }

    /** A self-signed certificate for localhost / 127.0.0.1, its key, and both in one file. */
    public record Certificate(Path cert, Path key, Path combined) {
    }

    public static Certificate selfSigned(Path dir, String name) throws Exception {
        Path cert = dir.resolve(name + "-cert.pem");
        Path key = dir.resolve(name + "-key.pem");
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-days", "2",
                "-keyout", key.toString(), "-out", cert.toString());
        Path combined = dir.resolve(name + "-both.pem");
        Files.writeString(combined, Files.readString(cert) + Files.readString(key));
        return new Certificate(cert, key, combined);
    }

    /** A self-signed CA certificate named {@code CN=<commonName>} and its key. */
    public static Certificate certificateAuthority(Path dir, String name, String commonName) throws Exception {
        Path cert = dir.resolve(name + "-cert.pem");
        Path key = dir.resolve(name + "-key.pem");
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + commonName,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-days", "2", "-keyout", key.toString(), "-out", cert.toString());
        Path combined = dir.resolve(name + "-both.pem");
        Files.writeString(combined, Files.readString(cert) + Files.readString(key));
        return new Certificate(cert, key, combined);
    }

    /**
     * A certificate for {@code CN=<commonName>} issued by {@code ca}, good for TLS clients and
     * servers (localhost / 127.0.0.1), and its key; {@code combined} holds the certificate, the
     * key and the CA's certificate.
     */
    public static Certificate issued(Path dir, Certificate ca, String name, String commonName) throws Exception {
        Path cert = dir.resolve(name + "-cert.pem");
        Path key = dir.resolve(name + "-key.pem");
        Path request = dir.resolve(name + ".csr");
        Path extensions = Files.writeString(dir.resolve(name + ".ext"),
                "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                        + "extendedKeyUsage=clientAuth,serverAuth\n"
                        + "basicConstraints=CA:FALSE\n");
        run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + commonName,
                "-keyout", key.toString(), "-out", request.toString());
        run(dir, "openssl", "x509", "-req", "-in", request.toString(), "-CA", ca.cert().toString(),
                "-CAkey", ca.key().toString(), "-set_serial", Long.toString(System.nanoTime() & Long.MAX_VALUE),
                "-days", "2", "-extfile", extensions.toString(), "-out", cert.toString());
        Path combined = dir.resolve(name + "-both.pem");
        Files.writeString(combined, Files.readString(cert) + Files.readString(key) + Files.readString(ca.cert()));
        return new Certificate(cert, key, combined);
    }

    /** Runs a command to completion (output to a file), failing if it fails. */
    public static void run(Path dir, String... command) throws Exception {
        File log = dir.resolve("cmd-" + System.nanoTime() + ".log").toFile();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("timed out: " + List.of(command));
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(List.of(command) + " failed: " + Files.readString(log.toPath()));
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Echoes what it reads; records exceptions and handshake completions. */
    public static final class Echo implements ChannelHandler {
        public final BlockingQueue<Throwable> errors;
        public final CountDownLatch handshakes;

        public Echo(BlockingQueue<Throwable> errors, CountDownLatch handshakes) {
            this.errors = errors;
            this.handshakes = handshakes;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            ctx.write(message);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelHandshakeComplete(ChannelHandlerContext ctx) {
            handshakes.countDown();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
        }
    }

    /** A running TLS echo server. */
    public record EchoServer(Channel channel, BlockingQueue<Throwable> errors, CountDownLatch handshakes) {
        public int port() {
            return ((InetSocketAddress) channel.localAddress()).getPort();
        }
    }

    public static EchoServer echoServer(EventLoopGroup group, TlsContext tls, int expectedHandshakes) throws Exception {
        BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
        CountDownLatch handshakes = new CountDownLatch(expectedHandshakes);
        Channel channel = new ServerBootstrap().group(group).childInitializer(ch -> {
            ch.pipeline().addLast("tls", tls.newHandler());
            ch.pipeline().addLast("echo", new Echo(errors, handshakes));
        }).bind("127.0.0.1", 0).sync().channel();
        return new EchoServer(channel, errors, handshakes);
    }

    /** Collects what a client receives. */
    public static final class Collector implements ChannelHandler {
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();

        /** A collector that has received nothing yet. */
        public Collector() {
        }
        public final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
        public final CountDownLatch handshake = new CountDownLatch(1);

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            byte[] bytes = ((Buffer) message).toByteArray();
            synchronized (received) {
                received.writeBytes(bytes);
                received.notifyAll();
            }
        }

        @Override
        public void channelHandshakeComplete(ChannelHandlerContext ctx) {
            handshake.countDown();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
        }

        public byte[] received() {
            synchronized (received) {
                return received.toByteArray();
            }
        }

        /** Waits until the bytes received satisfy {@code done}; returns them. */
        public byte[] await(Predicate<byte[]> done) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            synchronized (received) {
                while (!done.test(received.toByteArray()) && System.nanoTime() < deadline) {
                    received.wait(100);
                }
                return received.toByteArray();
            }
        }
    }

    /** A connected client channel with its TLS handler and collector. */
    public record Client(Channel channel, TlsHandler tls, Collector collector) {
    }

    public static Client connect(EventLoopGroup group, TlsContext tls, String tlsHost, int port) throws Exception {
        TlsHandler handler = tls.newHandler(tlsHost, port);
        Collector collector = new Collector();
        Channel channel = new Bootstrap().group(group).initializer(ch -> {
            ch.pipeline().addLast("tls", handler);
            ch.pipeline().addLast("collector", collector);
        }).connect("127.0.0.1", port).sync().channel();
        return new Client(channel, handler, collector);
    }

    /** Sends {@code bytes} on a plain socket and reads until the server closes; returns what came back. */
    public static byte[] sendPlain(int port, byte[] bytes, boolean closeAfterSending) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            if (closeAfterSending) {
                return new byte[0];
            }
            return socket.getInputStream().readAllBytes();
        }
    }

    /** Starts a process with output to {@code out}; stdin stays a pipe. */
    public static Process start(Path out, String... command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    /** Waits until {@code file} contains {@code text}; returns the file's content. */
    public static String awaitFileContains(Path file, String text, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        String content = "";
        while (System.nanoTime() < deadline) {
            content = Files.exists(file) ? Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1) : "";
            if (content.contains(text)) {
                return content;
            }
            if (process != null && !process.isAlive()) {
                content = Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1);
                break;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("never saw \"" + text + "\" in output: " + content);
    }

    /** Waits until something (an openssl s_server) listens on {@code port}. */
    public static void awaitListening(int port, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                probe.shutdownOutput();   // connected: the server listens
                return;
            } catch (java.io.IOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("openssl s_server did not start", e);
                }
                Thread.sleep(50);
            }
        }
    }

    /** Stops a process and closes our end of its pipes. */
    public static void stop(Process process) throws Exception {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        process.getInputStream().close();
        process.getErrorStream().close();
    }

    public static List<String> messages(Throwable t) {
        List<String> messages = new ArrayList<>();
        for (Throwable c = t; c != null; c = c.getCause()) {
            messages.add(String.valueOf(c.getMessage()));
        }
        return messages;
    }
}
