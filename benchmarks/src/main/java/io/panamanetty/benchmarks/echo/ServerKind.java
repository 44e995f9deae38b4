package io.panamanetty.benchmarks.echo;

/**
 * The echo servers the harness compares, in report order. {@link #NETTY_EPOLL} is the
 * baseline every ratio is taken against. The {@code -unix} ones listen on a Unix socket
 * file instead of 127.0.0.1 ({@link #overUnix()}); {@link #NETTY_EPOLL_UNIX} is the
 * reference of the report's Unix-to-Unix ratios, and {@link #tcpSibling()} pairs each with
 * the same server over TCP.
 */
enum ServerKind {
    /** Netty 4.2, native epoll transport (JNI). The baseline. */
    NETTY_EPOLL("netty-epoll", "Netty 4.2 epoll", ServerProgram.java(NettyEchoServer.class, "epoll")),
    /**
     * panama-netty: the README's {@code echo-server} program, as users start it (its own
     * acceptor thread beside the worker loops, as Netty's server has a boss group).
     */
    PANAMA("panama-netty", "panama-netty", ServerProgram.readmeEchoServer()),
    /**
     * The same program with the JVM flags {@code bin/echo-server} gives it instead of the
     * run's shared ones: what the README's command starts, outside the same-flags rule.
     */
    PANAMA_LAUNCHER("panama-netty-launcher", "panama-netty, bin/echo-server's JVM flags",
            ServerProgram.readmeEchoServerWithLauncherFlags()),
    /**
     * Netty 4.2's io_uring transport ({@code IoUringIoHandler}, {@code IoUringServerSocketChannel}):
     * the same handler, groups and options as {@link #NETTY_EPOLL}.
     */
    NETTY_IO_URING("netty-io_uring", "Netty 4.2 io_uring", ServerProgram.java(NettyEchoServer.class, "io_uring")),
    /**
     * panama-netty's io_uring transport: the README's {@code echo-server --transport io_uring},
     * as users start it, with the run's shared JVM flags like {@link #PANAMA}.
     */
    PANAMA_IO_URING("panama-netty-io_uring", "panama-netty io_uring", ServerProgram.readmeEchoServerOnIoUring()),
    /** Netty 4.2 on the JDK's NIO selector. */
    NETTY_NIO("netty-nio", "Netty 4.2 NIO", ServerProgram.java(NettyEchoServer.class, "nio")),
    /** A plain single-threaded JDK NIO selector loop (accepting on the same thread). */
    JDK_NIO("jdk-nio", "JDK NIO selector", ServerProgram.java(JdkNioEchoServer.class)),
    /** Blocking sockets, one virtual thread per connection. */
    VIRTUAL_THREADS("virtual-threads", "virtual threads (blocking)", ServerProgram.java(VirtualThreadEchoServer.class)),
    /** The reference line: a one-thread C epoll server ({@code echo_server.c}), accepting on that thread. */
    C_EPOLL("c-epoll", "C epoll (reference)", ServerProgram.c(NativePrograms.ECHO_SERVER)),
    /**
     * The io_uring reference line: a one-thread C liburing server ({@code echo_server_uring.c}),
     * multishot accept and multishot receive into provided buffers, each buffer sent back as received.
     */
    C_IO_URING("c-io_uring", "C io_uring (reference)", ServerProgram.c(NativePrograms.IO_URING_ECHO_SERVER)),
    /**
     * Netty 4.2's epoll transport on a Unix socket file ({@code EpollServerDomainSocketChannel},
     * {@code EpollDomainSocketChannel} children): the reference of the Unix-to-Unix ratios.
     */
    NETTY_EPOLL_UNIX("netty-epoll-unix", "Netty 4.2 epoll, Unix socket",
            ServerProgram.java(NettyEchoServer.class, "epoll").overUnix()),
    /** panama-netty's {@code echo-server --unix PATH}, as users start it. */
    PANAMA_UNIX("panama-netty-unix", "panama-netty, Unix socket", ServerProgram.readmeEchoServerOverUnix()),
    /** The C reference server on a Unix socket file ({@code echo_server --unix PATH}). */
    C_EPOLL_UNIX("c-epoll-unix", "C epoll, Unix socket", ServerProgram.c(NativePrograms.ECHO_SERVER).overUnix());

    private final String id;
    private final String label;
    private final ServerProgram program;

    ServerKind(String id, String label, ServerProgram program) {
        this.id = id;
        this.label = label;
        this.program = program;
    }

    /** The short name used on the command line ({@code --servers panama-netty,netty-epoll}). */
    String id() {
        return id;
    }

    /** The name shown in tables and charts. */
    String label() {
        return label;
    }

    /** How this server is started and stopped. */
    ServerProgram program() {
        return program;
    }

    /** True for a server on a Unix socket. */
    boolean overUnix() {
        return program.unix();
    }

    /** The same server over TCP loopback, for a Unix one; null for a TCP server. */
    ServerKind tcpSibling() {
        return switch (this) {
            case NETTY_EPOLL_UNIX -> NETTY_EPOLL;
            case PANAMA_UNIX -> PANAMA;
            case C_EPOLL_UNIX -> C_EPOLL;
            default -> null;
        };
    }

    /** The kind whose {@link #id()} is {@code id}. */
    static ServerKind byId(String id) {
        for (ServerKind kind : values()) {
            if (kind.id.equals(id)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown server '" + id + "'; known: " + ids());
    }

    /** All ids, comma separated. */
    static String ids() {
        StringBuilder ids = new StringBuilder();
        for (ServerKind kind : values()) {
            ids.append(ids.isEmpty() ? "" : ",").append(kind.id);
        }
        return ids.toString();
    }
}
