package io.panamanetty.examples;

import com.sun.net.httpserver.HttpServer;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code http-get} program against the JDK's HTTP server and python's, on loopback. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(LeakCheck.class)
class HttpGetTest {
    private static final String BODY = "hello from the test server\n".repeat(4000);

    private HttpServer server;
    private final Map<String, String> request = new ConcurrentHashMap<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/greeting", exchange -> {
            request.put("method", exchange.getRequestMethod());
            request.put("target", exchange.getRequestURI().toString());
            request.put("host", String.valueOf(exchange.getRequestHeaders().getFirst("Host")));
            request.put("connection", String.valueOf(exchange.getRequestHeaders().getFirst("Connection")));
            byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private int port() {
        return server.getAddress().getPort();
    }

    @Test
    void printsTheResponseOfAUrlAndExitsZero() throws Exception {
        Run run = run("http://127.0.0.1:" + port() + "/greeting?who=me");

        assertEquals(0, run.code, run.err);
        assertTrue(run.out.startsWith("HTTP/1.1 200"), run.out);
        assertTrue(run.out.endsWith("\r\n\r\n" + BODY), "the body, after the headers, should end the output");
        assertEquals("GET", request.get("method"));
        assertEquals("/greeting?who=me", request.get("target"));
        assertEquals("127.0.0.1:" + port(), request.get("host"));
        assertEquals("close", request.get("connection"));
        assertEquals("", run.err);
    }

    @Test
    void takesHostPortAndPathOptions() throws Exception {
        Run run = run("--host", "127.0.0.1", "--port", String.valueOf(port()), "--path", "/greeting");

        assertEquals(0, run.code, run.err);
        assertTrue(run.out.startsWith("HTTP/1.1 200"), run.out);
        assertTrue(run.out.endsWith(BODY));
        assertEquals("/greeting", request.get("target"));
    }

    @Test
    void printsA404AndStillExitsZero() throws Exception {
        Run run = run("http://127.0.0.1:" + port() + "/nothing-here");

        assertEquals(0, run.code, run.err);
        assertTrue(run.out.startsWith("HTTP/1.1 404"), run.out);
    }

    @Test
    void fetchesFromPythonsHttpServer() throws Exception {
        Path root = Files.createTempDirectory("http-root");
        Files.writeString(root.resolve("page.txt"), BODY);
        Path log = Files.createTempFile("python-http", ".log");
        int pythonPort = TestSupport.freePort();
        Process python = TestSupport.startTool(new ProcessBuilder("python3", "-m", "http.server",
                "--bind", "127.0.0.1", "--directory", root.toString(), String.valueOf(pythonPort))
                .redirectErrorStream(true).redirectOutput(log.toFile()), "python3");
        try {
            TestSupport.awaitListening(pythonPort);
            Run run = run("http://127.0.0.1:" + pythonPort + "/page.txt");

            assertEquals(0, run.code, run.err + "\nserver log:\n" + Files.readString(log));
            assertTrue(run.out.startsWith("HTTP/1.0 200"), run.out);
            assertTrue(run.out.endsWith("\r\n\r\n" + BODY));
        } finally {
            python.destroy();
            python.waitFor(30, TimeUnit.SECONDS);
            python.destroyForcibly();
            Files.deleteIfExists(root.resolve("page.txt"));
            Files.deleteIfExists(root);
            Files.deleteIfExists(log);
        }
    }

    @Test
    void aRefusedConnectionExitsOneWithTheReason() throws Exception {
        int downPort = TestSupport.freePort();
        Run run = run("http://127.0.0.1:" + downPort + "/");

        assertEquals(1, run.code);
        assertEquals("", run.out);
        assertTrue(run.err.contains("127.0.0.1:" + downPort), run.err);
        assertTrue(run.err.contains("ECONNREFUSED"), run.err);
    }

    @Test
    void tlsWithAPlainUrlIsBadUsage() throws Exception {
        Run run = run("http://127.0.0.1:" + port() + "/", "--tls");
        assertEquals(2, run.code);
        assertTrue(run.err.contains("use an https:// URL"), run.err);
        assertTrue(request.isEmpty(), "no request should have been sent");
    }

    @Test
    void rejectsBadUsage() throws Exception {
        Run nothing = run();
        assertEquals(2, nothing.code);
        assertEquals("http-get: give a URL, or --host (--help lists the options)\n", nothing.err);

        Run ftp = run("ftp://127.0.0.1/");
        assertEquals(2, ftp.code);
        assertTrue(ftp.err.contains("http://"), ftp.err);

        Run badPort = run("--host", "127.0.0.1", "--port", "http");
        assertEquals(2, badPort.code);
        assertTrue(badPort.err.contains("--port needs a number"), badPort.err);

        Run help = run("--help");
        assertEquals(0, help.code);
        assertTrue(help.out.contains("usage: http-get"), help.out);
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = HttpGet.run(args, outStream, errStream);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
