package io.panamanetty.examples;

import com.sun.net.httpserver.HttpServer;
import io.panamanetty.buffer.BufferStatistics;
import io.panamanetty.examples.TestSupport.Upstream;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.panamanetty.examples.TestSupport.connect;
import static io.panamanetty.examples.TestSupport.inThread;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The forwarder between real peers on loopback: plain Java sockets, curl, iperf3 and
 * the JDK's HTTP server. The forwarder runs in this JVM, so its buffers can be counted.
 * The scenarios that do not depend on how bytes move run both through the pipelines and
 * with {@code --splice}; {@link SpliceForwarderTest} has the splice-only ones.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(LeakCheck.class)
class ForwarderTest {
    private static final int MB = 1 << 20;

    private static Forwarder forwarderTo(int upstreamPort) throws InterruptedException {
        return forwarderTo(upstreamPort, false);
    }

    static Forwarder forwarderTo(int upstreamPort, boolean splice) throws InterruptedException {
        return Forwarder.start(new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", upstreamPort), 2, splice);
    }

    static int port(Forwarder forwarder) {
        return forwarder.localAddress().getPort();
    }

    @ParameterizedTest(name = "splice: {0}")
    @ValueSource(booleans = {false, true})
    void carries100MegabytesIntactBothWays(boolean splice) throws Exception {
        long total = 100L * MB;
        long bytesAtStart = BufferStatistics.outstandingBytes();
        try (Upstream<Long> echo = Upstream.start(ForwarderTest::echoUntilEof);
             Forwarder forwarder = forwarderTo(echo.port(), splice);
             Socket client = connect(port(forwarder))) {
            CompletableFuture<byte[]> sent = inThread("sender", () -> send(client, total, 1));
            MessageDigest received = MessageDigest.getInstance("SHA-256");
            long count = readUntilEof(client.getInputStream(), received);

            assertEquals(total, count, "bytes echoed back through the forwarder");
            assertEquals(total, echo.result(), "bytes the upstream received");
            assertEquals(HexFormat.of().formatHex(sent.get(1, TimeUnit.MINUTES)),
                    HexFormat.of().formatHex(received.digest()), "SHA-256 of what was sent and what came back");
            if (splice) {
                assertEquals(0, BufferStatistics.outstandingBytes() - bytesAtStart,
                        "splicing forwards without buffers of its own");
            }
        }
    }

    @Test
    void curlFetchesThroughTheForwarder() throws Exception {
        byte[] body = new byte[3 * MB + 17];
        new Random(7).nextBytes(body);
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/data", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        Path download = Files.createTempFile("forwarded", ".bin");
        Path log = Files.createTempFile("curl", ".log");
        try (Forwarder forwarder = forwarderTo(http.getAddress().getPort())) {
            Process curl = TestSupport.startTool(new ProcessBuilder("curl", "--silent", "--show-error",
                    "--max-time", "60", "--output", download.toString(),
                    "http://127.0.0.1:" + port(forwarder) + "/data")
                    .redirectErrorStream(true).redirectOutput(log.toFile()), "curl");
            assertTrue(curl.waitFor(2, TimeUnit.MINUTES), "curl did not finish");
            assertEquals(0, curl.exitValue(), "curl failed: " + Files.readString(log));
            assertArrayEquals(body, Files.readAllBytes(download), "the body curl received through the forwarder");
        } finally {
            http.stop(0);
            Files.deleteIfExists(download);
            Files.deleteIfExists(log);
        }
    }

    @Test
    void iperf3RunsThroughTheForwarder() throws Exception {
        int iperfPort = TestSupport.freePort();
        Path serverLog = Files.createTempFile("iperf3-server", ".log");
        Path clientLog = Files.createTempFile("iperf3-client", ".log");
        Process server = TestSupport.startTool(new ProcessBuilder("iperf3", "--server", "--one-off",
                "--bind", "127.0.0.1", "--port", String.valueOf(iperfPort))
                .redirectErrorStream(true).redirectOutput(serverLog.toFile()), "iperf3");
        try (Forwarder forwarder = forwarderTo(iperfPort)) {
            TestSupport.awaitListening(iperfPort);
            Process client = new ProcessBuilder("iperf3", "--client", "127.0.0.1",
                    "--port", String.valueOf(port(forwarder)), "--time", "2")
                    .redirectErrorStream(true).redirectOutput(clientLog.toFile()).start();
            try {
                assertTrue(client.waitFor(2, TimeUnit.MINUTES), "iperf3 client did not finish");
                assertEquals(0, client.exitValue(), "iperf3 client failed:\n" + Files.readString(clientLog)
                        + "\nserver:\n" + Files.readString(serverLog));
                assertTrue(Files.readString(clientLog).contains("receiver"), Files.readString(clientLog));
                assertTrue(server.waitFor(1, TimeUnit.MINUTES), "the one-off iperf3 server did not finish");
            } finally {
                client.destroyForcibly();
            }
        } finally {
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
            Files.deleteIfExists(serverLog);
            Files.deleteIfExists(clientLog);
        }
    }

    @Test
    void aSlowReceiverKeepsTheForwardersMemoryBounded() throws Exception {
        long total = 200L * MB;
        long bound = 16L * MB;
        long bytesAtStart = BufferStatistics.outstandingBytes();
        try (Upstream<Long> slow = Upstream.start(socket -> {
                 long count = 0;
                 byte[] chunk = new byte[64 * 1024];
                 InputStream in = socket.getInputStream();
                 for (int n; (n = in.read(chunk)) >= 0; ) {
                     count += n;
                     Thread.sleep(2);   // about 32 MB/s at most: far slower than the sender
                 }
                 new DataOutputStream(socket.getOutputStream()).writeLong(count);
                 return count;
             });
             Forwarder forwarder = forwarderTo(slow.port());
             Socket client = connect(port(forwarder))) {
            CompletableFuture<byte[]> sent = inThread("fast-sender", () -> send(client, total, 2));
            long peak = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!sent.isDone() && System.nanoTime() < deadline) {
                peak = Math.max(peak, BufferStatistics.outstandingBytes() - bytesAtStart);
                Thread.sleep(1);
            }
            sent.get(1, TimeUnit.MINUTES);
            long received = new DataInputStream(client.getInputStream()).readLong();
            System.out.println("slow receiver: peak of the forwarder's buffers " + peak + " bytes");

            assertEquals(total, received, "bytes the slow upstream received");
            assertEquals(total, slow.result());
            assertTrue(peak < bound, "the forwarder held " + peak + " bytes of buffers at its peak; bound " + bound);
            assertTrue(peak > 0, "the sampling saw no buffer at all; is the forwarder in this JVM?");
        }
    }

