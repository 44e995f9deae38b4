package io.panamanetty.benchmarks.udp;

import io.panamanetty.benchmarks.echo.ServerLifecycle;
import io.panamanetty.benchmarks.echo.ServerProgram;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The UDP echo servers the benchmark compares, in report order. {@link #NETTY_EPOLL} is the
 * reference every ratio is taken against.
 */
enum UdpServerKind {
    /** Netty 4.2's {@code EpollDatagramChannel}, batching with recvmmsg. The reference. */
    NETTY_EPOLL("netty-epoll", "Netty 4.2 epoll", ServerProgram.java(NettyUdpEchoServer.class)),
    /** panama-netty: the launcher's {@code udp-echo-server} as users start it. */
    PANAMA("panama-netty", "panama-netty", udpEchoServer(List.of())),
    /** A one-thread JDK {@code DatagramChannel} selector loop. */
    JDK_NIO("jdk-nio", "JDK DatagramChannel", ServerProgram.java(JdkUdpEchoServer.class)),
    /**
     * A second panama-netty server, only with {@code --variant-args}/{@code --variant-classpath}:
     * {@code udp-echo-server} with more arguments, or of another build, to compare with the first
     * in the same interleaved rounds.
     */
    PANAMA_VARIANT("panama-variant", "panama-netty variant", udpEchoServer(List.of()));

    private final String id;
    private final String label;
    private final ServerProgram program;

    UdpServerKind(String id, String label, ServerProgram program) {
        this.id = id;
        this.label = label;
        this.program = program;
    }

    /** Short name without spaces: the server's log is {@code <logs>/udp-<id>.log}. */
    String id() {
        return id;
    }

    /** The name in logs, tables and charts. */
    String label() {
        return label;
    }

    /** How the server is started and stopped. */
    ServerProgram program() {
        return program;
    }

    /** How the server is started with the run's {@code options}: the variant gets its arguments. */
    ServerProgram program(UdpOptions options) {
        return this == PANAMA_VARIANT ? udpEchoServer(options.variantArgs()) : program;
    }

    /** The class path of the server with the run's {@code options}: the variant may have its own. */
    String classPath(UdpOptions options) {
        return this == PANAMA_VARIANT && options.variantClassPath() != null ? options.variantClassPath()
                : options.classPath();
    }

    /**
     * {@code udp-echo-server --host 127.0.0.1 --port 0} of panama-netty's launcher (the harness
     * adds {@code --workers 1}); it announces {@code udp-echo-server: listening on HOST:PORT ...}
     * and stops on SIGTERM.
     */
    private static ServerProgram udpEchoServer(List<String> more) {
        List<String> args = new java.util.ArrayList<>(List.of("udp-echo-server", "--host", ServerLifecycle.HOST,
                "--port", "0"));
        args.addAll(more);
        return new ServerProgram("io.panamanetty.examples.Launcher", null, List.copyOf(args),
                Pattern.compile("udp-echo-server: listening on [^ ]*:(\\d+)"), false, false);
    }
}
