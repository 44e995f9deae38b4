package io.panamanetty.benchmarks.echo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harness's {@code --smoke} run of the servers on a Unix socket, interleaved with their
 * TCP counterparts as {@code benchmarks/run --smoke --servers ...} runs them: Netty's
 * {@code EpollServerDomainSocketChannel} echo and the C server over a socket file, driven by
 * the C load generator's {@code unix:PATH} mode with every byte checked; the report has
 * their rows and the Unix tables, and the socket directory is gone afterwards.
 */
class UnixHarnessSmokeTest {
    /**
     * The Unix servers of this test, with panama-netty and C epoll over TCP beside them (Netty
     * epoll joins every run); the assertions follow the list.
     */
    private static final List<ServerKind> SERVERS = List.of(ServerKind.PANAMA, ServerKind.C_EPOLL,
            ServerKind.NETTY_EPOLL_UNIX, ServerKind.PANAMA_UNIX, ServerKind.C_EPOLL_UNIX);

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void unixServersEchoEveryWorkloadBesideTcpAndTheReportComparesThem(@TempDir Path dir) throws IOException {
        Path sockets = dir.resolve("sockets");
        HarnessOptions options = HarnessOptions.parse("--smoke", "--home", dir.toString(),
                "--servers", String.join(",", SERVERS.stream().map(ServerKind::id).toList()),
                "--sockets", sockets.toString(), "--logs", dir.resolve("logs").toString(),
                "--classpath", System.getProperty("java.class.path"));

        Measurements measurements = Harness.run(options);

        List<ServerKind> expected = new ArrayList<>(SERVERS);
        expected.add(ServerKind.NETTY_EPOLL);
        expected.sort(null);
        assertEquals(expected, measurements.servers().stream().map(ServerSpec::kind).toList());
        for (ServerSpec server : measurements.servers()) {
            for (Workload workload : measurements.workloads()) {
                Measurements.Cell cell = measurements.cell(server, workload);
                String where = server.label() + " / " + workload.id();
                assertFalse(cell.timedOut(), where + " hit its time limit");
                // loadgen exits non-zero on any wrong, missing or extra byte: a full count is a faithful echo
                assertEquals(workload.totalMessages() * options.rounds(), cell.messages(), where);
            }
        }
        try (var left = Files.list(sockets)) {
            assertEquals(List.of(), left.toList(), "the run's socket directory outlived it");
        }
        String log = Files.readString(dir.resolve("logs/netty-epoll-unix.log"), StandardCharsets.UTF_8);
        assertTrue(log.contains("netty epoll unix: unsafe="), "Netty's Unix server did not start as such:\n" + log);

        String markdown = Files.readString(options.out().resolve("results.md"), StandardCharsets.UTF_8);
        List<String> tables = HarnessSmokeTest.tables(markdown);
        // Summary, a table per workload, memory, and the two Unix tables.
        assertEquals(measurements.workloads().size() + 4, tables.size(), markdown);
        String unixToUnix = section(markdown, "## Over a Unix socket: ratio to Netty epoll over a Unix socket");
        assertTrue(unixToUnix.contains("\n| Netty 4.2 epoll, Unix socket | ×1.00 |"), unixToUnix);
        String againstTcp = section(markdown, "## Unix socket against TCP loopback, same server");
        for (ServerKind kind : expected) {
            String row = "\n| " + kind.label() + " |";
            assertEquals(kind.overUnix(), unixToUnix.contains(row), kind.label() + " in\n" + unixToUnix);
            assertEquals(kind.overUnix() && expected.contains(kind.tcpSibling()), againstTcp.contains(row),
                    kind.label() + " in\n" + againstTcp);
        }
        assertTrue(markdown.contains("- Unix sockets: "), "the header describes the Unix servers");
    }

    /** The text of {@code markdown} from {@code heading} to the next heading of its level. */
    private static String section(String markdown, String heading) {
        int start = markdown.indexOf(heading);
        assertTrue(start >= 0, "no '" + heading + "' in\n" + markdown);
        int end = markdown.indexOf("\n## ", start + heading.length());
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }
}