    @ParameterizedTest(name = "splice: {0}")
    @ValueSource(booleans = {false, true})
    void halfClosePassesThroughFromTheClient(boolean splice) throws Exception {
        try (Upstream<String> upstream = Upstream.start(socket -> {
                 String request = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                 socket.getOutputStream().write(("reply to " + request).getBytes(StandardCharsets.UTF_8));
                 return request;   // the socket closes as the conversation ends
             });
             Forwarder forwarder = forwarderTo(upstream.port(), splice);
             Socket client = connect(port(forwarder))) {
            client.getOutputStream().write("request".getBytes(StandardCharsets.UTF_8));
            client.shutdownOutput();   // the upstream sees EOF only if the FIN is passed on

            assertEquals("request", upstream.result(), "what the upstream read before EOF");
            String reply = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals("reply to request", reply, "what the client read before EOF");
        }
    }

    @ParameterizedTest(name = "splice: {0}")
    @ValueSource(booleans = {false, true})
    void halfClosePassesThroughFromTheUpstream(boolean splice) throws Exception {
        try (Upstream<String> upstream = Upstream.start(socket -> {
                 socket.getOutputStream().write("greeting".getBytes(StandardCharsets.UTF_8));
                 socket.shutdownOutput();
                 return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
             });
             Forwarder forwarder = forwarderTo(upstream.port(), splice);
             Socket client = connect(port(forwarder))) {
            assertEquals("greeting", new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                    "what the client read before EOF");
            // The client's direction is still open: it answers after the upstream's FIN.
            client.getOutputStream().write("answer".getBytes(StandardCharsets.UTF_8));
            client.shutdownOutput();
            assertEquals("answer", upstream.result(), "what the upstream read after its own FIN");
        }
    }

