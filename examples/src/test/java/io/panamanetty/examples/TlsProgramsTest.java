package io.panamanetty.examples;

import java.net.InetSocketAddress;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.tls.TlsContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TLS options of echo-server, echo-client and http-get, against openssl and each other on loopback. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TlsProgramsTest {

    @Test
    void tlsEchoServerProgramServesOpensslAndEchoClient(@TempDir Path dir) throws Exception {
        TestCertificates.Certificate certificate = TestCertificates.selfSigned(dir, "server");
        int port = TestSupport.freePort();
        Path serverLog = dir.resolve("server.log");
        // py-netty's ServerBootstrap(certfile=f, keyfile=f): the same file twice
        Process server = startJava(serverLog, "io.panamanetty.examples.EchoServer", "--host", "127.0.0.1",
                "--port", String.valueOf(port), "--cert", certificate.combined().toString(),
                "--key", certificate.combined().toString());
        try {
            String started = awaitFileContains(serverLog, "listening on", server);
            assertTrue(started.contains("listening on 127.0.0.1:" + port + " with TLS"), started);

            // openssl s_client, verifying the chain and the host name
            Path opensslLog = dir.resolve("s_client.log");
            Process openssl = TestSupport.startTool(new ProcessBuilder("openssl", "s_client",
                    "-connect", "127.0.0.1:" + port, "-CAfile", certificate.cert().toString(),
                    "-verify_return_error", "-verify_hostname", "localhost", "-quiet")
                    .redirectErrorStream(true).redirectOutput(opensslLog.toFile()), "openssl");
            try {
                openssl.getOutputStream().write("hello from openssl\n".getBytes(StandardCharsets.UTF_8));
                openssl.getOutputStream().flush();
                String echoed = awaitFileContains(opensslLog, "hello from openssl", openssl);
                assertTrue(echoed.contains("verify return:1"), echoed);
            } finally {
                stop(openssl);
            }

            // echo-client --tls --ca
            JavaRun client = runJava(dir, "io.panamanetty.examples.EchoClient", "--host", "localhost",
                    "--port", String.valueOf(port), "--tls", "--ca", certificate.cert().toString(),
                    "--count", "50", "--size", "1024");
            assertEquals(0, client.code, client.output);
            assertTrue(client.output.contains("50 messages of 1024 bytes echoed intact over TLS"), client.output);

            // echo-client --tls without --ca: the JDK's trust store knows nothing of a self-signed certificate
            JavaRun untrusted = runJava(dir, "io.panamanetty.examples.EchoClient", "--host", "localhost",
                    "--port", String.valueOf(port), "--tls", "--count", "1");
            assertEquals(1, untrusted.code, untrusted.output);
            assertTrue(untrusted.output.contains("echo-client: TLS handshake with localhost:" + port + " failed"),
                    untrusted.output);
            assertTrue(untrusted.output.contains("certification path") || untrusted.output.contains("PKIX"),
                    untrusted.output);

            // still serving after the failed handshake
            assertTrue(server.isAlive(), Files.readString(serverLog));
            JavaRun again = runJava(dir, "io.panamanetty.examples.EchoClient", "--host", "127.0.0.1",
                    "--port", String.valueOf(port), "--ca", certificate.cert().toString(), "--count", "5");
            assertEquals(0, again.code, again.output);

            server.destroy();   // SIGTERM
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "server did not stop on SIGTERM");
            assertTrue(Files.readString(serverLog).contains("echo-server: stopped"), Files.readString(serverLog));
        } finally {
            stop(server);
        }
    }

    @Test
    void mutualTlsEchoServerProgramAcceptsOnlyClientsWithACertificate(@TempDir Path dir) throws Exception {
        TestCertificates.Certificate serverCertificate = TestCertificates.selfSigned(dir, "server");
        TestCertificates.Certificate clientCertificate = TestCertificates.selfSigned(dir, "client");
        int port = TestSupport.freePort();
        Path serverLog = dir.resolve("server.log");
        Process server = startJava(serverLog, "io.panamanetty.examples.EchoServer", "--host", "127.0.0.1",
                "--port", String.valueOf(port), "--cert", serverCertificate.cert().toString(),
                "--key", serverCertificate.key().toString(), "--client-ca", clientCertificate.cert().toString());
        try {
            String started = awaitFileContains(serverLog, "listening on", server);
            assertTrue(started.contains("with TLS, client certificates required"), started);

            JavaRun withCertificate = runJava(dir, "io.panamanetty.examples.EchoClient", "--host", "localhost",
                    "--port", String.valueOf(port), "--ca", serverCertificate.cert().toString(),
                    "--cert", clientCertificate.combined().toString(), "--key", clientCertificate.combined().toString(),
                    "--count", "20", "--size", "256");
            assertEquals(0, withCertificate.code, withCertificate.output);
            assertTrue(withCertificate.output.contains("20 messages of 256 bytes echoed intact over TLS"),
                    withCertificate.output);

            JavaRun without = runJava(dir, "io.panamanetty.examples.EchoClient", "--host", "localhost",
                    "--port", String.valueOf(port), "--ca", serverCertificate.cert().toString(), "--count", "1");
            assertEquals(1, without.code, without.output);
            assertTrue(without.output.contains("echo-client: "), without.output);

            // openssl without a certificate is refused too; then a good client is still served
            Path opensslLog = dir.resolve("s_client.log");
            Process openssl = TestSupport.startTool(new ProcessBuilder("openssl", "s_client",
                    "-connect", "127.0.0.1:" + port, "-CAfile", serverCertificate.cert().toString(), "-quiet")
                    .redirectErrorStream(true).redirectOutput(opensslLog.toFile()), "openssl");
            try {
                openssl.getOutputStream().write("no certificate\n".getBytes(StandardCharsets.UTF_8));
                openssl.getOutputStream().flush();
                assertTrue(openssl.waitFor(60, TimeUnit.SECONDS), "openssl was not disconnected");
                assertFalse(Files.readString(opensslLog, StandardCharsets.ISO_8859_1).contains("no certificate\n"),
                        "a client without a certificate got an echo");
            } finally {
                stop(openssl);
            }
            assertTrue(server.isAlive(), Files.readString(serverLog));
            JavaRun again = runJava(dir, "io.panamanetty.examples.EchoClient", "--host", "127.0.0.1",
                    "--port", String.valueOf(port), "--ca", serverCertificate.cert().toString(),
                    "--cert", clientCertificate.cert().toString(), "--key", clientCertificate.key().toString(),
                    "--count", "5");
            assertEquals(0, again.code, again.output);

            JavaRun half = runJava(dir, "io.panamanetty.examples.EchoClient", "--cert", clientCertificate.cert().toString());
            assertEquals(2, half.code, half.output);
            assertTrue(half.output.contains("give both --cert and --key"), half.output);
            JavaRun plainWithClientCa = runJava(dir, "io.panamanetty.examples.EchoServer",
                    "--client-ca", clientCertificate.cert().toString());
            assertEquals(2, plainWithClientCa.code, plainWithClientCa.output);
            assertTrue(plainWithClientCa.output.contains("--client-ca needs --cert and --key"), plainWithClientCa.output);
        } finally {
            stop(server);
        }
    }

    @Test
    void echoClientInsecureSkipsVerification(@TempDir Path dir) throws Exception {
        TestCertificates.Certificate certificate = TestCertificates.selfSigned(dir, "server");
        try (EventLoopGroup group = new EventLoopGroup(1, "tls-echo")) {
            Channel server = new ServerBootstrap().group(group).tls(certificate.cert(), certificate.key())
                    .bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            assertTrue(EchoClient.run("127.0.0.1", port, 20, 64,
                    TlsContexts.client().verify(false).build()));
            // and without it, the same server is refused
            assertFalse(EchoClient.run("127.0.0.1", port, 1, 64, TlsContexts.client().build()));
            server.close().sync();
        }
    }

    @Test
    void echoServerProgramNamesABadCertificateFile(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("no-such-cert.pem");
        JavaRun run = runJava(dir, "io.panamanetty.examples.EchoServer", "--host", "127.0.0.1", "--port", "0",
                "--cert", missing.toString(), "--key", missing.toString());
        assertEquals(1, run.code, run.output);
        assertTrue(run.output.contains("echo-server: ") && run.output.contains(missing.toString()), run.output);
        assertEquals(1, run.output.strip().lines().count(), run.output);

        JavaRun half = runJava(dir, "io.panamanetty.examples.EchoServer", "--cert", missing.toString());
        assertEquals(2, half.code, half.output);
        assertTrue(half.output.contains("give both --cert and --key"), half.output);
    }

    @Test
    void httpGetOverTlsWithACustomCa(@TempDir Path dir) throws Exception {
        TestCertificates.Certificate certificate = TestCertificates.selfSigned(dir, "https");
        Map<String, String> requests = new ConcurrentHashMap<>();
        try (EventLoopGroup group = new EventLoopGroup(1, "https")) {
            Channel server = new ServerBootstrap().group(group).tls(certificate.cert(), certificate.key())
                    .childHandler(() -> new TinyHttpResponder(requests))
                    .bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();

            Run flag = runHttpGet("--tls", "--ca", certificate.cert().toString(), "--host", "localhost",
                    "--port", String.valueOf(port), "--path", "/hello");
            assertEquals(0, flag.code, flag.err);
            assertTrue(flag.out.startsWith("HTTP/1.1 200 OK\r\n"), flag.out);
            assertTrue(flag.out.endsWith("\r\n\r\nhello over tls\n"), flag.out);
            assertEquals("", flag.err);
            String request = requests.get("/hello");
            assertTrue(request != null && request.contains("\r\nHost: localhost:" + port + "\r\n"), request);

            Run url = runHttpGet("https://localhost:" + port + "/from-url", "--ca", certificate.cert().toString());
            assertEquals(0, url.code, url.err);
            assertTrue(url.out.endsWith("\r\n\r\nhello over tls\n"), url.out);
            assertTrue(requests.containsKey("/from-url"), requests.toString());

            Run insecure = runHttpGet("https://127.0.0.1:" + port + "/insecure", "--insecure");
            assertEquals(0, insecure.code, insecure.err);
            assertTrue(insecure.out.startsWith("HTTP/1.1 200 OK\r\n"), insecure.out);

            // verification is on by default: a self-signed certificate is refused, nothing is sent
            Run refused = runHttpGet("https://localhost:" + port + "/refused");
            assertEquals(1, refused.code, refused.out);
            assertEquals("", refused.out);
            assertTrue(refused.err.contains("http-get: TLS handshake with localhost:" + port + " failed"),
                    refused.err);
            assertFalse(requests.containsKey("/refused"));

            // the name must match the certificate, too
            TestCertificates.Certificate other = TestCertificates.selfSigned(dir, "other");
            Run badCa = runHttpGet("https://localhost:" + port + "/bad-ca", "--ca", other.cert().toString());
            assertEquals(1, badCa.code, badCa.out);
            assertTrue(badCa.err.contains("TLS handshake"), badCa.err);

            Run both = runHttpGet("https://localhost:" + port + "/", "--ca", certificate.cert().toString(),
                    "--insecure");
            assertEquals(2, both.code);
            assertTrue(both.err.contains("--ca or --insecure"), both.err);

            Run missingCa = runHttpGet("https://localhost:" + port + "/", "--ca", dir.resolve("none.pem").toString());
            assertEquals(1, missingCa.code);
            assertTrue(missingCa.err.contains("none.pem"), missingCa.err);
            server.close().sync();
        }
    }

    @Test
    void httpGetAgainstOpensslSServer(@TempDir Path dir) throws Exception {
        TestCertificates.Certificate certificate = TestCertificates.selfSigned(dir, "s_server");
        int port = TestSupport.freePort();
        Path log = dir.resolve("s_server.log");
        Process openssl = TestSupport.startTool(new ProcessBuilder("openssl", "s_server", "-accept",
                "127.0.0.1:" + port, "-cert", certificate.cert().toString(), "-key", certificate.key().toString(),
                "-www", "-quiet")
                .redirectErrorStream(true).redirectOutput(log.toFile()), "openssl");
        try {
            TestSupport.awaitListening(port);
            Run run = runHttpGet("https://localhost:" + port + "/", "--ca", certificate.cert().toString());
            assertEquals(0, run.code, run.err + "\nserver log:\n" + Files.readString(log));
            assertTrue(run.out.startsWith("HTTP/1.0 200"), run.out);
            assertTrue(run.out.contains("s_server"), run.out);
        } finally {
            stop(openssl);
        }
    }

    /** Answers one GET per connection with a small text body, then closes. */
    private static final class TinyHttpResponder extends ChannelHandlerAdapter {
        private final Map<String, String> requests;
        private final StringBuilder received = new StringBuilder();
        private boolean answered;

        TinyHttpResponder(Map<String, String> requests) {
            this.requests = requests;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            received.append(((Buffer) message).toString(StandardCharsets.ISO_8859_1));
            int end = received.indexOf("\r\n\r\n");
            if (end < 0 || answered) {
                return;
            }
            answered = true;
            String head = received.substring(0, end + 2);
            String target = head.split(" ", 3)[1];
            requests.put(target, head);
            String body = "hello over tls\n";
            String response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
                    + "\r\nConnection: close\r\n\r\n" + body;
            ctx.writeAndFlush(response.getBytes(StandardCharsets.ISO_8859_1)).addListener(f -> ctx.close());
        }
    }

    private record Run(int code, String out, String err) {
    }

    private static Run runHttpGet(String... args) throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = HttpGet.run(args, outStream, errStream);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Output of a finished child JVM (stdout and stderr together, through a file). */
    record JavaRun(int code, String output) {
    }

    static JavaRun runJava(Path dir, String mainClass, String... args) throws Exception {
        Path log = Files.createTempFile(dir, "java", ".log");
        Process process = startJava(log, mainClass, args);
        try {
            assertTrue(process.waitFor(2, TimeUnit.MINUTES), mainClass + " did not finish: " + Files.readString(log));
        } finally {
            stop(process);
        }
        return new JavaRun(process.exitValue(), Files.readString(log));
    }

    /** A child JVM with its output in {@code log}: reading a pipe races with the JDK draining it at exit. */
    static Process startJava(Path log, String mainClass, String... args) throws Exception {
        return new ProcessBuilder(TestSupport.javaCommand(mainClass, args)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
    }

    /** Waits (up to 60 s) until {@code file} contains {@code text}; returns the file's content. */
    static String awaitFileContains(Path file, String text, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String content = "";
        while (System.nanoTime() < deadline) {
            content = Files.readString(file, StandardCharsets.ISO_8859_1);
            if (content.contains(text)) {
                return content;
            }
            if (!process.isAlive()) {
                content = Files.readString(file, StandardCharsets.ISO_8859_1);
                if (content.contains(text)) {
                    return content;
                }
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("never saw \"" + text + "\" in the output: " + content);
    }

    static void stop(Process process) throws Exception {
        process.getOutputStream().close();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
