package io.panamanetty.benchmarks.echo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Echo over a Unix domain stream socket against echo over TCP loopback: panama-netty's
 * echo server on a socket file, the same server on 127.0.0.1, and Netty 4.2's native
 * {@code EpollServerDomainSocketChannel} on a socket file, each in its own JVM with the
 * harness's server flags and one worker. The load is the harness's C generator
 * ({@code loadgen.c}, which connects to {@code unix:PATH} as well as to a port; every byte
 * checked): round trips of 64 B over one connection, and 1 KiB messages pipelined over 16
 * connections, 16 in flight each. After a warm-up the servers are measured interleaved, in
 * rounds whose server order rotates; harness and servers are pinned to CPU 0 as in
 * {@link Harness}. Prints a Markdown table and writes it to {@code --out} (default
 * {@code benchmarks/target/results-unix/results.md}).
 *
 * <pre>
 * UnixEchoComparison [--rounds N] [--quick] [--out DIR] [--no-pin]
 * </pre>
 */
public final class UnixEchoComparison {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    /** One server of the comparison and what the load generator connects to. */
    private record Server(String label, ServerProcess process, String target) {
    }

    /** The figures of one server over every round. */
    private static final class Figures {
        final List<long[]> roundTrips = new ArrayList<>();
        final List<Double> messagesPerSecond = new ArrayList<>();
        long rttCpuNanos;
        long rttMessages;
        long tputCpuNanos;
        long tputMessages;
    }

    private UnixEchoComparison() {
    }

