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
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One echo server running in its own process (a JVM, or a C program): started, asked for its
 * port (or, on a Unix socket, given its socket file's path), sampled for
 * CPU time ({@code /proc/<pid>/stat} utime + stime) and resident memory
 * ({@code /proc/<pid>/status} VmRSS), and stopped by closing its standard input.
 * The server's standard error goes to {@code <logs>/<id>.log}. The TCP harness starts its
 * {@link ServerSpec}s with it, the UDP benchmark its own servers.
 */
public final class ServerProcess implements AutoCloseable {
    private static final long READY_TIMEOUT_SECONDS = 60;
    private static final long NANOS_PER_TICK = 1_000_000_000L / clockTicksPerSecond();
    /** The exit status of a program given options it does not take (the launcher's and the C programs'). */
    private static final int USAGE_ERROR = 2;
    /** {@code sun_path} holds 108 bytes, the terminating NUL included. */
    private static final int MAX_UNIX_PATH_BYTES = 107;

    private final ServerSpec server;
    private final String label;
    private final ServerProgram program;
    private final Process process;
    private final Path log;
    private final EchoEndpoint endpoint;

    private ServerProcess(ServerSpec server, String label, ServerProgram program, Process process, Path log,
                          EchoEndpoint endpoint) {
        this.server = server;
        this.label = label;
        this.program = program;
        this.process = process;
        this.log = log;
        this.endpoint = endpoint;
    }

    /**
     * Starts {@code server} with {@code java}, the JVM flags every server shares and the
     * server's own class path, pinned to CPU 0 through {@code taskset} when {@code pin},
     * and waits until it prints its port; a server on a Unix socket is given
     * {@code --unix <sockets>/<id>.sock} and waited for until it says it listens.
     *
     * @param sockets the directory for Unix socket files, or null if no server of the run needs one
     * @throws ServerOptionsRejectedException if the program exits at once with the status of bad options (2)
     */
    static ServerProcess start(ServerSpec server, String java, List<String> jvmFlags,
                               int workers, boolean pin, Path logs, Path sockets) throws IOException {
        return start(server, server.id(), server.label(), server.classPath(), server.program(), java, jvmFlags,
                workers, pin, logs, sockets);
    }

    /**
     * Starts {@code program} as the server {@code label} (its log {@code <logs>/<id>.log}) with
     * {@code java}, {@code jvmFlags} and {@code classPath} (both unused for a C program),
     * {@code --workers workers} after its arguments, pinned to CPU 0 when {@code pin}, and
     * waits until it prints its port.
     */
    public static ServerProcess start(String id, String label, String classPath, ServerProgram program, String java,
                                      List<String> jvmFlags, int workers, boolean pin, Path logs) throws IOException {
        return start(null, id, label, classPath, program, java, jvmFlags, workers, pin, logs, null);
    }

    private static ServerProcess start(ServerSpec server, String id, String label, String classPath,
                                       ServerProgram program, String java, List<String> jvmFlags,
                                       int workers, boolean pin, Path logs, Path sockets) throws IOException {
        String unixPath = program.unix() ? socketPath(label, sockets, id) : null;
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
        int ownArguments = command.size();
        command.addAll(program.arguments());
        if (unixPath != null) {
            command.add("--unix");
            command.add(unixPath);
        }
        command.add("--workers");
        command.add(Integer.toString(workers));
        Files.createDirectories(logs);
        Path log = logs.resolve(id + ".log");
        Process process = new ProcessBuilder(command)
                .redirectError(log.toFile())
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .start();
        CompletableFuture<MatchResult> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> readStdout(process, program.ready(), ready), id + "-stdout");
        reader.setDaemon(true);
        reader.start();
        try {
            MatchResult line = ready.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            EchoEndpoint endpoint = unixPath != null ? EchoEndpoint.unix(unixPath)
                    : EchoEndpoint.tcp(Integer.parseInt(line.group(1)));
            return new ServerProcess(server, label, program, process, log, endpoint);
        } catch (ExecutionException | TimeoutException e) {
            if (exitedWithUsageError(process)) {
                throw new ServerOptionsRejectedException(label, command.subList(ownArguments, command.size()),
                        lastLine(log));
            }
            process.destroyForcibly();
            throw new IOException(label + " did not start: " + describe(e) + "\n" + tail(log), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + label, e);
        }
    }

    /** {@code <sockets>/<id>.sock}, if a Unix socket address can hold it. */
    private static String socketPath(String label, Path sockets, String id) throws IOException {
        if (sockets == null) {
            throw new IllegalArgumentException(label + " listens on a Unix socket, but the run has no socket directory");
        }
        String path = sockets.resolve(id + ".sock").toString();
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_UNIX_PATH_BYTES) {
            throw new IOException("the socket path " + path + " is longer than the " + MAX_UNIX_PATH_BYTES
                    + " bytes a Unix socket address holds");
        }
        return path;
    }

    /** True if the process ended (or ends within a few seconds) with the programs' bad-options status. */
    private static boolean exitedWithUsageError(Process process) {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) && process.exitValue() == USAGE_ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The log's last line that is not blank (a program's one-line complaint), or a note that there is none. */
    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).strip();
                }
            }
            return "(it wrote nothing to " + log + ")";
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Completes {@code ready} with the ready line's match, then keeps draining so the server never blocks on output. */
    private static void readStdout(Process process, Pattern readyLine, CompletableFuture<MatchResult> ready) {
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                Matcher match = readyLine.matcher(line);
                if (!ready.isDone() && match.find()) {
                    ready.complete(match.toMatchResult());
                }
            }
        } catch (IOException | RuntimeException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IOException("exited before saying it is ready, exit code "
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
        return cause instanceof TimeoutException ? "not ready within " + READY_TIMEOUT_SECONDS + " s" : cause.getMessage();
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

    /** The port the server announced; 0 for a server on a Unix socket. */
    public int port() {
        return endpoint.port();
    }

    /** Where the server listens: its port, or its Unix socket. */
    EchoEndpoint endpoint() {
        return endpoint;
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
