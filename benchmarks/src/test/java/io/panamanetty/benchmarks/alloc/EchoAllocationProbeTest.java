package io.panamanetty.benchmarks.alloc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The steady-state echo path allocates no heap objects per message: runs
 * {@link EchoAllocationProbe} in a JVM of its own (the leak detector's level is fixed per
 * process) with sampled leak tracking off, and checks the worker's bytes per message.
 * The bound is far below one object per message (16 bytes at the least), leaving room for
 * the rare allocation a loop makes now and then, amortized over many messages. The probe
 * reports the lowest of a few measured rounds (see {@link EchoAllocationProbe#steadyState}):
 * a late JIT compilation on a loaded machine no longer fails the check, while an allocation
 * made for every message shows in every round.
 */
class EchoAllocationProbeTest {
    private static final Pattern RESULT = Pattern.compile("([0-9.]+) bytes allocated per message");

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void echoingAllocatesNothingPerMessageAfterWarmUp(@TempDir Path dir) throws Exception {
        assertNoAllocationPerMessage(dir, "30000", "64", "50000");
    }

    /** The same with each echo a composite of two pooled buffers, written in one writev. */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void echoingACompositeOfTwoPooledBuffersAllocatesNothingEither(@TempDir Path dir) throws Exception {
        assertNoAllocationPerMessage(dir, "30000", "64", "50000", "composite");
    }

    /**
     * The io_uring loops: the receive completion's bytes (small ones) copied out of the
     * provided-buffer ring into a pooled buffer, echoed by a send SQE, and nothing per message on the heap either.
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void echoingOnIoUringAllocatesNothingPerMessageAfterWarmUp(@TempDir Path dir) throws Exception {
        assertNoAllocationPerMessage(dir, "30000", "64", "50000", "io_uring");
    }

    /**
     * Large messages on io_uring (64 KiB, so most receives go up the pipeline in the ring's own
     * buffer and a fresh one is lent in its place): no heap allocation per message either.
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void echoingLargeMessagesOnIoUringHandsRingBuffersOnWithoutAllocating(@TempDir Path dir) throws Exception {
        assertNoAllocationPerMessage(dir, "5000", "65536", "10000", "io_uring");
    }

    /**
     * Composites on io_uring: each received message (a buffer of its exact size) and the
     * handler's half-size tail share a pool class and trade blocks every round, so this also
     * checks that a block's kept segment serves either size.
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void echoingCompositesOnIoUringAllocatesNothingEither(@TempDir Path dir) throws Exception {
        assertNoAllocationPerMessage(dir, "30000", "64", "50000", "composite", "io_uring");
    }

    /**
     * The UDP echo: each received packet is turned around and written back; packet objects are
     * recycled by the loop, buffers pooled, the peer's address cached.
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void echoingDatagramsAllocatesNothingPerDatagram(@TempDir Path dir) throws Exception {
        assertNoAllocationPerMessage(dir, "50000", "32", "100000", "udp");
    }

    private static void assertNoAllocationPerMessage(Path dir, String... probeArguments) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path output = dir.resolve("probe.out");
        List<String> command = new java.util.ArrayList<>(List.of(java,
                "-Dio.panamanetty.leakDetection=disabled", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), EchoAllocationProbe.class.getName()));
        command.addAll(List.of(probeArguments));
        Process probe = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        assertTrue(probe.waitFor(170, TimeUnit.SECONDS), "the probe did not finish");
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, probe.exitValue(), text);
        Matcher matcher = RESULT.matcher(text);
        assertTrue(matcher.find(), text);
        double bytesPerMessage = Double.parseDouble(matcher.group(1));
        assertTrue(bytesPerMessage < 4, "the echo worker allocated " + bytesPerMessage
                + " bytes per message (expected none in the steady state): " + text);
    }
}
