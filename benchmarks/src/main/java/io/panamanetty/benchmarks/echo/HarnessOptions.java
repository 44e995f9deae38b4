package io.panamanetty.benchmarks.echo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The harness's command line.
 *
 * @param mode how much to measure
 * @param rounds interleaved rounds (every server runs every workload once per round)
 * @param connections the "many connections" count of the round-trip workloads
 * @param servers the servers to compare; {@link ServerKind#NETTY_EPOLL} is always first
 * @param workers worker threads per server (the JDK NIO server always has one)
 * @param pin pin servers and load generator to CPU 0 with {@code taskset}
 * @param out where the report goes: the committed {@code results/} only for a full run with
 *            no option that changes what is measured or how ({@code --servers}, {@code --rounds},
 *            {@code --baseline}, {@code --workers}, {@code --connections}, {@code --client}, {@code --no-pin},
 *            {@code --java}, {@code --classpath}), else {@code target/results-<mode>} under the
 *            benchmarks directory (or {@code --out DIR})
 * @param logs where the servers' standard error goes
 * @param sockets where the run's directory of Unix socket files is created (and deleted
 *                again at its end), if a server of the run listens on one
 * @param java the {@code java} launcher for the servers
 * @param classPath the servers' class path
 * @param baseline the git revision whose build of panama-netty runs as one more server
 *                 ({@code --baseline REV}), or null for none
 * @param client the load generator ({@code --client c|java})
 */
