package io.panamanetty.benchmarks.udp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the whole UDP benchmark in {@code --smoke} mode, as {@code benchmarks/run-udp --smoke}
 * does: every server in its own JVM (panama-netty's launcher among them), every workload,
 * every echoed datagram checked whole, the report and the chart written, and the committed
 * {@code results/udp} left alone.
 */
class UdpHarnessSmokeTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void everyServerEchoesEveryWorkloadAndTheReportHasARowPerServer(@TempDir Path dir) throws IOException {
        Path committed = Files.createDirectories(dir.resolve("results/udp"));
        Files.writeString(committed.resolve("results.md"), "the committed figures");
        UdpOptions options = UdpOptions.parse("--smoke", "--home", dir.toString(),
                "--logs", dir.resolve("logs").toString(), "--classpath", System.getProperty("java.class.path"),
                "--variant-args", "--batch 4");   // a second panama-netty server, taking 4 per recvmmsg
        Path out = dir.resolve("target/results-udp-smoke");
        assertEquals(out, options.out());

        UdpMeasurements measurements = UdpHarness.run(options);
        assertEquals("the committed figures", Files.readString(committed.resolve("results.md")));
        assertEquals(List.of(UdpServerKind.values()), measurements.servers());
        for (UdpServerKind server : measurements.servers()) {
            for (UdpWorkload workload : measurements.workloads()) {
                UdpMeasurements.Cell cell = measurements.cell(server, workload);
                String where = server.label() + " / " + workload.id();
                assertFalse(cell.timedOut(), where + " hit its time limit");
                // The load generator fails the run on any wrong echo, so a full count means
                // every datagram came back whole.
                assertEquals(workload.totalDatagrams() * options.rounds(), cell.datagrams(), where);
                if (workload.isRoundTrip()) {
                    assertTrue(cell.percentileMicros(0.5) > 0, where + " recorded round-trip times");
                } else {
                    assertTrue(cell.datagramsPerSecond() > 0, where + " measured throughput");
                }
            }
            assertTrue(measurements.maxRssMiB(server) > 1, server.label() + " RSS sampled");
        }

        String markdown = Files.readString(out.resolve("results.md"), StandardCharsets.UTF_8);
        for (UdpServerKind server : UdpServerKind.values()) {
            long rows = markdown.lines().filter(line -> line.startsWith("| " + server.label() + " |")).count();
            // The summary, one table per workload, the memory table.
            assertEquals(measurements.workloads().size() + 2, rows, server.label() + " rows in\n" + markdown);
        }
        assertTrue(markdown.contains("(×1.00)"), "figures carry their ratio to Netty epoll");
        assertTrue(markdown.contains("Goal (panama-netty"), markdown);

        byte[] png = Files.readAllBytes(out.resolve("udp.png"));
        assertTrue(png.length > 10_000, "udp.png is too small to hold a chart: " + png.length);
        byte[] head = new byte[PNG_SIGNATURE.length];
        System.arraycopy(png, 0, head, 0, head.length);
        assertArrayEquals(PNG_SIGNATURE, head, "udp.png is not a PNG");
    }
}
