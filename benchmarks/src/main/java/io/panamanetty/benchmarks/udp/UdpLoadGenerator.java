package io.panamanetty.benchmarks.udp;

import io.panamanetty.benchmarks.echo.EchoMismatchException;
import io.panamanetty.benchmarks.echo.NativePrograms;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
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
 * The batching C load generator ({@code udp_loadgen.c}, compiled by {@link NativePrograms})
 * run once per workload as a child process, which inherits the harness's CPU pinning. It
 * checks every echoed datagram whole; a wrong one (a changed byte, a lost boundary, an
 * echo never sent) throws {@link EchoMismatchException} with the generator's own words.
 */
final class UdpLoadGenerator implements AutoCloseable {
    /** Exit status of udp_loadgen when the echo was wrong. */
    private static final int WRONG_ECHO = 3;
    /** How long past the workload's own limit the process may take (its set-up phase included). */
    private static final long GRACE_SECONDS = 45;
    private static final List<String> FIELDS = List.of("messages", "bytes", "elapsed_ns", "timed_out",
            "round_trips", "lost", "duplicates", "send_calls", "recv_calls");

    private final Path executable;
    private final Path roundTripFile;
    private final Path reportFile;
    private final Path errorFile;

    UdpLoadGenerator() throws IOException {
        executable = NativePrograms.path(NativePrograms.UDP_LOAD_GENERATOR);
        roundTripFile = Files.createTempFile("udp-loadgen-rtt-", ".bin");
        reportFile = Files.createTempFile("udp-loadgen-out-", ".txt");
        errorFile = Files.createTempFile("udp-loadgen-err-", ".txt");
    }

    /** Runs {@code workload} against the UDP echo server at {@code server} (a loopback address). */
    UdpResult run(InetSocketAddress server, UdpWorkload workload) throws IOException {
        if (!server.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the UDP load generator drives loopback only, not " + server);
        }
        Files.deleteIfExists(roundTripFile);
        List<String> command = List.of(executable.toString(), Integer.toString(server.getPort()),
                Integer.toString(workload.payload()), Integer.toString(workload.clients()),
                Integer.toString(workload.window()), Integer.toString(workload.datagramsPerClient()),
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
                throw new IOException("the UDP load generator did not finish: " + command);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the UDP load generator ran", e);
        }
        String out = Files.readString(reportFile, StandardCharsets.UTF_8).trim();
        String err = Files.readString(errorFile, StandardCharsets.UTF_8).trim();
        int exit = process.exitValue();
        if (exit == WRONG_ECHO) {
            throw new EchoMismatchException(err.replaceFirst("^udp_loadgen: ", ""));
        }
        if (exit != 0) {
            throw new IOException("the UDP load generator failed (exit " + exit + "): " + err);
        }
        Map<String, Long> fields = parse(out);
        long[] roundTrips = workload.isRoundTrip() ? readRoundTrips(fields.get("round_trips")) : new long[0];
        return new UdpResult(fields.get("messages"), fields.get("bytes"), fields.get("elapsed_ns"), roundTrips,
                fields.get("timed_out") != 0, fields.get("lost"), fields.get("duplicates"),
                fields.get("send_calls"), fields.get("recv_calls"));
    }

    private static Map<String, Long> parse(String line) throws IOException {
        Map<String, Long> fields = new HashMap<>();
        for (String field : line.split(" ")) {
            int eq = field.indexOf('=');
            if (eq > 0) {
                fields.put(field.substring(0, eq), Long.parseLong(field.substring(eq + 1)));
            }
        }
        for (String name : FIELDS) {
            if (!fields.containsKey(name)) {
                throw new IOException("the UDP load generator's report lacks " + name + ": '" + line + "'");
            }
        }
        return fields;
    }

    private long[] readRoundTrips(long count) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(roundTripFile)).order(ByteOrder.nativeOrder());
        if (bytes.remaining() != count * Long.BYTES) {
            throw new IOException("the UDP load generator reported " + count + " round trips but wrote "
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
