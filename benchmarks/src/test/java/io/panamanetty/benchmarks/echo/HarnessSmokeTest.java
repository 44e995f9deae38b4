package io.panamanetty.benchmarks.echo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the whole harness in {@code --smoke} mode, as {@code benchmarks/run --smoke}
 * does: every TCP server in its own JVM, every workload, every echoed byte checked, and
 * the report files written. Keeps the harness from rotting between benchmark runs. The
 * servers on a Unix socket have {@link UnixHarnessSmokeTest}.
 */
class HarnessSmokeTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void everyServerEchoesEveryWorkloadAndTheReportHasARowPerServer(@TempDir Path dir) throws IOException {
        // As benchmarks/run calls it (--home, no --out): a smoke run must leave results/ alone.
        Path committed = Files.createDirectories(dir.resolve("results"));
        Files.writeString(committed.resolve("results.md"), "the committed figures");
        List<ServerKind> tcp = Arrays.stream(ServerKind.values()).filter(kind -> !kind.overUnix()).toList();
        HarnessOptions options = HarnessOptions.parse("--smoke", "--home", dir.toString(),
                "--logs", dir.resolve("logs").toString(),
                "--servers", String.join(",", tcp.stream().map(ServerKind::id).toList()),
                "--classpath", System.getProperty("java.class.path"));
        Path out = dir.resolve("target/results-smoke");
        assertEquals(out, options.out());
        assertEquals(tcp, options.servers(), "the smoke run starts every TCP server");

        Measurements measurements = Harness.run(options);
        assertEquals("the committed figures", Files.readString(committed.resolve("results.md")));
        try (var files = Files.list(committed)) {
            assertEquals(List.of(committed.resolve("results.md")), files.toList(), "the smoke run wrote into results/");
        }

        assertEquals(tcp.size(), measurements.servers().size(), "one row per server");
        for (ServerSpec server : measurements.servers()) {
            for (Workload workload : measurements.workloads()) {
                Measurements.Cell cell = measurements.cell(server, workload);
                String where = server.label() + " / " + workload.id();
                assertFalse(cell.timedOut(), where + " hit its time limit");
                // The load generator throws on any wrong, missing or extra byte, so a full
                // count means every byte of every message came back intact.
                assertEquals(workload.totalMessages() * options.rounds(), cell.messages(), where);
                if (workload.isRoundTrip()) {
                    assertTrue(cell.percentileMicros(0.5) > 0, where + " recorded round-trip times");
                } else {
                    assertTrue(cell.messagesPerSecond() > 0, where + " measured throughput");
                }
            }
            assertTrue(measurements.maxRssMiB(server) > 1, server.label() + " RSS sampled");
        }

        String markdown = Files.readString(out.resolve("results.md"), StandardCharsets.UTF_8);
        List<String> tables = tables(markdown);
        // One summary, one table per workload, one memory table (no Unix tables: no Unix server).
        assertEquals(measurements.workloads().size() + 2, tables.size(), markdown);
        for (String table : tables) {
            for (ServerSpec server : measurements.servers()) {
                assertTrue(table.contains("\n| " + server.label() + " |"),
                        "no row for " + server.label() + " in\n" + table);
            }
        }
        assertTrue(markdown.contains("(×1.00)"), "figures carry their ratio to Netty epoll");

        for (String png : List.of("rtt.png", "throughput.png")) {
            byte[] bytes = Files.readAllBytes(out.resolve(png));
            assertTrue(bytes.length > 10_000, png + " is too small to hold a chart: " + bytes.length);
            byte[] head = new byte[PNG_SIGNATURE.length];
            System.arraycopy(bytes, 0, head, 0, head.length);
            assertArrayEquals(PNG_SIGNATURE, head, png + " is not a PNG");
        }
    }

    /** The Markdown tables of {@code markdown}: runs of lines starting with '|'. */
    static List<String> tables(String markdown) {
        List<String> tables = new ArrayList<>();
        StringBuilder table = null;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("|")) {
                if (table == null) {
                    table = new StringBuilder();
                }
                table.append('\n').append(line);
            } else if (table != null) {
                tables.add(table.toString());
                table = null;
            }
        }
        if (table != null) {
            tables.add(table.toString());
        }
        return tables;
    }
}