    /** See the class comment. */
    public static void main(String[] args) throws Exception {
        int rounds = 6;
        boolean quick = false;
        boolean pin = true;
        Path out = Path.of("benchmarks", "target", "results-unix");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--quick" -> quick = true;
                case "--no-pin" -> pin = false;
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: UnixEchoComparison [--rounds N] [--quick] [--out DIR] [--no-pin]");
            }
        }
        if (quick) {
            rounds = Math.min(rounds, 2);
        }
        Workload rtt = Workload.roundTrip(64, 1, quick ? 2_000 : 20_000, LIMIT);
        Workload tput = Workload.pipelined(1024, 16, 16, quick ? 1_000 : 10_000, LIMIT);
        String report = run(rounds, pin, rtt, tput);
        System.out.print(report);
        Files.createDirectories(out);
        Files.writeString(out.resolve("results.md"), report);
        System.out.println("wrote " + out.resolve("results.md"));
    }

    /** Runs the comparison; returns the Markdown report. */
    static String run(int rounds, boolean pin, Workload rtt, Workload tput) throws IOException {
        boolean pinned = pin && CpuPinning.pinThisProcess();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("java.class.path");
        Path dir = Files.createTempDirectory("panama-unix-bench");
        Path logs = dir.resolve("logs");
        List<Server> servers = new ArrayList<>();
        try (NativeLoadGenerator client = new NativeLoadGenerator()) {
            Path panamaSocket = dir.resolve("panama.sock");
            Path nettySocket = dir.resolve("netty.sock");
            servers.add(new Server("panama-netty, Unix socket", ServerProcess.start("panama-unix",
                    "panama-netty, Unix socket", classPath, ServerProgram.java(PanamaUnixEchoServer.class,
                            panamaSocket.toString()), java, Harness.SERVER_JVM_FLAGS, 1, pinned, logs),
                    "unix:" + panamaSocket));
            ServerProcess tcp = ServerProcess.start("panama-tcp", "panama-netty, TCP loopback", classPath,
                    ServerProgram.java(PanamaEchoServer.class), java, Harness.SERVER_JVM_FLAGS, 1, pinned, logs);
            servers.add(new Server("panama-netty, TCP loopback", tcp, Integer.toString(tcp.port())));
            servers.add(new Server("Netty 4.2 epoll, Unix socket", ServerProcess.start("netty-unix",
                    "Netty 4.2 epoll, Unix socket", classPath, ServerProgram.java(NettyUnixEchoServer.class,
                            nettySocket.toString()), java, Harness.SERVER_JVM_FLAGS, 1, pinned, logs),
                    "unix:" + nettySocket));
            for (Server server : servers) {
                for (int pass = 0; pass < 2; pass++) {
                    client.run(server.target(), rtt);
                    client.run(server.target(), tput);
                }
                server.process().checkAlive();
            }
            List<Figures> figures = new ArrayList<>();
            servers.forEach(s -> figures.add(new Figures()));
            for (int round = 0; round < rounds; round++) {
                for (Workload workload : List.of(rtt, tput)) {
                    for (int i = 0; i < servers.size(); i++) {
                        int index = (i + round) % servers.size();
                        measure(client, servers.get(index), workload, figures.get(index));
                    }
                }
            }
            return report(servers, figures, rounds, pinned, rtt, tput);
        } finally {
            for (Server server : servers) {
                server.process().close();
            }
        }
    }

    private static void measure(NativeLoadGenerator client, Server server, Workload workload, Figures figures)
            throws IOException {
        long cpuBefore = server.process().cpuNanos();
        WorkloadResult result = client.run(server.target(), workload);
        long cpu = server.process().cpuNanos() - cpuBefore;
        server.process().checkAlive();
        if (result.timedOut()) {
            throw new IOException(server.label() + " did not finish " + workload.title() + " in " + LIMIT);
        }
        if (workload.isRoundTrip()) {
            figures.roundTrips.add(result.roundTrips());
            figures.rttCpuNanos += cpu;
            figures.rttMessages += result.messages();
        } else {
            figures.messagesPerSecond.add(result.messages() * 1e9 / result.elapsedNanos());
            figures.tputCpuNanos += cpu;
            figures.tputMessages += result.messages();
        }
    }

    private static String report(List<Server> servers, List<Figures> figures, int rounds, boolean pinned,
                                 Workload rtt, Workload tput) {
        StringBuilder text = new StringBuilder();
        text.append("# Echo over a Unix domain socket and over TCP loopback\n\n");
        text.append(String.format(Locale.ROOT, "%d interleaved rounds after a warm-up; %s; one worker thread per"
                + " server; load from loadgen.c. Round trips: %s, %d messages a round. Pipelined: %s, %d messages"
                + " per connection a round.%n%n", rounds, pinned ? "servers and load pinned to CPU 0"
                : "not pinned", rtt.title(), rtt.totalMessages(), tput.title(), tput.messagesPerConnection()));
        text.append("| server | RTT avg µs | RTT p50 µs | RTT p99 µs | server CPU µs/msg (RTT) | msg/s pipelined"
                + " (median) | MB/s | server CPU µs/msg (pipelined) |\n");
        text.append("|---|--:|--:|--:|--:|--:|--:|--:|\n");
        for (int i = 0; i < servers.size(); i++) {
            Figures f = figures.get(i);
            long[] all = f.roundTrips.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            double mean = Arrays.stream(all).average().orElse(Double.NaN);
            double median = median(f.messagesPerSecond);
            text.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %,.0f | %.0f | %.2f |%n",
                    servers.get(i).label(), mean / 1e3, percentile(all, 0.50) / 1e3, percentile(all, 0.99) / 1e3,
                    f.rttCpuNanos / 1e3 / Math.max(1, f.rttMessages), median, median * tput.payload() / 1e6,
                    f.tputCpuNanos / 1e3 / Math.max(1, f.tputMessages)));
        }
        text.append("\nMachine: ").append(MachineDescription.probe(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()).oneLine())
                .append("; load average at the end (1, 5, 15 min): ").append(loadAverage())
                .append(" (anything else running makes the figures noisy)\n");
        return text.toString();
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + ", " + fields[1] + ", " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static double percentile(long[] sorted, double fraction) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(fraction * sorted.length))];
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