record HarnessOptions(Mode mode, int rounds, int connections, List<ServerKind> servers, int workers,
                      boolean pin, Path out, Path logs, Path sockets, String java, String classPath, String baseline,
                      EchoClient.Kind client) {

    /** How much to measure. */
    enum Mode {
        /** The published figures: several minutes. */
        FULL,
        /** A quarter of the messages, two rounds: about a minute. */
        QUICK,
        /** A few hundred messages per server, tiny connection counts, one round: proves the harness works. */
        SMOKE
    }

    static final String USAGE = """
            usage: benchmarks/run [--quick | --smoke] [options]
              --quick             fewer messages and rounds (about a minute)
              --smoke             a few hundred messages per server, one round (a check, not a measurement)
              (none of the two)   the full run: 8 rounds of every workload, about 4 minutes
              --rounds N          interleaved rounds (default: full 8, quick 2, smoke 1)
              --connections N     connections of the many-connection round trips (default 512; smoke 8)
              --servers A,B       servers to run (default all: %s); netty-epoll is always added;
                                  the -unix ones listen on a Unix socket file instead of 127.0.0.1
                                  (ratios to netty-epoll, and over Unix also to netty-epoll-unix)
              --baseline REV      also run panama-netty as built from git revision REV (HEAD~3, a sha)
                                  beside the others, labelled "panama-netty @<sha>"; exported with
                                  git archive into benchmarks/target/baseline-<sha>/, built once;
                                  adds panama-netty if --servers left it out, and a current/baseline
                                  ratio table to the report
              --workers N         worker threads per server (default 1; the JDK NIO and C servers
                                  always have one)
              --client c|java     the load generator: c (default; loadgen.c, compiled with gcc on
                                  first use) or java (one JDK NIO selector thread in this JVM)
              --no-pin            do not pin servers and client to CPU 0 (default: pinned, if taskset exists)
              --out DIR           report directory; default: benchmarks/results (the committed figures)
                                  for a full run with none of the options that change what is
                                  measured or how, else benchmarks/target/results-<mode> (quick,
                                  smoke, or partial for any other run)
              --home DIR          the benchmarks directory those defaults are in (benchmarks/run
                                  passes it; default: the current directory)
              --logs DIR          server logs directory (default: a temporary directory)
              --sockets DIR       where the run makes (and at its end removes) the directory of its
                                  Unix socket files (default: the JVM's temporary directory)
              --java PATH         java launcher for the servers (default: this JVM's)
              --classpath CP      servers' class path (default: this JVM's)
            """.formatted(ServerKind.ids());

    /** Parses {@code args}; throws {@link IllegalArgumentException} with a readable message on a bad one. */
    static HarnessOptions parse(String... args) {
        Mode mode = Mode.FULL;
        Integer rounds = null;
        Integer connections = null;
        List<ServerKind> servers = new ArrayList<>(Arrays.asList(ServerKind.values()));
        int workers = 1;
        boolean pin = true;
        Path out = null;
        Path home = Path.of("");
        Path logs = null;
        Path sockets = Path.of(System.getProperty("java.io.tmpdir"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("java.class.path");
        String baseline = null;
        EchoClient.Kind client = EchoClient.Kind.C;
        boolean custom = false;   // any option that changes what is measured, or how
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            custom |= !List.of("--out", "--logs", "--sockets", "--home", "--quick", "--smoke",
                    "--pin").contains(arg);
            switch (arg) {
                case "--quick" -> mode = Mode.QUICK;
                case "--smoke" -> mode = Mode.SMOKE;
                case "--no-pin" -> pin = false;
                case "--pin" -> pin = true;
                case "--rounds" -> rounds = positive(arg, value(args, ++i, arg));
                case "--connections" -> connections = positive(arg, value(args, ++i, arg));
                case "--workers" -> workers = positive(arg, value(args, ++i, arg));
                case "--out" -> out = Path.of(value(args, ++i, arg));
                case "--home" -> home = Path.of(value(args, ++i, arg));
                case "--logs" -> logs = Path.of(value(args, ++i, arg));
                case "--sockets" -> sockets = Path.of(value(args, ++i, arg));
                case "--java" -> java = value(args, ++i, arg);
                case "--classpath" -> classPath = value(args, ++i, arg);
                case "--baseline" -> baseline = revision(value(args, ++i, arg));
                case "--client" -> client = EchoClient.Kind.byId(value(args, ++i, arg));
                case "--servers" -> {
                    servers = new ArrayList<>();
                    servers.add(ServerKind.NETTY_EPOLL);
                    for (String id : value(args, ++i, arg).split(",")) {
                        ServerKind kind = ServerKind.byId(id.trim());
                        if (!servers.contains(kind)) {
                            servers.add(kind);
                        }
                    }
                    servers.sort(null);   // report order
                }
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (baseline != null && !servers.contains(ServerKind.PANAMA)) {
            servers.add(ServerKind.PANAMA);   // the baseline is compared with the current code
            servers.sort(null);
        }
        if (rounds == null) {
            rounds = switch (mode) {
                case FULL -> 8;
                case QUICK -> 2;
                case SMOKE -> 1;
            };
        }
        if (connections == null) {
            connections = mode == Mode.SMOKE ? 8 : 512;
        }
        if (out == null) {
            boolean publishable = mode == Mode.FULL && !custom;
            String scratch = mode == Mode.FULL ? "partial" : mode.name().toLowerCase(Locale.ROOT);
            out = publishable ? home.resolve("results") : home.resolve("target").resolve("results-" + scratch);
        }
        if (logs == null) {
            logs = Path.of(System.getProperty("java.io.tmpdir"), "echo-harness-logs-" + ProcessHandle.current().pid());
        }
        return new HarnessOptions(mode, rounds, connections, List.copyOf(servers), workers, pin, out, logs, sockets,
                java, classPath, baseline, client);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** A revision as git would take it; a leading '-' would read as an option of git's. */
    private static String revision(String text) {
        if (text.isBlank() || text.startsWith("-")) {
            throw new IllegalArgumentException("--baseline needs a git revision (HEAD~3, a sha), not '" + text + "'");
        }
        return text.trim();
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

    /** The measured workloads of this mode. */
    List<Workload> workloads() {
        Duration limit = mode == Mode.SMOKE ? Duration.ofSeconds(10) : Duration.ofSeconds(30);
        if (mode == Mode.SMOKE) {
            return List.of(
                    Workload.roundTrip(32, 1, 200, limit),
                    Workload.roundTrip(1024, 1, 200, limit),
                    Workload.roundTrip(32, connections, 25, limit),
                    Workload.roundTrip(1024, connections, 25, limit),
                    Workload.pipelined(32, 4, 8, 100, limit),
                    Workload.pipelined(1024, 4, 8, 100, limit));
        }
        // Sized for the C load generator: each measured exchange lasts a few hundred
        // milliseconds on this machine, long enough that one scheduling hiccup does not
        // decide a round (with the old Java client's counts a pipelined round took 30 ms).
        // The many-connection round trips had 20,480 messages (40 per connection, 0.15 s a
        // round) until one round at 1.5 times the others was seen deciding that column's
        // average (which pools every round trip); at 200 per connection a round lasts about
        // as long as the others.
        List<Workload> full = List.of(
                Workload.roundTrip(32, 1, 20_000, limit),
                Workload.roundTrip(1024, 1, 20_000, limit),
                Workload.roundTrip(32, connections, Math.max(1, 102_400 / connections), limit),
                Workload.roundTrip(1024, connections, Math.max(1, 102_400 / connections), limit),
                Workload.pipelined(32, 16, 64, 64_000, limit),
                Workload.pipelined(1024, 16, 32, 24_000, limit));
        return mode == Mode.FULL ? full : full.stream().map(w -> w.scaled(0.25)).toList();
    }

    /** Connections of each round of the warm-up's churn. */
    private static final int CHURN_CONNECTIONS = 512;

    /** The warm-up every server gets before the first measured round: each workload, this many times. */
    int warmupPasses() {
        return mode == Mode.FULL ? 2 : 1;
    }

    /**
     * The connection churn of the warm-up: {@link #churnRounds()} times this many-connection
     * round trip of a few messages per connection, so that a JVM server's per-connection code
     * (accept, pipeline set-up, close) is compiled before the measured rounds, as its
     * per-message code is by the passes. Without it a full run opens only about 2,000
     * connections before its first measured round (each many-connection workload twice), below
     * C2's thresholds for that code: its compilations then ran inside measured rounds, on the
     * one CPU of server and client, and made the many-connection p99 of every JVM server
     * bimodal (rounds at about 3.3 ms or at 5-9 ms, the pooled figure decided by how many fell
     * slow). Measured over ten interleaved rounds of both sizes (io_uring servers): rounds
     * slower than 4.5 ms, 6 of 20 for panama-netty and 9 of 20 for Netty without the churn, 1
     * and 3 of 20 with it.
     */
    Workload churnWorkload() {
        // 512 whatever --connections says: the churn is about the count of connections made.
        // The client closes first, so each leaves a TIME_WAIT entry on its port: a full run
        // leaves about 20,000 per server against ~28,000 ephemeral ports, which loopback
        // reuses at once (net.ipv4.tcp_tw_reuse, 2 by default, allows it there).
        return Workload.roundTrip(32, CHURN_CONNECTIONS, 4, Duration.ofSeconds(30));
    }

    /** How many times the warm-up runs {@link #churnWorkload()} on each server. */
    int churnRounds() {
        return switch (mode) {
            case FULL -> 40;
            case QUICK -> 10;
            case SMOKE -> 1;
        };
    }
}
