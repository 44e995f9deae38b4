package io.panamanetty.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code serve-file} as a user starts it, in a child JVM, with {@code curl} as the client:
 * files byte-exact (sendfile, and {@code --copy}), HEAD, keep-alive, pipelined requests in
 * order, 404 for missing paths and for paths that leave the root, and bad options.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ServeFileProgramTest {
    @TempDir
    Path dir;

    private record Server(Process process, int port) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            process.destroy();   // SIGTERM: the shutdown hook stops it
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private Server start(Path root, String... extra) throws Exception {
        int port = TestSupport.freePort();
        List<String> args = new ArrayList<>(List.of("serve-file", "--root", root.toString(), "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--workers", "2"));
        args.addAll(List.of(extra));
        Process process = new ProcessBuilder(TestSupport.javaCommand("io.panamanetty.examples.Launcher",
                args.toArray(String[]::new)))
                .redirectOutput(dir.resolve("server-" + port + ".out").toFile())
                .redirectErrorStream(true).start();
        TestSupport.awaitListening(port);
        return new Server(process, port);
    }

    private Path site() throws IOException {
        Path root = Files.createDirectories(dir.resolve("site"));
        byte[] big = new byte[24 * 1024 * 1024 + 5];
        new Random(42).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        Files.writeString(root.resolve("hello.txt"), "hello, file\n");
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/inner.txt"), "inner\n");
        Files.writeString(dir.resolve("secret.txt"), "outside the root\n");
        Files.createSymbolicLink(root.resolve("escape.txt"), dir.resolve("secret.txt"));
        return root;
    }

    private static String curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "60"));
        command.addAll(List.of(args));
        Process curl = TestSupport.startTool(new ProcessBuilder(command).redirectErrorStream(true), "curl");
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(curl.waitFor(90, TimeUnit.SECONDS), "curl did not finish");
        assertEquals(0, curl.exitValue(), "curl " + String.join(" ", args) + ": " + output);
        return output;
    }

    private void servesFilesByteExact(String... extra) throws Exception {
        Path root = site();
        try (Server server = start(root, extra)) {
            String base = "http://127.0.0.1:" + server.port();
            Path big = dir.resolve("big.out");
            Path small = dir.resolve("small.out");
            // two files over one connection: the second reuses it (keep-alive)
            String connects = curl("-o", big.toString(), "-o", small.toString(), "-w", "%{num_connects} ",
                    base + "/big.bin", base + "/sub/inner.txt");
            assertEquals("1 0 ", connects, "the second request should reuse the first one's connection");
            assertArrayEquals(Files.readAllBytes(root.resolve("big.bin")), Files.readAllBytes(big));
            assertEquals("inner\n", Files.readString(small));

            String head = curl("-I", base + "/big.bin");
            assertTrue(head.startsWith("HTTP/1.1 200 OK"), head);
            assertTrue(head.contains("Content-Length: " + Files.size(root.resolve("big.bin"))), head);

            for (String missing : List.of("/nothing.txt", "/sub", "/escape.txt")) {
                String status = curl("-o", "/dev/null", "-w", "%{http_code}", base + missing);
                assertEquals("404", status, missing);
            }
            String traversal = curl("--path-as-is", "-o", "/dev/null", "-w", "%{http_code}", base + "/../secret.txt");
            assertEquals("404", traversal);
            String encoded = curl("--path-as-is", "-o", "/dev/null", "-w", "%{http_code}", base + "/%2e%2e/secret.txt");
            assertEquals("404", encoded);
        }
    }

    @Test
    void servesFilesWithSendfile() throws Exception {
        servesFilesByteExact();
    }

    @Test
    void servesFilesByCopyingThroughBuffers() throws Exception {
        servesFilesByteExact("--copy");
    }

    @Test
    void answersPipelinedRequestsInOrderAndClosesWhenAsked() throws Exception {
        Path root = site();
        try (Server server = start(root); Socket socket = TestSupport.connect(server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /sub/inner.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);   // until the server closes
            int first = all.indexOf("hello, file\n");
            int second = all.indexOf("inner\n");
            int third = all.indexOf("HTTP/1.1 405 Method Not Allowed");
            assertTrue(all.startsWith("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n"), all);
            assertTrue(first > 0 && second > first && third > second, all);
            assertTrue(all.contains("Allow: GET, HEAD\r\n") && all.contains("Connection: close\r\n"), all);
        }
    }

    @Test
    void badOptionsExitWithStatusTwoAndOneLine() throws Exception {
        TestSupport.Exit noRoot = TestSupport.launch(60, "serve-file");
        assertEquals(2, noRoot.code(), noRoot.err());
        assertEquals("serve-file: --root DIR is required: the directory to serve\n", noRoot.err().lines()
                .filter(line -> line.startsWith("serve-file:")).findFirst().orElse("") + "\n");
        TestSupport.Exit missing = TestSupport.launch(60, "serve-file", "--root", dir.resolve("none").toString());
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().contains("no such directory"), missing.err());
        Path file = Files.writeString(dir.resolve("plain.txt"), "x");
        TestSupport.Exit notDir = TestSupport.launch(60, "serve-file", "--root", file.toString());
        assertEquals(2, notDir.code(), notDir.err());
        assertTrue(notDir.err().contains("not a directory"), notDir.err());
        TestSupport.Exit help = TestSupport.launch(60, "serve-file", "--help");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().startsWith("usage: serve-file"), help.out());
    }
}
