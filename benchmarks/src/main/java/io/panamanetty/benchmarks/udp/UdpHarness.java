package io.panamanetty.benchmarks.udp;

import io.panamanetty.benchmarks.echo.CpuPinning;
import io.panamanetty.benchmarks.echo.Harness;
import io.panamanetty.benchmarks.echo.MachineDescription;
import io.panamanetty.benchmarks.echo.ServerLifecycle;
import io.panamanetty.benchmarks.echo.ServerProcess;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The UDP echo benchmark: starts every {@link UdpServerKind} in its own process (each JVM
 * with the TCP harness's {@link Harness#SERVER_JVM_FLAGS}), warms each one up, then
 * measures them interleaved, round by round and workload by workload (the server order
 * rotating each round), the load from the batching C generator ({@link UdpLoadGenerator}).
 * Writes {@code results.md} and {@code udp.png}, every figure also as a ratio to Netty's
 * {@code EpollDatagramChannel}.
 *
 * <p>Run it with {@code benchmarks/run-udp [--quick | --smoke]}; see {@link UdpOptions#USAGE}.
 */
public final class UdpHarness {
    private static final long STARTED = System.nanoTime();

    private final UdpOptions options;

    private UdpHarness(UdpOptions options) {
        this.options = options;
    }

    /** Command-line entry: exits 2 on a usage error, 1 on a failed run. */
    public static void main(String[] args) {
        UdpOptions options;
        try {
            if (List.of(args).contains("--help")) {
                System.out.print(UdpOptions.USAGE);
                return;
            }
            options = UdpOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("udp benchmark: " + e.getMessage() + " (--help lists the options)");
            System.exit(2);
            return;
        }
        try {
            run(options);
        } catch (IOException | RuntimeException e) {
            System.err.println("udp benchmark failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** Runs the benchmark and writes the report; returns what was measured. */
    static UdpMeasurements run(UdpOptions options) throws IOException {
        return new UdpHarness(options).run();
    }

    private UdpMeasurements run() throws IOException {
        boolean pinned = options.pin() && CpuPinning.pinThisProcess();
        MachineDescription machine = MachineDescription.probe(options.java());
        String load = loadAverage();
        log("machine: %s; load average %s", machine.oneLine(), load);
        log("mode %s, %d round(s), %s, logs in %s", options.mode().name().toLowerCase(Locale.ROOT),
                options.rounds(), pinned ? "servers and client pinned to CPU 0" : "not pinned", options.logs());
        List<UdpServerKind> kinds = options.servers();
        List<UdpWorkload> workloads = options.workloads();
        UdpMeasurements measurements = new UdpMeasurements(kinds, workloads);
        List<ServerProcess> servers = new ArrayList<>();
        try (UdpLoadGenerator client = new UdpLoadGenerator()) {
            for (UdpServerKind kind : kinds) {
                ServerProcess server = ServerProcess.start("udp-" + kind.id(), kind.label(), kind.classPath(options),
                        kind.program(options), options.java(), Harness.SERVER_JVM_FLAGS, 1, pinned, options.logs());
                servers.add(server);
                log("started %-22s pid %d, port %d", kind.label(), server.pid(), server.port());
            }
            for (int i = 0; i < kinds.size(); i++) {
                warmUp(client, kinds.get(i), servers.get(i), workloads);
            }
            for (int round = 0; round < options.rounds(); round++) {
                for (UdpWorkload workload : workloads) {
                    for (int i = 0; i < kinds.size(); i++) {
                        int which = (i + round) % kinds.size();
                        measure(client, kinds.get(which), servers.get(which), workload, measurements, round);
                    }
                }
                for (int i = 0; i < kinds.size(); i++) {
                    measurements.sampleRss(kinds.get(i), servers.get(i).rssKiB());
                }
            }
        } finally {
            for (ServerProcess server : servers) {
                server.close();
            }
        }
        Path out = options.out();
        new UdpReport(measurements, options, machine, load, pinned).writeMarkdown(out.resolve("results.md"));
        UdpCharts.write(measurements, out.resolve("udp.png"));
        log("wrote %s and %s", out.resolve("results.md"), out.resolve("udp.png"));
        return measurements;
    }

    private void warmUp(UdpLoadGenerator client, UdpServerKind kind, ServerProcess server,
                        List<UdpWorkload> workloads) throws IOException {
        long start = System.nanoTime();
        for (int pass = 0; pass < options.warmupPasses(); pass++) {
            for (UdpWorkload workload : workloads) {
                client.run(address(server), workload);
                server.checkAlive();
            }
        }
        log("warmed up %-22s in %.1f s", kind.label(), (System.nanoTime() - start) / 1e9);
    }

    private static void measure(UdpLoadGenerator client, UdpServerKind kind, ServerProcess server,
                                UdpWorkload workload, UdpMeasurements measurements, int round) throws IOException {
        long cpuBefore = server.cpuNanos();
        long userBefore = server.userCpuNanos();
        UdpResult result = client.run(address(server), workload);
        long cpu = server.cpuNanos() - cpuBefore;
        long user = server.userCpuNanos() - userBefore;
        server.checkAlive();
        measurements.add(kind, workload, result, cpu, user);
        String figure = workload.isRoundTrip()
                ? String.format(Locale.ROOT, "median %.1f us", median(result.roundTrips()) / 1e3)
                : String.format(Locale.ROOT, "%.0f datagrams/s", result.datagrams() * 1e9 / result.elapsedNanos());
        log("round %d  %-10s %-22s %7d datagrams  %s%s%s", round + 1, workload.id(), kind.label(),
                result.datagrams(), figure, result.lost() == 0 ? "" : "  (" + result.lost() + " lost, sent again)",
                result.timedOut() ? "  (TIME LIMIT HIT)" : "");
    }

    /** The 1, 5 and 15 minute load averages of {@code /proc/loadavg}: how busy the shared machine was. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static InetSocketAddress address(ServerProcess server) {
        return new InetSocketAddress(ServerLifecycle.HOST, server.port());
    }

    private static double median(long[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static void log(String format, Object... args) {
        double seconds = (System.nanoTime() - STARTED) / 1e9;
        System.out.println(String.format(Locale.ROOT, "[%6.1f s] ", seconds) + String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
