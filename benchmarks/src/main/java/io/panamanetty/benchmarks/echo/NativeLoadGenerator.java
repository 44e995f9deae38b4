package io.panamanetty.benchmarks.echo;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The C load generator ({@code loadgen.c}, see {@link NativePrograms}) run once per
 * workload as a child process: it inherits the harness's CPU pinning, connects (over loopback
 * TCP or a Unix socket, an abstract name included), primes
 * every connection with one echo, measures, and reports one line plus, for round trips,
 * a file of 64-bit nanosecond times. Same semantics as {@link LoadGenerator}: the same
 * pattern, window and message counting, every byte checked.
 */
final class NativeLoadGenerator implements EchoClient {
    /** Exit status of loadgen when the echo was wrong. */
    private static final int WRONG_ECHO = 3;
    /** How long past the workload's own limit the process may take (connecting and priming included). */
    private static final long GRACE_SECONDS = 60;

    private final Path executable;
    private final Path roundTripFile;
    private final Path reportFile;
    private final Path errorFile;

    NativeLoadGenerator() throws IOException {
        executable = NativePrograms.path(NativePrograms.LOAD_GENERATOR);
        roundTripFile = Files.createTempFile("loadgen-rtt-", ".bin");
        reportFile = Files.createTempFile("loadgen-out-", ".txt");
        errorFile = Files.createTempFile("loadgen-err-", ".txt");
    }

    @Override
    public WorkloadResult run(EchoEndpoint server, Workload workload) throws IOException {
        Files.deleteIfExists(roundTripFile);
        List<String> command = List.of(executable.toString(), server.loadGeneratorArgument(),
                Integer.toString(workload.payload()), Integer.toString(workload.connections()),
                Integer.toString(workload.window()), Integer.toString(workload.messagesPerConnection()),
                Long.toString(workload.timeLimit().toMillis()),
                workload.isRoundTrip() ? roundTripFile.toString() : "-");
        Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(reportFile.toFile())
                .redirectError(errorFile.toFile())
                .start();
        try {
            if (!process.waitFor(workload.timeLimit().toSeconds() + GRACE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new IOException("the load generator did not finish: " + command);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the load generator ran", e);
        }
        String out = Files.readString(reportFile, StandardCharsets.UTF_8).trim();
        String err = Files.readString(errorFile, StandardCharsets.UTF_8).trim();
        int exit = process.exitValue();
        if (exit == WRONG_ECHO) {
            throw new EchoMismatchException(err.replaceFirst("^loadgen: ", ""));
        }
        if (exit != 0) {
            throw new IOException("the load generator failed (exit " + exit + "): " + err);
        }
        Map<String, Long> fields = parse(out);
        long[] roundTrips = workload.isRoundTrip() ? readRoundTrips(fields.get("round_trips")) : new long[0];
        return new WorkloadResult(fields.get("messages"), fields.get("bytes"), fields.get("elapsed_ns"),
                roundTrips, fields.get("timed_out") != 0);
    }

    private static Map<String, Long> parse(String line) throws IOException {
        Map<String, Long> fields = new HashMap<>();
        for (String field : line.split(" ")) {
            int eq = field.indexOf('=');
            if (eq > 0) {
                fields.put(field.substring(0, eq), Long.parseLong(field.substring(eq + 1)));
            }
        }
        for (String name : List.of("messages", "bytes", "elapsed_ns", "timed_out", "round_trips")) {
            if (!fields.containsKey(name)) {
                throw new IOException("the load generator's report lacks " + name + ": '" + line + "'");
            }
        }
        return fields;
    }

    private long[] readRoundTrips(long count) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(roundTripFile)).order(ByteOrder.nativeOrder());
        if (bytes.remaining() != count * Long.BYTES) {
            throw new IOException("the load generator reported " + count + " round trips but wrote "
                    + bytes.remaining() + " bytes of them");
        }
        long[] times = new long[(int) count];
        bytes.asLongBuffer().get(times);
        return times;
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(roundTripFile);
        Files.deleteIfExists(reportFile);
        Files.deleteIfExists(errorFile);
    }
}
