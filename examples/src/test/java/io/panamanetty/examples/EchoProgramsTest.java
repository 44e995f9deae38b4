package io.panamanetty.examples;

import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.EventLoopGroup;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The echo programs, run as a new user would: a separate JVM, socat and nc as clients. */
class EchoProgramsTest {

    @Test
    void echoClientChecksEveryEchoedByte() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "echo-server")) {
            Channel server = new ServerBootstrap().group(group).bind("127.0.0.1", 0).sync().channel();
            assertTrue(EchoClient.run("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort(), 200, 1024));
            assertTrue(EchoClient.run("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort(), 200, 32));
        }
    }

    @Test
    void echoClientReportsARefusedConnection() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        assertEquals(false, EchoClient.run("127.0.0.1", port, 1, 32));
    }

    @Test
    void echoServerProgramServesSocatAndNcThenStopsOnSigterm() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        // The child's output goes to a file: reading a pipe races with the JDK draining it at exit.
        Path log = Files.createTempFile("echo-server", ".log");
        Process server = new ProcessBuilder(TestSupport.javaCommand("io.panamanetty.examples.EchoServer",
                "--host", "127.0.0.1", "--port", String.valueOf(port)))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(log).contains("listening on") && server.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(Files.readString(log).contains("listening on 127.0.0.1:" + port), Files.readString(log));

            assertEquals("hello socat\n", runPeer("hello socat\n", "socat", "-t", "5", "-", "TCP:127.0.0.1:" + port));
            assertEquals("hello nc\n", runPeer("hello nc\n", "nc", "-q", "5", "127.0.0.1", String.valueOf(port)));

            server.destroy();   // SIGTERM
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "server did not stop on SIGTERM");
            String rest = Files.readString(log);
            assertTrue(rest.contains("echo-server: stopped"), "exit " + server.exitValue() + ": " + rest);
            assertTrue(!rest.contains("WARNING"), "the server printed a warning: " + rest);
        } finally {
            server.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    @Test
    void echoServerProgramPrintsUsageAndRejectsBadOptions() throws Exception {
        Process help = new ProcessBuilder(TestSupport.javaCommand("io.panamanetty.examples.EchoServer", "--help"))
                .redirectErrorStream(true).start();
        String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(help.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, help.exitValue());
        assertTrue(text.contains("usage: echo-server"), text);

        Process bad = new ProcessBuilder(TestSupport.javaCommand("io.panamanetty.examples.EchoServer", "--port", "x"))
                .redirectErrorStream(true).start();
        String error = new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(bad.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, bad.exitValue());
        assertTrue(error.contains("--port needs a number"), error);
    }

    /** Runs a command-line peer with {@code input} on stdin; returns its stdout. */
    private static String runPeer(String input, String... command) throws IOException, InterruptedException {
        Process peer;
        try {
            peer = new ProcessBuilder(command).start();
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
