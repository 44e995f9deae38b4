package io.panamanetty.benchmarks.echo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@link UnixEchoComparison} with a few hundred messages: the three servers (two on
 * Unix socket files, one on TCP) in their own JVMs, the C load generator on both kinds of
 * socket, every echoed byte checked, a report row per server. Keeps it from rotting.
 */
class UnixEchoComparisonSmokeTest {

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void everyServerEchoesOverItsSocketAndHasARow() throws Exception {
        Workload rtt = Workload.roundTrip(64, 1, 200, Duration.ofSeconds(30));
        Workload tput = Workload.pipelined(1024, 4, 4, 100, Duration.ofSeconds(30));
        String report = UnixEchoComparison.run(1, false, rtt, tput);
        List<String> rows = report.lines().filter(line -> line.startsWith("| ") && !line.startsWith("| server"))
                .toList();
        assertEquals(3, rows.size(), report);
        for (String label : List.of("panama-netty, Unix socket", "panama-netty, TCP loopback",
                "Netty 4.2 epoll, Unix socket")) {
            assertTrue(rows.stream().anyMatch(row -> row.startsWith("| " + label + " | ") && !row.contains("NaN")),
                    "no complete row for " + label + " in\n" + report);
        }
    }
}
