package io.panamanetty.examples;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code forward} and {@code http-get} programs as a user starts them, through the
 * launcher, in a separate JVM. Child output goes to a file: reading a pipe races with
 * the JDK draining it at exit.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ForwardAndHttpGetProgramsTest {

    private record Exit(int code, String output) {
    }

    private static Exit launch(String... args) throws Exception {
        Path log = Files.createTempFile("launcher", ".log");
        try {
            Process process = new ProcessBuilder(TestSupport.javaCommand("io.panamanetty.examples.Launcher", args))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("launcher " + String.join(" ", args) + " did not finish: "
                        + Files.readString(log));
            }
            return new Exit(process.exitValue(), Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void launcherListsTheProgramsAndEachHasHelp() throws Exception {
        Exit list = launch("--help");
        assertEquals(0, list.code, list.output);
        assertTrue(list.output.contains("forward") && list.output.contains("http-get"), list.output);

        Exit forward = launch("forward", "--help");
        assertEquals(0, forward.code, forward.output);
        assertTrue(forward.output.contains("usage: forward"), forward.output);
        assertTrue(forward.output.contains("--splice"), forward.output);

        Exit httpGet = launch("http-get", "--help");
        assertEquals(0, httpGet.code, httpGet.output);
        assertTrue(httpGet.output.contains("usage: http-get"), httpGet.output);
    }

    @Test
    void forwardRefusesBadOptions() throws Exception {
        Exit noUpstream = launch("forward", "--listen", "127.0.0.1:0");
        assertEquals(2, noUpstream.code, noUpstream.output);
        assertTrue(noUpstream.output.contains("--to HOST:PORT is required"), noUpstream.output);

        Exit badUpstream = launch("forward", "--to", "localhost");
        assertEquals(2, badUpstream.code, badUpstream.output);
        assertTrue(badUpstream.output.contains("--to needs HOST:PORT"), badUpstream.output);
    }

    @Test
    void httpGetProgramNamesAMissingCaFileAndRefusesCaWithInsecure() throws Exception {
        Exit missingCa = launch("http-get", "--tls", "--host", "127.0.0.1", "--ca", "/no/such/ca.pem");
        assertEquals(1, missingCa.code, missingCa.output);
        assertTrue(missingCa.output.contains("/no/such/ca.pem"), missingCa.output);

        Exit both = launch("http-get", "https://127.0.0.1/", "--ca", "/no/such/ca.pem", "--insecure");
        assertEquals(2, both.code, both.output);
        assertTrue(both.output.contains("give --ca or --insecure, not both"), both.output);
    }

    @Test
    void forwardSpliceProgramCarries100MegabytesIntactBothWays() throws Exception {
        long total = 100L << 20;
        int port = TestSupport.freePort();
        Path log = Files.createTempFile("forward-splice", ".log");
        try (TestSupport.Upstream<Long> echo = TestSupport.Upstream.start(ForwarderTest::echoUntilEof)) {
            Process forward = new ProcessBuilder(TestSupport.javaCommand("io.panamanetty.examples.Launcher",
                    "forward", "--splice", "--listen", "127.0.0.1:" + port, "--to", "127.0.0.1:" + echo.port(),
                    "--workers", "1"))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Files.readString(log).contains("listening on") && forward.isAlive()
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(Files.readString(log).contains("with splice"), Files.readString(log));

                try (java.net.Socket client = TestSupport.connect(port)) {
                    var sent = TestSupport.inThread("sender", () -> ForwarderTest.send(client, total, 5));
                    java.security.MessageDigest received = java.security.MessageDigest.getInstance("SHA-256");
                    long count = ForwarderTest.readUntilEof(client.getInputStream(), received);
                    assertEquals(total, count, "bytes echoed back through forward --splice");
                    assertEquals(total, echo.result(), "bytes the upstream received");
                    assertTrue(java.security.MessageDigest.isEqual(sent.get(1, TimeUnit.MINUTES), received.digest()),
                            "SHA-256 of what was sent and what came back");
                }

                forward.destroy();   // SIGTERM
                assertTrue(forward.waitFor(30, TimeUnit.SECONDS), "forward --splice did not stop on SIGTERM");
                String output = Files.readString(log);
                assertTrue(output.contains("forward: stopped"), output);
                assertFalse(output.contains("WARNING"), "the forwarder printed a warning: " + output);
            } finally {
                forward.destroyForcibly();
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void forwardProgramServesHttpGetThenStopsOnSigterm() throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> {
            byte[] body = "forwarded hello\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        int port = TestSupport.freePort();
        Path log = Files.createTempFile("forward", ".log");
        Process forward = new ProcessBuilder(TestSupport.javaCommand("io.panamanetty.examples.Launcher",
                "forward", "--listen", "127.0.0.1:" + port, "--to", "127.0.0.1:" + http.getAddress().getPort(),
                "--workers", "2"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(log).contains("listening on") && forward.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(Files.readString(log).contains("listening on 127.0.0.1:" + port), Files.readString(log));

            for (int i = 0; i < 3; i++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                int code = HttpGet.run(new String[] {"http://127.0.0.1:" + port + "/"},
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
                String response = out.toString(StandardCharsets.UTF_8);
                assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
                assertTrue(response.startsWith("HTTP/1.1 200") && response.endsWith("forwarded hello\n"), response);
            }

            forward.destroy();   // SIGTERM
            assertTrue(forward.waitFor(30, TimeUnit.SECONDS), "forward did not stop on SIGTERM");
            String output = Files.readString(log);
            assertTrue(output.contains("forward: stopped"), output);
            assertFalse(output.contains("WARNING"), "the forwarder printed a warning: " + output);
        } finally {
            forward.destroyForcibly();
            http.stop(0);
            Files.deleteIfExists(log);
        }
    }
}
