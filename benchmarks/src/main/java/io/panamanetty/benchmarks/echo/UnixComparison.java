package io.panamanetty.benchmarks.echo;

import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The report's Unix-socket section, for a run with servers on a Unix socket file: their
 * headline figures as ratios to Netty epoll over a Unix socket (so that ours over Unix
 * reads against Netty over Unix, as the TCP rows read against Netty over TCP), and each
 * server's Unix figures divided by its own over TCP loopback from the same run. The main
 * tables and charts have the Unix servers as rows too, there as ratios to Netty epoll
 * over TCP.
 */
final class UnixComparison {
    private UnixComparison() {
    }

    /** The header line describing the Unix servers, or "" if the run has none. */
    static String note(Measurements measurements) {
        if (unixServers(measurements).isEmpty()) {
            return "";
        }
        return "- Unix sockets: the rows marked **Unix socket** listen on a socket file in a directory the run "
                + "creates and removes (Netty through `EpollServerDomainSocketChannel`, panama-netty as "
                + "`echo-server --unix PATH`, the C server with `--unix PATH`); TCP_NODELAY does not apply there. "
                + "The load generator connects to them the same way (`unix:PATH`), checking every byte alike.\n";
    }

    /** Appends the section to {@code md}; nothing if the run has no server on a Unix socket. */
    static void append(StringBuilder md, Measurements measurements) {
        List<ServerSpec> unix = unixServers(measurements);
        if (unix.isEmpty()) {
            return;
        }
        ServerSpec reference = unix.stream().filter(s -> s.kind() == ServerKind.NETTY_EPOLL_UNIX).findFirst()
                .orElse(null);
        if (reference != null) {
            md.append("## Over a Unix socket: ratio to Netty epoll over a Unix socket\n\n")
              .append("Average round-trip time (lower is better), messages/s (higher is better) and server CPU ")
              .append("per message over all workloads together (lower is better), each divided by that of **")
              .append(reference.label()).append("** in the same run.\n\n");
            table(md, measurements, unix, s -> reference);
        }
        List<ServerSpec> paired = unix.stream().filter(s -> tcpSibling(measurements, s) != null).toList();
        if (!paired.isEmpty()) {
            md.append("## Unix socket against TCP loopback, same server\n\n")
              .append("Each server's figures over its Unix socket divided by its own over 127.0.0.1 in the same ")
              .append("run: below ×1.00 the Unix socket has the shorter round trip or the lower CPU cost, above ")
              .append("×1.00 the higher throughput.\n\n");
            table(md, measurements, paired, s -> tcpSibling(measurements, s));
        }
    }

    /** One row per server of {@code rows}: its figures over those of {@code against} it. */
    private static void table(StringBuilder md, Measurements measurements, List<ServerSpec> rows,
                              Function<ServerSpec, ServerSpec> against) {
        md.append("| server |");
        StringBuilder rule = new StringBuilder("|---|");
        for (Workload workload : measurements.workloads()) {
            md.append(workload.isRoundTrip() ? " RTT " : " msg/s ").append(Report.shortTitle(workload)).append(" |");
            rule.append("--:|");
        }
        md.append(" CPU/msg, all |\n").append(rule).append("--:|\n");
        for (ServerSpec server : rows) {
            ServerSpec base = against.apply(server);
            md.append("| ").append(server.label()).append(" |");
            for (Workload workload : measurements.workloads()) {
                ToDoubleFunction<Measurements.Cell> metric = workload.isRoundTrip()
                        ? Measurements.Cell::averageMicros : Measurements.Cell::messagesPerSecond;
                md.append(" ×").append(Report.format(ratio(measurements, metric, server, base, workload), 2))
                  .append(" |");
            }
            md.append(" ×").append(Report.format(pooledCpu(measurements, server) / pooledCpu(measurements, base), 2))
              .append(" |\n");
        }
        md.append('\n');
    }

    private static double ratio(Measurements measurements, ToDoubleFunction<Measurements.Cell> metric,
                                ServerSpec server, ServerSpec base, Workload workload) {
        return metric.applyAsDouble(measurements.cell(server, workload))
                / metric.applyAsDouble(measurements.cell(base, workload));
    }

    /** Server CPU microseconds per message over every workload of the run together. */
    private static double pooledCpu(Measurements measurements, ServerSpec server) {
        double micros = 0;
        long messages = 0;
        for (Workload workload : measurements.workloads()) {
            Measurements.Cell cell = measurements.cell(server, workload);
            if (cell.messages() > 0) {
                micros += cell.serverCpuMicrosPerMessage() * cell.messages();
                messages += cell.messages();
            }
        }
        return messages == 0 ? Double.NaN : micros / messages;
    }

    private static List<ServerSpec> unixServers(Measurements measurements) {
        return measurements.servers().stream().filter(s -> s.program().unix()).toList();
    }

    /** The same server over TCP in this run, or null if it was not measured. */
    private static ServerSpec tcpSibling(Measurements measurements, ServerSpec unix) {
        ServerKind tcp = unix.kind().tcpSibling();
        return measurements.servers().stream().filter(s -> s.kind() == tcp && !s.baseline()).findFirst()
                .orElse(null);
    }
}
