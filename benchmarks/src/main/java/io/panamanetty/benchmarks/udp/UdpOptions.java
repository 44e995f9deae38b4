package io.panamanetty.benchmarks.udp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The UDP benchmark's command line.
 *
 * @param mode how much to measure
 * @param rounds interleaved rounds (every server runs every workload once per round)
 * @param pin pin servers and load generator to CPU 0 with {@code taskset}
 * @param out where the report goes: {@code results/udp} for a full run with no option that
 *            changes what is measured ({@code --rounds}, {@code --no-pin}, {@code --java},
 *            {@code --classpath}), else {@code target/results-udp-<mode>} (or {@code --out DIR})
 * @param logs where the servers' standard error goes
 * @param java the {@code java} launcher for the servers
 * @param classPath the servers' class path
 * @param variantArgs more arguments for a second panama-netty server, measured beside the
 *                    first (say {@code --batch 64}); null for no second one
 * @param variantClassPath that second server's class path (another build); null for {@code classPath}
 */
record UdpOptions(Mode mode, int rounds, boolean pin, Path out, Path logs, String java, String classPath,
                  List<String> variantArgs, String variantClassPath) {

    /** How much to measure. */
    enum Mode {
        /** The published figures: about two minutes. */
        FULL,
        /** A quarter of the datagrams, two rounds. */
        QUICK,
        /** A few hundred datagrams per server and workload, one round: proves the harness works. */
        SMOKE
    }

    static final String USAGE = """
            usage: benchmarks/run-udp [--quick | --smoke] [options]
              --quick             a quarter of the datagrams, 2 rounds
              --smoke             a few hundred datagrams per server, one round (a check, not a measurement)
              (neither)           the full run: 8 interleaved rounds, about two minutes
              --rounds N          interleaved rounds (default: full 8, quick 2, smoke 1)
              --no-pin            do not pin servers and client to CPU 0 (default: pinned, if taskset exists)
              --out DIR           report directory; default benchmarks/results/udp for a full run
                                  without --rounds/--no-pin/--java/--classpath, else
                                  benchmarks/target/results-udp-<quick|smoke|partial>
              --home DIR          the benchmarks directory those defaults are in (default: .)
              --logs DIR          server logs directory (default: a temporary directory)
              --java PATH         java launcher for the servers (default: this JVM's)
              --classpath CP      servers' class path (default: this JVM's)
              --variant-args "A"  also measure a second panama-netty server given these udp-echo-server
                                  arguments (say "--batch 64"), interleaved with the others
              --variant-classpath CP
                                  that second server's class path: another build to compare
            """;

    /** Parses {@code args}; throws {@link IllegalArgumentException} with a readable message on a bad one. */
    static UdpOptions parse(String... args) {
        Mode mode = Mode.FULL;
        Integer rounds = null;
        boolean pin = true;
        Path out = null;
        Path home = Path.of("");
        Path logs = null;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("java.class.path");
        boolean custom = false;
        List<String> variantArgs = null;
        String variantClassPath = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            custom |= List.of("--rounds", "--no-pin", "--java", "--classpath", "--variant-args", "--variant-classpath")
                    .contains(arg);
            switch (arg) {
                case "--quick" -> mode = Mode.QUICK;
                case "--smoke" -> mode = Mode.SMOKE;
                case "--no-pin" -> pin = false;
                case "--rounds" -> rounds = positive(arg, value(args, ++i, arg));
                case "--out" -> out = Path.of(value(args, ++i, arg));
                case "--home" -> home = Path.of(value(args, ++i, arg));
                case "--logs" -> logs = Path.of(value(args, ++i, arg));
                case "--java" -> java = value(args, ++i, arg);
                case "--classpath" -> classPath = value(args, ++i, arg);
                case "--variant-args" -> variantArgs = List.of(value(args, ++i, arg).trim().split("\\s+"));
                case "--variant-classpath" -> variantClassPath = value(args, ++i, arg);
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (rounds == null) {
            rounds = switch (mode) {
                case FULL -> 8;
                case QUICK -> 2;
                case SMOKE -> 1;
            };
        }
        if (out == null) {
            boolean publishable = mode == Mode.FULL && !custom;
            String scratch = mode == Mode.FULL ? "partial" : mode.name().toLowerCase(Locale.ROOT);
            out = publishable ? home.resolve("results").resolve("udp")
                    : home.resolve("target").resolve("results-udp-" + scratch);
        }
        if (logs == null) {
            logs = Path.of(System.getProperty("java.io.tmpdir"), "udp-harness-logs-" + ProcessHandle.current().pid());
        }
        if (variantClassPath != null && variantArgs == null) {
            variantArgs = List.of();
        }
        return new UdpOptions(mode, rounds, pin, out, logs, java, classPath, variantArgs, variantClassPath);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String option, String text) {
        try {
            int n = Integer.parseInt(text);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " needs a positive whole number, not '" + text + "'");
    }

    /** The servers to measure: every kind, the variant only if asked for. */
    List<UdpServerKind> servers() {
        return Arrays.stream(UdpServerKind.values())
                .filter(kind -> kind != UdpServerKind.PANAMA_VARIANT || variantArgs != null).toList();
    }

    /** The measured workloads of this mode. */
    List<UdpWorkload> workloads() {
        Duration limit = mode == Mode.SMOKE ? Duration.ofSeconds(10) : Duration.ofSeconds(20);
        if (mode == Mode.SMOKE) {
            return List.of(
                    UdpWorkload.roundTrip(32, 200, limit),
                    UdpWorkload.roundTrip(1200, 200, limit),
                    UdpWorkload.throughput(32, 4, 8, 100, limit),
                    UdpWorkload.throughput(1200, 4, 8, 100, limit));
        }
        // Each exchange lasts a few hundred milliseconds here: long enough that one
        // scheduling hiccup of the shared machine does not decide a round.
        List<UdpWorkload> full = List.of(
                UdpWorkload.roundTrip(32, 20_000, limit),
                UdpWorkload.roundTrip(1200, 20_000, limit),
                UdpWorkload.throughput(32, 8, 32, 20_000, limit),
                UdpWorkload.throughput(1200, 8, 32, 12_000, limit));
        return mode == Mode.FULL ? full : full.stream().map(w -> w.scaled(0.25)).toList();
    }

    /** The warm-up every server gets before the first measured round: each workload, this many times. */
    int warmupPasses() {
        return mode == Mode.FULL ? 2 : 1;
    }
}
