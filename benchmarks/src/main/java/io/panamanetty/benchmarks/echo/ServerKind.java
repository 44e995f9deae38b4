package io.panamanetty.benchmarks.echo;

import java.util.ArrayList;
import java.util.List;

/**
 * The echo servers the harness compares, in report order. {@link #NETTY_EPOLL} is the
 * baseline every ratio is taken against.
 */
enum ServerKind {
    /** Netty 4.2, native epoll transport (JNI). The baseline. */
    NETTY_EPOLL("netty-epoll", "Netty 4.2 epoll", NettyEchoServer.class, "epoll"),
    /** panama-netty's default echo server. */
    PANAMA("panama-netty", "panama-netty", PanamaEchoServer.class),
    /** Netty 4.2 on the JDK's NIO selector. */
    NETTY_NIO("netty-nio", "Netty 4.2 NIO", NettyEchoServer.class, "nio"),
    /** A plain single-threaded JDK NIO selector loop. */
    JDK_NIO("jdk-nio", "JDK NIO selector", JdkNioEchoServer.class),
    /** Blocking sockets, one virtual thread per connection. */
    VIRTUAL_THREADS("virtual-threads", "virtual threads (blocking)", VirtualThreadEchoServer.class);

    private final String id;
    private final String label;
    private final Class<?> mainClass;
    private final List<String> arguments;

    ServerKind(String id, String label, Class<?> mainClass, String... arguments) {
        this.id = id;
        this.label = label;
        this.mainClass = mainClass;
        this.arguments = List.of(arguments);
    }

    /** The short name used on the command line ({@code --servers panama-netty,netty-epoll}). */
    String id() {
        return id;
    }

    /** The name shown in tables and charts. */
    String label() {
        return label;
    }

    /** The program's main class and arguments, with the worker count appended. */
    List<String> command(int workers) {
        List<String> command = new ArrayList<>();
        command.add(mainClass.getName());
        command.addAll(arguments);
        command.add("--workers");
        command.add(Integer.toString(workers));
        return command;
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
