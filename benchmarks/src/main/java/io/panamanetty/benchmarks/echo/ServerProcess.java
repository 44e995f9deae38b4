package io.panamanetty.benchmarks.echo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One echo server running in its own process (a JVM, or a C program): started, asked for its port, sampled for
 * CPU time ({@code /proc/<pid>/stat} utime + stime) and resident memory
 * ({@code /proc/<pid>/status} VmRSS), and stopped by closing its standard input.
 * The server's standard error goes to {@code <logs>/<id>.log}. The TCP harness starts its
 * {@link ServerSpec}s with it, the UDP benchmark its own servers.
 */
public final class ServerProcess implements AutoCloseable {
    private static final long READY_TIMEOUT_SECONDS = 60;
    private static final long NANOS_PER_TICK = 1_000_000_000L / clockTicksPerSecond();

    private final ServerSpec server;
    private final String label;
    private final ServerProgram program;
    private final Process process;
    private final Path log;
    private final int port;

    private ServerProcess(ServerSpec server, String label, ServerProgram program, Process process, Path log, int port) {
        this.server = server;
        this.label = label;
        this.program = program;
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts {@code server} with {@code java}, the JVM flags every server shares and the
     * server's own class path, pinned to CPU 0 through {@code taskset} when {@code pin},
     * and waits until it prints its port.
     */
    static ServerProcess start(ServerSpec server, String java, List<String> jvmFlags,
                               int workers, boolean pin, Path logs) throws IOException {
        return start(server, server.id(), server.label(), server.classPath(), server.program(), java, jvmFlags,
                workers, pin, logs);
    }

    /**
     * Starts {@code program} as the server {@code label} (its log {@code <logs>/<id>.log}) with
     * {@code java}, {@code jvmFlags} and {@code classPath} (both unused for a C program),
     * {@code --workers workers} after its arguments, pinned to CPU 0 when {@code pin}, and
     * waits until it prints its port.
     */
    public static ServerProcess start(String id, String label, String classPath, ServerProgram program, String java,
                                      List<String> jvmFlags, int workers, boolean pin, Path logs) throws IOException {
        return start(null, id, label, classPath, program, java, jvmFlags, workers, pin, logs);
    }

    private static ServerProcess start(ServerSpec server, String id, String label, String classPath,
                                       ServerProgram program, String java, List<String> jvmFlags,
                                       int workers, boolean pin, Path logs) throws IOException {
        List<String> command = new ArrayList<>();
        if (pin) {
            command.addAll(List.of("taskset", "-c", "0"));   // exec's the server: same pid
        }
        if (program.isNative()) {
            command.add(NativePrograms.path(program.nativeProgram()).toString());
        } else {
            command.add(java);
            command.addAll(program.launcherFlags() ? LauncherFlags.read() : jvmFlags);
            command.add("-cp");
            command.add(classPath);
            command.add(program.mainClass());
        }
        command.addAll(program.arguments());
        command.add("--workers");
        command.add(Integer.toString(workers));
        Files.createDirectories(logs);
        Path log = logs.resolve(id + ".log");
        Process process = new ProcessBuilder(command)
                .redirectError(log.toFile())
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .start();
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> readStdout(process, program.ready(), ready), id + "-stdout");
        reader.setDaemon(true);
        reader.start();
        try {
            int port = ready.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new ServerProcess(server, label, program, process, log, port);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IOException(label + " did not start: " + describe(e) + "\n" + tail(log), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + label, e);
        }
    }

    /** Completes {@code ready} with the port, then keeps draining so the server never blocks on output. */
    private static void readStdout(Process process, Pattern readyLine, CompletableFuture<Integer> ready) {
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                Matcher match = readyLine.matcher(line);
                if (!ready.isDone() && match.find()) {
                    ready.complete(Integer.parseInt(match.group(1)));
                }
            }
        } catch (IOException | RuntimeException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IOException("exited before printing its port, exit code "
                + exitCode(process)));
    }

    private static String exitCode(Process process) {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "(still running)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    private static String describe(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof TimeoutException ? "no port within " + READY_TIMEOUT_SECONDS + " s" : cause.getMessage();
    }

    /** The last lines of the server's log, for error messages. */
    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "--- " + log + " ---\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The harness's server this process runs (null when started by id and label). */
    ServerSpec spec() {
        return server;
    }

    /** The port the server announced. */
    public int port() {
        return port;
    }

    /** The server's process id. */
    public long pid() {
        return process.pid();
    }

    /** Fails loudly if the server has died (with its log's tail). */
    public void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(label + " exited with code " + process.exitValue() + "\n" + tail(log));
        }
    }

    /** User plus system CPU time the server has used so far, in nanoseconds (tick resolution). */
    public long cpuNanos() throws IOException {
        String[] fields = statFields();
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
    }

    /** The user part of {@link #cpuNanos()}: time outside the kernel, in nanoseconds (tick resolution). */
    public long userCpuNanos() throws IOException {
        return Long.parseLong(statFields()[11]) * NANOS_PER_TICK;
    }

    /** The fields of {@code /proc/<pid>/stat} after the command name: [11] is utime (field 14 of proc(5)), [12] stime. */
    private String[] statFields() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
        // The command name is in parentheses and may hold spaces.
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    /** The server's resident set size now, in KiB. */
    public long rssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid() + "/status");
    }

    /**
     * Closes the server's standard input (and sends SIGTERM to a program that does not stop
     * at its end) and waits for it to exit, killing it if it will not.
     */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!program.stopsAtEndOfInput()) {
                process.destroy();
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** {@code getconf CLK_TCK}, or the usual 100 if that fails. */
    private static long clockTicksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (getconf.waitFor(5, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
                return Long.parseLong(out);
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
