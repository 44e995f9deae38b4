package io.panamanetty.examples;

import io.panamanetty.bootstrap.AutoIoHandlerFactory;
import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.transport.uring.IoUringIoHandlerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --transport}: echo-server on io_uring served to socat and nc in a separate JVM,
 * echo-client and forward on io_uring, a bad name refused in one line (exit 2), and
 * {@code auto} under a seccomp filter that refuses io_uring (gcc-built from the bindings'
 * {@code src/test/c}): one line says why, and the server echoes over epoll.
 */
@Timeout(180)
class TransportProgramsTest {

    @Test
    void echoServerOnIoUringServesSocatAndNc() throws Exception {
        assertNull(IoUringIoHandlerFactory.unavailableReason(), "this machine runs io_uring");
        String log = serveAndStop(List.of(), "io_uring");
        assertFalse(log.contains("WARNING"), log);
    }

    @Test
    void autoFallsBackToEpollUnderASeccompFilterWithOneLineSayingWhy(@TempDir Path dir) throws Exception {
        Path source = Path.of(System.getProperty("basedir", "")).toAbsolutePath()
                .resolve("../bindings/src/test/c/seccomp_refuse_io_uring.c").normalize();
        Path wrapper = dir.resolve("seccomp_refuse_io_uring");
        Process gcc = new ProcessBuilder("gcc", "-std=gnu11", "-O0", "-Wall", "-Wextra", "-Werror",
                "-o", wrapper.toString(), source.toString()).redirectErrorStream(true).start();
        String gccOut = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(gcc.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, gcc.exitValue(), "gcc: " + gccOut);

        String log = serveAndStop(List.of(wrapper.toString()), "auto");
        List<String> fallback = log.lines().filter(line -> line.contains("io_uring cannot be used")).toList();
        assertEquals(1, fallback.size(), log);
        assertTrue(fallback.get(0).contains("EPERM") && fallback.get(0).contains("seccomp")
                && fallback.get(0).endsWith("the transport is epoll"), fallback.get(0));
    }

    @Test
    void autoTakesIoUringWhereItWorks() {
        AutoIoHandlerFactory auto = new AutoIoHandlerFactory();
        assertNull(auto.fallbackReason());
        assertTrue(auto.chosen() instanceof IoUringIoHandlerFactory, auto.toString());
    }

    @Test
    void aBadTransportNameIsOneLineAndExitTwo() throws Exception {
        for (String program : List.of("io.panamanetty.examples.EchoServer", "io.panamanetty.examples.EchoClient",
                "io.panamanetty.examples.Forwarder")) {
            List<String> args = new ArrayList<>(List.of("--transport", "kqueue"));
            if (program.endsWith("Forwarder")) {
                args.addAll(List.of("--to", "127.0.0.1:9"));
            }
            Process bad = new ProcessBuilder(TestSupport.javaCommand(program, args.toArray(String[]::new)))
                    .redirectErrorStream(true).start();
            String error = new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(bad.waitFor(30, TimeUnit.SECONDS));
            assertEquals(2, bad.exitValue(), error);
            assertEquals(1, error.strip().lines().count(), error);
            assertTrue(error.contains("--transport takes epoll, io_uring or auto, not 'kqueue'"), error);

            Process help = new ProcessBuilder(TestSupport.javaCommand(program, "--help")).redirectErrorStream(true)
                    .start();
            String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(help.waitFor(30, TimeUnit.SECONDS));
            assertTrue(text.contains("--transport"), text);
            assertTrue(text.lines().allMatch(line -> line.length() <= 100), text);
        }
    }

    @Test
    void echoClientAndForwarderRunOnIoUring() throws Exception {
        IoUringIoHandlerFactory uring = new IoUringIoHandlerFactory();
        try (EventLoopGroup group = new EventLoopGroup(1, "echo-server", uring)) {
            Channel server = new ServerBootstrap().group(group).bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            assertTrue(EchoClient.run("127.0.0.1", port, 200, 1024, null, uring));
            try (Forwarder forwarder = Forwarder.start(Endpoint.of(new HostPort("127.0.0.1", 0)),
                    Endpoint.of(new HostPort("127.0.0.1", port)), 2, false, uring)) {
                assertTrue(EchoClient.run("127.0.0.1", forwarder.localAddress().getPort(), 200, 32, null, uring));
            }
        }
    }

    /**
     * Runs {@code echo-server --transport TRANSPORT} (through the launcher: one line per log
     * record) started by {@code prefix}, checks that socat and nc get their echoes, stops it
     * with SIGTERM; returns everything it printed.
     */
    private static String serveAndStop(List<String> prefix, String transport) throws Exception {
        int port = TestSupport.freePort();
        Path log = Files.createTempFile("echo-server", ".log");
        List<String> command = new ArrayList<>(prefix);
        command.addAll(TestSupport.javaCommand("io.panamanetty.examples.Launcher", "echo-server",
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--workers", "2", "--transport", transport));
        Process server = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
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
            String text = Files.readString(log);
            assertTrue(text.contains("echo-server: stopped"), "exit " + server.exitValue() + ": " + text);
            return text;
        } finally {
            server.destroyForcibly();
            server.getInputStream().close();
            server.getOutputStream().close();
            server.getErrorStream().close();
            Files.deleteIfExists(log);
        }
    }

    private static String runPeer(String input, String... command) throws IOException, InterruptedException {
        Process peer = new ProcessBuilder(command).start();
        peer.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        peer.getOutputStream().close();
        String out;
        try (var in = peer.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        peer.getErrorStream().close();
        assertTrue(peer.waitFor(30, TimeUnit.SECONDS), command[0] + " did not finish");
        return out;
    }
}
