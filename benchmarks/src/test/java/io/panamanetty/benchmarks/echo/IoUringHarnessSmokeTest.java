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
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The io_uring servers in the harness: {@code benchmarks/run --smoke --servers
 * netty-io_uring,panama-netty-io_uring,c-io_uring} echoes every workload on each (every byte
 * checked by the C load generator) beside Netty epoll, and the report has their rows with
 * ratios to it.
 * Each server is also started on its own and its descriptors looked at: a server that fell
 * back to epoll or NIO would have no io_uring instance ({@code anon_inode:[io_uring]}) open,
 * as Netty's epoll server has none.
 * Never skipped: the machine and CI have io_uring.
 */
class IoUringHarnessSmokeTest {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final List<ServerKind> SERVERS = List.of(ServerKind.NETTY_IO_URING, ServerKind.PANAMA_IO_URING,
            ServerKind.C_IO_URING);

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void ioUringServersEchoEveryWorkloadAndTheReportHasTheirRows(@TempDir Path dir) throws IOException {
        HarnessOptions options = HarnessOptions.parse("--smoke", "--home", dir.toString(),
                "--servers", String.join(",", SERVERS.stream().map(ServerKind::id).toList()),
                "--logs", dir.resolve("logs").toString(),
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
                // the load generator fails on any wrong, missing or extra byte: a full count is a faithful echo
                assertEquals(workload.totalMessages() * options.rounds(), cell.messages(), where);
            }
        }
        String log = Files.readString(dir.resolve("logs/netty-io_uring.log"), StandardCharsets.UTF_8);
        assertTrue(log.contains("netty io_uring: unsafe="), "Netty's io_uring server did not start as such:\n" + log);

        String markdown = Files.readString(options.out().resolve("results.md"), StandardCharsets.UTF_8);
        List<String> tables = HarnessSmokeTest.tables(markdown);
        assertEquals(measurements.workloads().size() + 2, tables.size(), markdown);
        for (String table : tables) {
            for (ServerKind kind : expected) {
                assertTrue(table.contains("\n| " + kind.label() + " |"), "no row for " + kind.label() + " in\n" + table);
            }
        }
        assertTrue(markdown.contains("(×1.00)"), "figures carry their ratio to Netty epoll");
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void eachIoUringServerRunsOnAnIoUringInstance(@TempDir Path logs) throws IOException {
        for (ServerKind kind : SERVERS) {
            assertTrue(ioUringInstances(kind, logs) > 0, kind.label() + " has no io_uring instance open");
        }
        // The probe tells the transports apart: Netty on epoll has none.
        assertEquals(0, ioUringInstances(ServerKind.NETTY_EPOLL, logs), "Netty epoll has an io_uring instance");
    }

    /** Starts {@code kind} with one worker and counts its io_uring descriptors once it is ready. */
    private static long ioUringInstances(ServerKind kind, Path logs) throws IOException {
        try (ServerProcess server = ServerProcess.start(kind.id(), kind.label(), System.getProperty("java.class.path"),
                kind.program(), JAVA, Harness.SERVER_JVM_FLAGS, 1, false, logs)) {
            long count = ioUringInstances(server.pid());
            server.checkAlive();
            return count;
        }
    }

    /** How many of process {@code pid}'s descriptors are io_uring instances. */
    private static long ioUringInstances(long pid) throws IOException {
        long count = 0;
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals("anon_inode:[io_uring]")) {
                        count++;
                    }
                } catch (IOException closedMeanwhile) {
                    // a descriptor closed between the listing and the read is not an io_uring instance
                }
            }
        }
        return count;
    }
}
