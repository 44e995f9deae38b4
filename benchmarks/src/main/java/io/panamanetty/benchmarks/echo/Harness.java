package io.panamanetty.benchmarks.echo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The end-to-end echo benchmark: starts every server in its own process (each JVM with
 * the same flags; the C reference server without one), warms each one up, then measures all of them interleaved, round by round and
 * workload by workload (the server order rotating each round), so that the drift of a
 * shared virtual machine falls on all servers alike. Writes {@code results.md},
 * {@code rtt.png} and {@code throughput.png}, every figure also as a ratio to Netty's
 * epoll transport from the same run.
 *
 * <p>The servers whose id ends in {@code -unix} listen on a Unix socket file, in a
 * directory the run creates (under {@code --sockets}, default the temporary directory) and
 * deletes at its end; the report compares them with Netty epoll over a Unix socket and
 * with their own TCP figures ({@link UnixComparison}).
 *
 * <p>With {@code --baseline REV} one more server joins the same interleaved rounds:
 * panama-netty's echo server as built from the earlier commit {@code REV} (see
 * {@link Baseline}), so that a change is measured side by side with the code before it,
 * and the report adds the current/baseline ratios.
 *
 * <p>Run it with {@code benchmarks/run [--quick | --smoke]}; see {@link HarnessOptions#USAGE}.
 */
public final class Harness {
    /**
     * The JVM flags every server is started with, whichever it is. The Unsafe flag is
     * Netty's documented setting for JDK 24+ (without it Netty 4.2 leaves
     * {@code sun.misc.Unsafe} alone and takes slower paths); the other servers do not use
     * Unsafe, so it changes nothing for them.
     */
    public static final List<String> SERVER_JVM_FLAGS = List.of(
            "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow",
            "-Xms512m", "-Xmx512m",
            "-Djava.net.preferIPv4Stack=true");

    private static final long STARTED = System.nanoTime();

    private final HarnessOptions options;

    private Harness(HarnessOptions options) {
        this.options = options;
    }

    /** Command-line entry: exits 2 on a usage error, 1 on a failed run. */
    public static void main(String[] args) {
        HarnessOptions options;
        try {
            if (List.of(args).contains("--help")) {
                System.out.print(HarnessOptions.USAGE);
                return;
            }
            options = HarnessOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("benchmark: " + e.getMessage() + " (--help lists the options)");   // one line, as the programs do
            System.exit(2);
            return;
        }
        Baseline baseline;
        try {
            baseline = options.baseline() == null ? null : Baseline.resolve(options.baseline());
        } catch (IllegalArgumentException e) {
            System.err.println("benchmark: " + e.getMessage());   // one line: the revision is the problem
            System.exit(2);
            return;
        }
        try {
            run(options, baseline);
        } catch (ServerOptionsRejectedException e) {
            // A build without an option the harness needs (echo-server --unix): one line says which.
            System.err.println("benchmark: " + e.getMessage());
            System.exit(2);
        } catch (IOException | RuntimeException e) {
            System.err.println("benchmark failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    /**
     * Runs the benchmark and writes the report; returns what was measured. Resolves
     * {@code --baseline} itself (an {@link IllegalArgumentException} if it names no commit).
     */
    static Measurements run(HarnessOptions options) throws IOException {
        return run(options, options.baseline() == null ? null : Baseline.resolve(options.baseline()));
    }

    /** Runs the benchmark with {@code baseline} (null for none) as one more server. */
    static Measurements run(HarnessOptions options, Baseline baseline) throws IOException {
        return new Harness(options).run(baseline);
    }

    private Measurements run(Baseline baseline) throws IOException {
        boolean pinned = options.pin() && CpuPinning.pinThisProcess();
        MachineDescription machine = MachineDescription.probe(options.java());
        log("machine: %s", machine.oneLine());
        log("mode %s, %d round(s), %s, load from %s, logs in %s", options.mode().name().toLowerCase(Locale.ROOT),
                options.rounds(), pinned ? "server and client pinned to CPU 0" : "not pinned",
                options.client().description(), options.logs());
        Baseline.Build build = baseline == null ? null : baseline.build(line -> log("%s", line));
        List<ServerSpec> specs = servers(build);
        List<Workload> workloads = options.workloads();
        Measurements measurements = new Measurements(specs, workloads);
        List<ServerProcess> servers = new ArrayList<>();
        Path sockets = specs.stream().anyMatch(s -> s.program().unix())
                ? Files.createTempDirectory(Files.createDirectories(options.sockets()), "echo-unix-") : null;
        try (EchoClient client = options.client().open()) {
            for (ServerSpec spec : specs) {
                ServerProcess server = ServerProcess.start(spec, options.java(), SERVER_JVM_FLAGS,
                        options.workers(), pinned, options.logs(), sockets);
                servers.add(server);
                log("started %-28s pid %d, %s", spec.label(), server.pid(), server.endpoint());
            }
            for (ServerProcess server : servers) {
                warmUp(client, server, workloads);
            }
            for (int round = 0; round < options.rounds(); round++) {
                for (Workload workload : workloads) {
                    for (int i = 0; i < servers.size(); i++) {
                        ServerProcess server = servers.get((i + round) % servers.size());
                        measure(client, server, workload, measurements, round);
                    }
                }
                for (ServerProcess server : servers) {
                    measurements.sampleRss(server.spec(), server.rssKiB());
                }
            }
        } finally {
            for (ServerProcess server : servers) {
                server.close();
            }
            if (sockets != null) {
                deleteSocketDirectory(sockets);
            }
        }
        Path out = options.out();
        Report report = new Report(measurements, options, machine, pinned, build);
        report.writeMarkdown(out.resolve("results.md"));
        Charts.write(measurements, out.resolve("rtt.png"), out.resolve("throughput.png"));
        log("wrote %s, %s and %s", out.resolve("results.md"), out.resolve("rtt.png"), out.resolve("throughput.png"));
        return measurements;
    }

    /** The chosen servers on this JVM's class path, the baseline (if any) right after panama-netty. */
    private List<ServerSpec> servers(Baseline.Build build) {
        List<ServerSpec> specs = new ArrayList<>();
        for (ServerKind kind : options.servers()) {
            specs.add(ServerSpec.current(kind, options.classPath()));
            if (build != null && kind == ServerKind.PANAMA) {
                specs.add(ServerSpec.baseline(build));
            }
        }
        return specs;
    }

    /**
     * Removes the run's socket directory and whatever a server left in it (a stopped server
     * removes its own file); a failure is logged, not thrown, so that it hides no error of the run.
     */
    private static void deleteSocketDirectory(Path sockets) {
        try (var files = Files.list(sockets)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.delete(sockets);
        } catch (IOException e) {
            log("could not remove the socket directory %s: %s", sockets, e);
        }
    }

    private void warmUp(EchoClient client, ServerProcess server, List<Workload> workloads) throws IOException {
        long start = System.nanoTime();
        EchoEndpoint address = server.endpoint();
        for (int pass = 0; pass < options.warmupPasses(); pass++) {
            for (Workload workload : workloads) {
                client.run(address, workload);
                server.checkAlive();
            }
        }
        Workload churn = options.churnWorkload();
        for (int i = 0; i < options.churnRounds(); i++) {
            if (client.run(address, churn).timedOut()) {
                log("warm-up churn round %d on %s hit its time limit", i + 1, server.spec().label());
            }
            server.checkAlive();
        }
        log("warmed up %-28s in %.1f s", server.spec().label(), (System.nanoTime() - start) / 1e9);
    }

    private void measure(EchoClient client, ServerProcess server, Workload workload, Measurements measurements,
                         int round) throws IOException {
        long cpuBefore = server.cpuNanos();
        WorkloadResult result = client.run(server.endpoint(), workload);
        long cpu = server.cpuNanos() - cpuBefore;
        server.checkAlive();
        measurements.add(server.spec(), workload, result, cpu);
        String figure = workload.isRoundTrip()
                ? String.format(Locale.ROOT, "avg %.1f us", mean(result.roundTrips()) / 1e3)
                : String.format(Locale.ROOT, "%.0f msg/s", result.messages() * 1e9 / result.elapsedNanos());
        log("round %d  %-16s %-28s %7d msgs  %s%s", round + 1, workload.id(), server.spec().label(),
                result.messages(), figure, result.timedOut() ? "  (TIME LIMIT HIT)" : "");
    }

    private static double mean(long[] values) {
        double sum = 0;
        for (long v : values) {
            sum += v;
        }
        return values.length == 0 ? Double.NaN : sum / values.length;
    }

    private static void log(String format, Object... args) {
        double seconds = (System.nanoTime() - STARTED) / 1e9;
        System.out.println(String.format(Locale.ROOT, "[%6.1f s] ", seconds) + String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
