package io.panamanetty.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The UDP programs as a user runs them: {@code udp-echo-server} in a child JVM with two
 * SO_REUSEPORT workers, answering {@code echo-client --udp}, socat and nc, then stopping on
 * SIGTERM; refused options; a client with no server to talk to.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class UdpEchoProgramsTest {
    private static final long CHILD_TIMEOUT_SECONDS = 60;

    @Test
    void udpEchoServerServesTheClientSocatAndNcThenStopsOnSigterm() throws Exception {
        int port = freeUdpPort();
        Path log = Files.createTempFile("udp-echo-server", ".log");
        Process server = new ProcessBuilder(TestSupport.javaCommand("io.panamanetty.examples.Launcher",
                "udp-echo-server", "--host", "127.0.0.1", "--port", String.valueOf(port), "--workers", "2"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CHILD_TIMEOUT_SECONDS);
            while (!Files.readString(log).contains("listening on") && server.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(Files.readString(log).contains("listening on 127.0.0.1:" + port + " with 2 SO_REUSEPORT sockets"),
                    Files.readString(log));

            for (int size : new int[] {1, 1_200, 65_507}) {
                assertTrue(UdpEchoClient.run("127.0.0.1", port, 300, size), size + " bytes");
            }
            TestSupport.Exit client = TestSupport.launch(CHILD_TIMEOUT_SECONDS, "echo-client", "--udp", "--port",
                    String.valueOf(port), "--count", "2000", "--size", "100");
            assertEquals(0, client.code(), client.err());
            assertTrue(client.out().contains("2000 datagrams of 100 bytes echoed intact over UDP"), client.out());
            assertTrue(client.out().contains("datagrams/s") && client.out().contains("p99"), client.out());

            assertEquals("hello socat\n", runPeer("hello socat\n", "socat", "-t", "5", "-b", "65536", "-",
                    "UDP:127.0.0.1:" + port));
            assertEquals("hello nc", talkToNc(port, "hello nc"));

            server.destroy();   // SIGTERM
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "server did not stop on SIGTERM");
            String rest = Files.readString(log);
            assertTrue(rest.contains("udp-echo-server: stopped"), "exit " + server.exitValue() + ": " + rest);
            assertFalse(rest.contains("WARNING"), "the server printed a warning: " + rest);
        } finally {
            server.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    @Test
    void echoClientReportsThatNoServerAnswers() throws Exception {
        TestSupport.Exit exit = TestSupport.launch(CHILD_TIMEOUT_SECONDS, "echo-client", "--udp", "--port",
                String.valueOf(freeUdpPort()), "--count", "3");
        assertEquals(1, exit.code(), exit.err());
        List<String> lines = exit.err().lines().toList();
        assertEquals(1, lines.size(), exit.err());
        assertTrue(lines.getFirst().startsWith("echo-client: datagram 1 of 3 to 127.0.0.1:"), exit.err());
        assertTrue(lines.getFirst().contains("ECONNREFUSED"), exit.err());
    }

    @Test
    void badOptionsAreRefusedInOneLine() throws Exception {
        assertRefused("udp-echo-server", "--workers needs a number from 1 to 1024, not '0'",
                "udp-echo-server", "--workers", "0");
        assertRefused("udp-echo-server", "--port needs a number from 0 to 65535, not '70000'",
                "udp-echo-server", "--port", "70000");
        assertRefused("udp-echo-server", "unknown option '--udp'", "udp-echo-server", "--udp");
        assertRefused("echo-client", "--size needs a number from 1 to 65507, not '65508'",
                "echo-client", "--udp", "--size", "65508");
        assertRefused("echo-client", "--udp sends plain datagrams", "echo-client", "--udp", "--tls");
    }

    @Test
    void helpTextsSayWhatTheProgramsDo() throws Exception {
        TestSupport.Exit server = TestSupport.launch(CHILD_TIMEOUT_SECONDS, "udp-echo-server", "--help");
        assertEquals(0, server.code(), server.err());
        assertTrue(server.out().startsWith("usage: udp-echo-server"), server.out());
        assertTrue(server.out().contains("SO_REUSEPORT"), server.out());
        TestSupport.Exit client = TestSupport.launch(CHILD_TIMEOUT_SECONDS, "echo-client", "--help");
        assertTrue(client.out().contains("--udp"), client.out());
        TestSupport.Exit launcher = TestSupport.launch(CHILD_TIMEOUT_SECONDS, "--help");
        assertTrue(launcher.out().contains("udp-echo-server"), launcher.out());
    }

    private static void assertRefused(String program, String expected, String... args) throws Exception {
        TestSupport.Exit exit = TestSupport.launch(CHILD_TIMEOUT_SECONDS, args);
        String command = String.join(" ", args);
        assertEquals(2, exit.code(), command + ": " + exit.err());
        assertEquals("", exit.out(), command + " wrote to stdout");
        List<String> lines = exit.err().lines().toList();
        assertEquals(1, lines.size(), command + " should print exactly one line on stderr: " + exit.err());
        assertTrue(lines.getFirst().startsWith(program + ": "), command + ": " + lines.getFirst());
        assertTrue(lines.getFirst().contains(expected), command + ": expected \"" + expected + "\" in: "
                + lines.getFirst());
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            return probe.getLocalPort();
        }
    }

    /**
     * Sends {@code line} with {@code nc -u} and returns the line it prints back; its input stays
     * open meanwhile (at the end of its input, nc stops without waiting for the reply).
     */
    private static String talkToNc(int port, String line) throws IOException, InterruptedException {
        Process nc;
        try {
            nc = new ProcessBuilder("nc", "-u", "127.0.0.1", String.valueOf(port))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new AssertionError("nc is not installed; install it (.ci/run does: apt-get install netcat-openbsd)",
                    e);
        }
        try (var in = nc.getOutputStream();
             var out = new java.io.BufferedReader(new java.io.InputStreamReader(nc.getInputStream(),
                     StandardCharsets.UTF_8))) {
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            return out.readLine();
        } finally {
            nc.destroy();
            nc.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Runs a command-line peer with {@code input} on stdin; returns its stdout. */
    private static String runPeer(String input, String... command) throws IOException, InterruptedException {
        Process peer;
        try {
            peer = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new AssertionError(command[0] + " is not installed; install it (.ci/run does: apt-get install "
                    + (command[0].equals("nc") ? "netcat-openbsd" : command[0]) + ")", e);
        }
        peer.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        peer.getOutputStream().close();
        String out = new String(peer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(peer.waitFor(30, TimeUnit.SECONDS), command[0] + " did not finish");
        return out;
    }
}
