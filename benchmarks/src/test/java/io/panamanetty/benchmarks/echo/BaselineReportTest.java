package io.panamanetty.benchmarks.echo;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code --baseline} without running servers: the report's rows and current/baseline
 * table from made-up figures, and resolving revisions in this repository.
 */
class BaselineReportTest {
    private static final Workload RTT = Workload.roundTrip(32, 1, 4, Duration.ofSeconds(1));
    private static final Workload PIPELINED = Workload.pipelined(1024, 2, 4, 4, Duration.ofSeconds(1));

    @Test
    void theReportHasABaselineRowAndTheCurrentOverBaselineRatios() {
        Baseline.Build build = new Baseline.Build("HEAD~1", "0123456789abcdef", "0123456", "A change | with a bar",
                Path.of("/nowhere"), "/nowhere/classes");
        ServerSpec epoll = ServerSpec.current(ServerKind.NETTY_EPOLL, "cp");
        ServerSpec current = ServerSpec.current(ServerKind.PANAMA, "cp");
        ServerSpec old = ServerSpec.baseline(build);
        assertEquals("panama-netty @0123456", old.label());
        Measurements measurements = new Measurements(List.of(epoll, current, old), List.of(RTT, PIPELINED));
        add(measurements, epoll, 100, 2_000_000);
        add(measurements, current, 102, 1_000_000);   // RTT ×1.02 of the baseline, throughput ×1.10
        add(measurements, old, 100, 1_100_000);
        measurements.sampleRss(epoll, 100 * 1024);
        measurements.sampleRss(current, 60 * 1024);
        measurements.sampleRss(old, 50 * 1024);

        HarnessOptions options = HarnessOptions.parse("--smoke", "--baseline", "HEAD~1");
        String md = new Report(measurements, options, MachineDescription.probe(options.java()), false, build)
                .markdown();

        assertTrue(md.contains("`benchmarks/run --smoke --baseline HEAD~1`"), md);
        assertTrue(md.contains("A change \\| with a bar"), "the subject cannot break a table: " + md);
        assertTrue(md.contains("\n| panama-netty @0123456 | ×1.00 |"), "summary row, ratio to Netty epoll: " + md);
        assertTrue(md.contains("## panama-netty against panama-netty @0123456"), md);
        assertTrue(md.contains("\n| RTT 32 B×1 | ×1.02 | ×1.02 | ×1.02 | "), md);
        assertTrue(md.contains("\n| pipelined 1024 B×2 | – | – | – | **×1.10** |"), md);
        assertTrue(md.contains("Max RSS: **×1.20** (60.0 MiB against 50.0 MiB)"), md);
    }

    @Test
    void withoutABaselineThereIsNoComparisonTable() {
        ServerSpec epoll = ServerSpec.current(ServerKind.NETTY_EPOLL, "cp");
        ServerSpec current = ServerSpec.current(ServerKind.PANAMA, "cp");
        Measurements measurements = new Measurements(List.of(epoll, current), List.of(RTT, PIPELINED));
        add(measurements, epoll, 100, 1_000_000);
        add(measurements, current, 90, 1_000_000);
        HarnessOptions options = HarnessOptions.parse("--smoke");
        String md = new Report(measurements, options, MachineDescription.probe(options.java()), false, null)
                .markdown();
        assertFalse(md.contains("against"), md);
        assertFalse(md.contains("--baseline"), md);
    }

    @Test
    void changeMarksWhatIsMoreThanFivePercentOff() {
        assertEquals("×1.05", Report.change(105, 100));
        assertEquals("×0.95", Report.change(95, 100));
        assertEquals("**×1.06**", Report.change(106, 100));
        assertEquals("**×0.90**", Report.change(90, 100));
        assertEquals("n/a", Report.change(Double.NaN, 100));
    }

    @Test
    void resolvesCommitsOfThisRepositoryAndRefusesOthers() throws Exception {
        assumeTrue(Files.exists(Path.of(System.getProperty("user.dir")).resolve("../.git")),
                "not in a git work tree");
        Baseline head = Baseline.resolve("HEAD");
        assertTrue(head.shortSha().matches("[0-9a-f]{7,}"), head.shortSha());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Baseline.resolve("no-such-revision-here"));
        assertTrue(bad.getMessage().contains("'no-such-revision-here' is not a commit"), bad.getMessage());
        assertFalse(bad.getMessage().contains("\n"), "one line: " + bad.getMessage());
    }

    /** One round trip of {@code micros} per message of {@link #RTT} and one pipelined run taking {@code nanos}. */
    private static void add(Measurements measurements, ServerSpec server, long micros, long nanos) {
        long[] trips = {micros * 1_000, micros * 1_000, micros * 1_000, micros * 1_000};
        measurements.add(server, RTT, new WorkloadResult(4, 128, 4 * micros * 1_000, trips, false), 4_000);
        measurements.add(server, PIPELINED, new WorkloadResult(8, 8 * 1024, nanos, new long[0], false), 8_000);
    }
}
