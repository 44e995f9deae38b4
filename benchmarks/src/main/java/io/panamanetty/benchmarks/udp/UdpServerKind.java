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
    PANAMA("panama-netty", "panama-netty", udpEchoServer()),
    /** A one-thread JDK {@code DatagramChannel} selector loop. */
    JDK_NIO("jdk-nio", "JDK DatagramChannel", ServerProgram.java(JdkUdpEchoServer.class));

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

    /**
     * {@code udp-echo-server --host 127.0.0.1 --port 0} of panama-netty's launcher (the harness
     * adds {@code --workers 1}); it announces {@code udp-echo-server: listening on HOST:PORT ...}
     * and stops on SIGTERM.
     */
    private static ServerProgram udpEchoServer() {
        return new ServerProgram("io.panamanetty.examples.Launcher", null,
                List.of("udp-echo-server", "--host", ServerLifecycle.HOST, "--port", "0"),
                Pattern.compile("udp-echo-server: listening on [^ ]*:(\\d+)"), false, false);
    }
}
