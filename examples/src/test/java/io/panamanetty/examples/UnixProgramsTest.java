package io.panamanetty.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The programs on Unix domain sockets, run through the launcher in child JVMs:
 * {@code echo-server --unix} on a socket file and an abstract name, served to socat and
 * {@code nc -U} and stopped with SIGTERM (the file goes with it); {@code forward} from a
 * socket file to TCP; and bad socket paths, each refused with one line and exit status 2.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class UnixProgramsTest {
    private static final long CHILD_TIMEOUT_SECONDS = 60;

    /** Starts the launcher with {@code args}, its output going to {@code log}; waits for "listening on". */
    private static Process startProgram(Path log, String... args) throws Exception {
        Process program = new ProcessBuilder(TestSupport.javaCommand("io.panamanetty.examples.Launcher", args))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CHILD_TIMEOUT_SECONDS);
        while (!Files.readString(log).contains("listening on") && program.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return program;
    }

    /** Sends SIGTERM and checks that the program stopped cleanly, saying so. */
    private static void stop(Process program, Path log, String name) throws Exception {
        program.destroy();
        assertTrue(program.waitFor(30, TimeUnit.SECONDS), name + " did not stop on SIGTERM");
        String output = Files.readString(log);
        assertTrue(output.contains(name + ": stopped"), output);
        assertFalse(output.contains("WARNING"), name + " printed a warning: " + output);
    }

    private static String runPeer(String input, String... command) throws IOException, InterruptedException {
        Process peer = TestSupport.startTool(new ProcessBuilder(command),
                command[0].equals("nc") ? "netcat-openbsd" : command[0]);
        peer.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        peer.getOutputStream().close();
        String out = new String(peer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(peer.waitFor(30, TimeUnit.SECONDS), command[0] + " did not finish");
        return out;
    }

    @Test
    void echoServerOnASocketFileServesSocatAndNcAndRemovesItOnSigterm(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("echo.sock");
        Path log = dir.resolve("echo-server.log");
        Process server = startProgram(log, "echo-server", "--unix", file.toString(), "--workers", "1");
        try {
            assertTrue(Files.readString(log).contains("echo-server: listening on unix:" + file + " (Ctrl-C to stop)"),
                    Files.readString(log));
            assertEquals("hello socat\n", runPeer("hello socat\n", "socat", "-t", "5", "-", "UNIX-CONNECT:" + file));
            assertEquals("hello nc\n", runPeer("hello nc\n", "nc", "-N", "-U", file.toString()));
            stop(server, log, "echo-server");
            assertFalse(Files.exists(file), "the server removed its socket file");
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void echoServerOnAnAbstractName(@TempDir Path dir) throws Exception {
        String name = "panama-echo-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path log = dir.resolve("echo-server.log");
        Process server = startProgram(log, "echo-server", "--unix", "@" + name, "--workers", "1");
        try {
            assertTrue(Files.readString(log).contains("listening on unix:@" + name), Files.readString(log));
            assertEquals("hello abstract\n", runPeer("hello abstract\n", "socat", "-t", "5", "-",
                    "ABSTRACT-CONNECT:" + name));
            stop(server, log, "echo-server");
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void forwardFromASocketFileToTcpWithSplice(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("forward.sock");
        Path log = dir.resolve("forward.log");
        try (TestSupport.EchoUpstream echo = new TestSupport.EchoUpstream()) {
            Process forward = startProgram(log, "forward", "--listen", "unix:" + file, "--to",
                    "127.0.0.1:" + echo.port(), "--splice", "--workers", "1");
            try {
                assertTrue(Files.readString(log).contains("forward: listening on unix:" + file + ", forwarding to 127.0.0.1:"
                        + echo.port() + " with splice"), Files.readString(log));
                assertEquals("through the forwarder\n", runPeer("through the forwarder\n", "socat", "-t", "5", "-",
                        "UNIX-CONNECT:" + file));
                stop(forward, log, "forward");
                assertFalse(Files.exists(file), "the forwarder removed its socket file");
            } finally {
                forward.destroyForcibly();
            }
        }
    }

    @Test
    void badSocketPathsAreRefusedWithOneLine(@TempDir Path dir) throws Exception {
        String tooLong = dir.resolve("x".repeat(120)).toString();
        Path regular = Files.writeString(dir.resolve("plain"), "x");
        List<List<String>> cases = List.of(
                List.of("echo-server", "--unix", "/no/such/dir/x.sock"),
                List.of("echo-server", "--unix", regular + "/x.sock"),
                List.of("echo-server", "--unix", tooLong),
                List.of("echo-server", "--unix", "@"),
                List.of("echo-server", "--unix", dir.resolve("a.sock").toString(), "--port", "9000"),
                List.of("forward", "--listen", "unix:", "--to", "127.0.0.1:9"),
                List.of("forward", "--listen", "unix:/no/such/dir/x.sock", "--to", "127.0.0.1:9"),
                List.of("forward", "--listen", "127.0.0.1:0", "--to", "unix:" + tooLong),
                List.of("forward", "--listen", "127.0.0.1:0", "--to", "unix:@"));
        List<String> expected = List.of(
                "echo-server: --unix: /no/such/dir is not a directory, so the socket file /no/such/dir/x.sock cannot"
                        + " be made there",
                "echo-server: --unix: " + regular + " is not a directory, so the socket file " + regular
                        + "/x.sock cannot be made there",
                "echo-server: --unix: socket path " + tooLong + " is " + tooLong.length() + " bytes long, more than"
                        + " the 107 a Unix socket address holds",
                "echo-server: --unix needs a socket path or @name after 'unix:'",
                "echo-server: --unix listens on a Unix domain socket: give no --host or --port with it",
                "forward: --listen needs a socket path or @name after 'unix:'",
                "forward: --listen: /no/such/dir is not a directory, so the socket file /no/such/dir/x.sock cannot"
                        + " be made there",
                "forward: --to: socket path " + tooLong + " is " + tooLong.length() + " bytes long, more than the 107"
                        + " a Unix socket address holds",
                "forward: --to needs a socket path or @name after 'unix:'");
        for (int i = 0; i < cases.size(); i++) {
            TestSupport.Exit exit = TestSupport.launch(CHILD_TIMEOUT_SECONDS, cases.get(i).toArray(String[]::new));
            assertEquals(2, exit.code(), cases.get(i) + ": " + exit.err());
            assertEquals(expected.get(i) + "\n", exit.err(), cases.get(i).toString());
            assertEquals("", exit.out());
        }
    }

    @Test
    void helpTextsNameTheUnixOptions() throws Exception {
        TestSupport.Exit echo = TestSupport.launch(CHILD_TIMEOUT_SECONDS, "echo-server", "--help");
        assertTrue(echo.out().contains("--unix PATH") && echo.out().contains("@NAME is a Linux abstract name"),
                echo.out());
        TestSupport.Exit forward = TestSupport.launch(CHILD_TIMEOUT_SECONDS, "forward", "--help");
        assertTrue(forward.out().contains("--to HOST:PORT|unix:PATH"), forward.out());
    }
}
