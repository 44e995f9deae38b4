package io.panamanetty.benchmarks.echo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Unix mode of the two C programs: {@code echo_server --unix} on a socket file and on
 * a Linux abstract name, driven by {@code loadgen unix:PATH} and {@code unix:@NAME} with
 * every byte checked; the server removes its own file on stop; bad Unix targets and paths
 * are one line and exit status 2.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NativeUnixModeTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @Test
    void loadgenDrivesTheCServerOnAnAbstractName() throws Exception {
        String name = "@panama-netty-bench-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (CServer server = new CServer(name); EchoClient client = new NativeLoadGenerator()) {
            assertEquals("UNIX " + name, server.readyLine);
            runBoth(client, EchoEndpoint.unix(name));
        }
    }

    @Test
    void loadgenDrivesTheCServerOnASocketFileWhichTheServerRemovesOnStop(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.sock");
        try (CServer server = new CServer(file.toString()); EchoClient client = new NativeLoadGenerator()) {
            assertEquals("UNIX " + file, server.readyLine);
            assertTrue(Files.exists(file), "the socket file while it listens");
            runBoth(client, EchoEndpoint.unix(file.toString()));
        }
        assertFalse(Files.exists(file), "the C server left its socket file behind");
    }

    @Test
    void badUnixTargetsAreOneLineAndExitStatus2(@TempDir Path dir) throws Exception {
        String tooLong = "/" + "x".repeat(107);
        String loadgen = NativePrograms.path(NativePrograms.LOAD_GENERATOR).toString();
        for (String target : List.of("unix:", "unix:@", "unix:" + tooLong, "unix:@" + "y".repeat(108))) {
            Result result = run(loadgen, target, "32", "1", "1", "1", "1000", "-");
            assertEquals(2, result.exit, target + ": " + result.stderr);
            assertEquals(1, result.stderr.lines().count(), result.stderr);
            assertTrue(result.stderr.startsWith("loadgen: a Unix target needs"), result.stderr);
        }
        Result missing = run(loadgen, "unix:" + dir.resolve("nobody.sock"), "32", "1", "1", "1", "1000", "-");
        assertEquals(1, missing.exit, missing.stderr);
        assertTrue(missing.stderr.startsWith("loadgen: connect failed: No such file or directory"), missing.stderr);

        String server = NativePrograms.path(NativePrograms.ECHO_SERVER).toString();
        for (List<String> args : List.of(List.of("--unix"), List.of("--unix", tooLong), List.of("--unix", "@"),
                List.of("--bogus"))) {
            List<String> command = new ArrayList<>(List.of(server));
            command.addAll(args);
            Result result = run(command.toArray(String[]::new));
            assertEquals(2, result.exit, args + ": " + result.stderr);
            assertEquals(1, result.stderr.lines().count(), result.stderr);
            assertTrue(result.stderr.startsWith("echo_server: "), result.stderr);
        }
    }

    private static void runBoth(EchoClient client, EchoEndpoint endpoint) throws IOException {
        WorkloadResult rtt = client.run(endpoint, Workload.roundTrip(100, 4, 50, LIMIT));
        assertEquals(200, rtt.messages());
        assertEquals(200, rtt.roundTrips().length);
        assertFalse(rtt.timedOut());
        WorkloadResult pipelined = client.run(endpoint, Workload.pipelined(1024, 3, 16, 300, LIMIT));
        assertEquals(900, pipelined.messages());
        assertEquals(900 * 1024, pipelined.bytes());
    }

    /** What a short-lived program printed and how it ended. */
    private record Result(int exit, String stderr) {
    }

    private static Result run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        process.getOutputStream().close();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), String.join(" ", command) + " did not exit");
        return new Result(process.exitValue(), stderr);
    }

    /** {@code echo_server --unix TARGET}, started and waited for; closing it closes its standard input. */
    private static final class CServer implements AutoCloseable {
        final Process process;
        final String readyLine;

        CServer(String target) throws IOException, InterruptedException {
            process = new ProcessBuilder(NativePrograms.path(NativePrograms.ECHO_SERVER).toString(), "--unix", target)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            readyLine = out.readLine();
            if (readyLine == null) {
                process.waitFor(5, TimeUnit.SECONDS);
                throw new IOException("echo_server --unix " + target + " exited with " + process.exitValue());
            }
        }

        @Override
        public void close() throws InterruptedException, IOException {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("echo_server did not stop at the end of its standard input");
            }
            assertEquals(0, process.exitValue(), "echo_server's exit status");
        }
    }
}
