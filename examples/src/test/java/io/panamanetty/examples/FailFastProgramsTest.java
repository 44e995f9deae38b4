package io.panamanetty.examples;

import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The programs give up at once, saying why, when the peer closes on them: {@code echo-client}
 * against servers that close before (or between) echoes, {@code http-get} against one that
 * closes without a reply; and {@code http-get} keeps an {@code http://} URL plain HTTP whatever
 * TLS options come with it. Durations are never asserted: the timeouts are only there to stop
 * a hang (before, {@code echo-client} waited 30 s for an echo that could no longer come).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(LeakCheck.class)
class FailFastProgramsTest {
    /** Far longer than the 30 s an echo is waited for, so a timeout cannot pass for a reason. */
    private static final long CHILD_TIMEOUT_SECONDS = 90;

    @Test
    void echoClientSaysThePeerClosedBeforeTheFirstEcho() throws Exception {
        // The server's side ends at once (FIN); it reads what comes until the client hangs up.
        try (TestSupport.Upstream<Long> server = TestSupport.Upstream.start(socket -> {
            socket.shutdownOutput();
            return drain(socket.getInputStream());
        })) {
            TestSupport.Exit exit = TestSupport.launch(CHILD_TIMEOUT_SECONDS, "echo-client", "--host", "127.0.0.1",
                    "--port", String.valueOf(server.port()), "--count", "5");
            assertEquals(1, exit.code(), exit.err());
            assertEquals("echo-client: connection closed by the peer before the first echo\n", exit.err());
            assertEquals("", exit.out());
            server.result();   // and the client did hang up
        }
    }

    @Test
    void echoClientSaysThePeerClosedWhenTheServerClosesAtOnce() throws Exception {
        // close() at once: whether the client first sees the FIN or the reset its write causes is a race.
        try (TestSupport.Upstream<Void> server = TestSupport.Upstream.start(socket -> null)) {
            TestSupport.Exit exit = TestSupport.launch(CHILD_TIMEOUT_SECONDS, "echo-client", "--host", "127.0.0.1",
                    "--port", String.valueOf(server.port()), "--count", "5");
            assertEquals(1, exit.code(), exit.err());
            assertTrue(exit.err().matches("echo-client: connection (closed|reset) by the peer before the first"
                    + " echo\n"), exit.err());
        }
    }

    @Test
    void echoClientSaysHowFarItGotWhenThePeerClosesBetweenEchoes() throws Exception {
        try (TestSupport.Upstream<Void> server = TestSupport.Upstream.start(socket -> {
            echo(socket, 3 * 16 + 5);   // three echoes and a part of the fourth
            socket.shutdownOutput();
            drain(socket.getInputStream());
            return null;
        })) {
            TestSupport.Exit exit = TestSupport.launch(CHILD_TIMEOUT_SECONDS, "echo-client", "--host", "127.0.0.1",
                    "--port", String.valueOf(server.port()), "--count", "10", "--size", "16");
            assertEquals(1, exit.code(), exit.err());
            assertEquals("echo-client: connection closed by the peer in the middle of echo 4 of 10 (5 of 16 bytes"
                    + " back)\n", exit.err());
        }
    }

    @Test
    void echoClientRefusesBytesItDidNotSend() throws Exception {
        try (TestSupport.Upstream<Void> server = TestSupport.Upstream.start(socket -> {
            socket.getOutputStream().write("welcome!\n".getBytes(StandardCharsets.US_ASCII));
            drain(socket.getInputStream());
            return null;
        })) {
            TestSupport.Exit exit = TestSupport.launch(CHILD_TIMEOUT_SECONDS, "echo-client", "--host", "127.0.0.1",
                    "--port", String.valueOf(server.port()), "--count", "1000", "--size", "4");
            assertEquals(1, exit.code(), exit.err());
            // the banner may come before the first message goes out, or be taken for its echo
            assertTrue(exit.err().matches("echo-client: (the server sent \\d+ bytes more than it was sent"
                    + " .*|the echo of message 1 of 1000 differs from what was sent)\n"), exit.err());
        }
    }

    @Test
    void httpGetFailsOnAnEmptyReply() throws Exception {
        try (TestSupport.Upstream<String> server = TestSupport.Upstream.start(FailFastProgramsTest::readRequest)) {
            Run run = httpGet("http://127.0.0.1:" + server.port() + "/nothing");
            assertEquals(1, run.code, run.err);
            assertEquals("", run.out);
            assertEquals("http-get: 127.0.0.1:" + server.port() + " closed the connection without a reply\n",
                    run.err);
            assertTrue(server.result().startsWith("GET /nothing HTTP/1.1\r\n"), server.result());
        }
    }

    @Test
    void httpGetProgramFailsOnAnEmptyReply() throws Exception {
        try (TestSupport.Upstream<String> server = TestSupport.Upstream.start(FailFastProgramsTest::readRequest)) {
            TestSupport.Exit exit = TestSupport.launch(CHILD_TIMEOUT_SECONDS, "http-get",
                    "--host", "127.0.0.1", "--port", String.valueOf(server.port()));
            assertEquals(1, exit.code(), exit.err());
            assertTrue(exit.err().contains("closed the connection without a reply"), exit.err());
        }
    }

    @Test
    void httpGetKeepsAnHttpUrlPlainWhateverTlsOptionsComeWithIt() throws Exception {
        Path missing = Path.of("/no/such/dir/ca.pem");   // never read: the URL says plain HTTP
        String[][] optionSets = {
                {"--ca", missing.toString()},
                {"--insecure"},
                {"--cert", missing.toString(), "--key", missing.toString()},
        };
        for (String[] options : optionSets) {
            try (TestSupport.Upstream<String> server = TestSupport.Upstream.start(socket -> {
                String request = readRequest(socket);
                socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\n"
                        + "plain\n").getBytes(StandardCharsets.US_ASCII));
                return request;
            })) {
                String[] args = new String[options.length + 1];
                System.arraycopy(options, 0, args, 0, options.length);
                args[options.length] = "http://127.0.0.1:" + server.port() + "/plain";   // the URL after the options
                Run run = httpGet(args);
                String what = String.join(" ", args);
                assertEquals(0, run.code, what + ": " + run.err);
                assertEquals("", run.err, what);
                assertTrue(run.out.startsWith("HTTP/1.1 200 OK\r\n") && run.out.endsWith("\r\n\r\nplain\n"),
                        what + ": " + run.out);
                // the first bytes the server read were the request in plain text, not a TLS ClientHello
                assertTrue(server.result().startsWith("GET /plain HTTP/1.1\r\n"), what + ": " + server.result());
            }
        }
    }

    /** Reads an HTTP request's head, up to the empty line; returns it. */
    private static String readRequest(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        for (int b; !head.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0; ) {
            head.append((char) b);
        }
        return head.toString();
    }

    /** Echoes the first {@code bytes} bytes that come in. */
    private static void echo(Socket socket, int bytes) throws IOException {
        byte[] chunk = new byte[bytes];
        int done = 0;
        while (done < bytes) {
            int n = socket.getInputStream().read(chunk, 0, bytes - done);
            if (n < 0) {
                throw new IOException("the client hung up after " + done + " bytes");
            }
            socket.getOutputStream().write(chunk, 0, n);
            socket.getOutputStream().flush();
            done += n;
        }
    }

    /** Reads until end of input or a reset; returns the bytes read. */
    private static long drain(InputStream in) {
        long total = 0;
        byte[] chunk = new byte[4096];
        try {
            for (int n; (n = in.read(chunk)) >= 0; ) {
                total += n;
            }
        } catch (IOException reset) {
            // the client closing with unread data resets the connection: an end all the same
        }
        return total;
    }

    private record Run(int code, String out, String err) {
    }

    private static Run httpGet(String... args) throws InterruptedException {
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