    @Test
    void aRefusedUpstreamClosesTheClientConnectionAndLogsWhy() throws Exception {
        int downPort = TestSupport.freePort();
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger(Forwarder.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try (Forwarder forwarder = forwarderTo(downPort);
             Socket client = connect(port(forwarder))) {
            assertEquals(-1, client.getInputStream().read(), "the client connection should end cleanly (EOF)");

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (records.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            List<String> warnings = new ArrayList<>();
            for (LogRecord record : records) {
                if (record.getLevel() == Level.WARNING) {
                    warnings.add(record.getMessage());
                }
            }
            assertEquals(1, warnings.size(), "one warning expected: " + warnings);
            String warning = warnings.getFirst();
            assertTrue(warning.contains("127.0.0.1:" + downPort), warning);
            assertTrue(warning.contains("ECONNREFUSED"), warning);
        } finally {
            logger.removeHandler(capture);
        }
    }

    @ParameterizedTest(name = "splice: {0}")
    @ValueSource(booleans = {false, true})
    void aClientThatLeavesEarlyClosesTheUpstreamAfterItsBytes(boolean splice) throws Exception {
        try (Upstream<String> upstream = Upstream.start(socket ->
                     new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
             Forwarder forwarder = forwarderTo(upstream.port(), splice)) {
            try (Socket client = connect(port(forwarder))) {
                client.getOutputStream().write("last words".getBytes(StandardCharsets.UTF_8));
            }
            assertEquals("last words", upstream.result(), "what the upstream read before the connection ended");
        }
    }

    @ParameterizedTest(name = "splice: {0}")
    @ValueSource(booleans = {false, true})
    void aLargeReplyBeforeCloseReachesASlowClientInFull(boolean splice) throws Exception {
        int size = 20 * MB;
        byte[] reply = new byte[size];
        new Random(3).nextBytes(reply);
        try (Upstream<Boolean> upstream = Upstream.start(socket -> {
                 socket.getOutputStream().write(reply);
                 return true;   // closes at once: the end of the reply is still in the forwarder (queue or pipe)
             });
             Forwarder forwarder = forwarderTo(upstream.port(), splice);
             Socket client = connect(port(forwarder))) {
            Thread.sleep(300);   // a slow start: the forwarder holds the upstream back meanwhile
            MessageDigest received = MessageDigest.getInstance("SHA-256");
            long count = readUntilEof(client.getInputStream(), received);
            assertTrue(upstream.result());
            assertEquals(size, count, "bytes of the reply the client read before EOF");
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(reply), received.digest());
        }
    }

    @Test
    void manyConnectionsAtOnceOnSeveralWorkers() throws Exception {
        int connections = 32;
        long each = 2L * MB;
        try (TestSupport.EchoUpstream echo = new TestSupport.EchoUpstream();
             Forwarder forwarder = Forwarder.start(new HostPort("127.0.0.1", 0),
                     new HostPort("127.0.0.1", echo.port()), 4)) {
            List<CompletableFuture<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                long seed = 100 + i;
                results.add(inThread("client-" + i, () -> {
                    try (Socket client = connect(port(forwarder))) {
                        CompletableFuture<byte[]> sent = inThread("sender-" + seed, () -> send(client, each, seed));
                        MessageDigest received = MessageDigest.getInstance("SHA-256");
                        long count = readUntilEof(client.getInputStream(), received);
                        return count == each && MessageDigest.isEqual(sent.get(2, TimeUnit.MINUTES),
                                received.digest());
                    }
                }));
            }
            for (int i = 0; i < connections; i++) {
                assertTrue(results.get(i).get(3, TimeUnit.MINUTES), "connection " + i + " echoed intact");
            }
            assertEquals(connections * each, echo.echoed());
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Echoes everything until EOF, then half-closes; returns the byte count. */
    static long echoUntilEof(Socket socket) throws Exception {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] chunk = new byte[64 * 1024];
        long count = 0;
        for (int n; (n = in.read(chunk)) >= 0; ) {
            out.write(chunk, 0, n);
            count += n;
        }
        socket.shutdownOutput();
        return count;
    }

    /** Sends {@code total} pseudo-random bytes, then half-closes; returns their SHA-256. */
    static byte[] send(Socket socket, long total, long seed) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        Random random = new Random(seed);
        byte[] chunk = new byte[256 * 1024];
        OutputStream out = socket.getOutputStream();
        for (long left = total; left > 0; ) {
            int n = (int) Math.min(chunk.length, left);
            random.nextBytes(chunk);
            out.write(chunk, 0, n);
            digest.update(chunk, 0, n);
            left -= n;
        }
        socket.shutdownOutput();
        return digest.digest();
    }

    /** Reads until EOF into {@code digest}; returns the byte count. */
    static long readUntilEof(InputStream in, MessageDigest digest) throws Exception {
        byte[] chunk = new byte[64 * 1024];
        long count = 0;
        for (int n; (n = in.read(chunk)) >= 0; ) {
            digest.update(chunk, 0, n);
            count += n;
        }
        return count;
    }
}
