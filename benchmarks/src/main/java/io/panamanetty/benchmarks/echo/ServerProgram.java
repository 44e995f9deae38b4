package io.panamanetty.benchmarks.echo;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How one echo server program is started, told apart as ready, and stopped.
 *
 * @param mainClass the Java main class, or null for a C program
 * @param nativeProgram the C program's name in {@link NativePrograms}, or null for Java
 * @param arguments the arguments before the worker count
 * @param ready a line on standard output matching this says the server is ready; for a TCP
 *              server group 1 is its port
 * @param stopsAtEndOfInput true if closing standard input stops it; false to stop it with SIGTERM
 * @param launcherFlags true to run with {@code bin/echo-server}'s JVM flags ({@link LauncherFlags})
 *                      instead of the flags every JVM server of the run shares
 * @param unix true for a server on a Unix socket: the harness names a socket file and passes
 *             {@code --unix PATH} after {@code arguments}
 */
public record ServerProgram(String mainClass, String nativeProgram, List<String> arguments, Pattern ready,
                     boolean stopsAtEndOfInput, boolean launcherFlags, boolean unix) {

    private static final Pattern PORT_LINE = Pattern.compile(Pattern.quote(ServerLifecycle.PORT_PREFIX) + "(\\d+)");
    private static final Pattern UNIX_LINE = Pattern.compile("^" + Pattern.quote(ServerLifecycle.UNIX_PREFIX));

    /** A TCP server: {@code unix} false. */
    public ServerProgram(String mainClass, String nativeProgram, List<String> arguments, Pattern ready,
                         boolean stopsAtEndOfInput, boolean launcherFlags) {
        this(mainClass, nativeProgram, arguments, ready, stopsAtEndOfInput, launcherFlags, false);
    }

    /** A harness server in Java: {@link ServerLifecycle}'s contract. */
    public static ServerProgram java(Class<?> mainClass, String... arguments) {
        return new ServerProgram(mainClass.getName(), null, List.of(arguments), PORT_LINE, true, false);
    }

    /** One of the harness's C programs, which keeps {@link ServerLifecycle}'s contract too. */
    static ServerProgram c(String program) {
        return new ServerProgram(null, program, List.of(), PORT_LINE, true, false);
    }

    /**
     * panama-netty's {@code echo-server} program as the README starts it ({@code bin/echo-server}
     * runs the same launcher from the shaded jar), on a free loopback port; it announces
     * itself with {@code echo-server: listening on HOST:PORT} and stops on SIGTERM.
     */
    static ServerProgram readmeEchoServer() {
        return new ServerProgram("io.panamanetty.examples.Launcher", null,
                List.of("echo-server", "--host", ServerLifecycle.HOST, "--port", "0"),
                Pattern.compile("echo-server: listening on [^ ]*:(\\d+)"), false, false);
    }

    /**
     * The README's {@code echo-server} on panama-netty's io_uring transport, as users start it:
     * {@code echo-server --transport io_uring} (the harness adds {@code --workers}), on a free
     * loopback port, ready and stopped as {@link #readmeEchoServer()}.
     */
    static ServerProgram readmeEchoServerOnIoUring() {
        ServerProgram plain = readmeEchoServer();
        List<String> arguments = new ArrayList<>(plain.arguments);
        arguments.addAll(List.of("--transport", "io_uring"));
        return new ServerProgram(plain.mainClass, null, List.copyOf(arguments), plain.ready, false, false);
    }

    /** The same program with {@code bin/echo-server}'s own JVM flags, as the README's command starts it. */
    static ServerProgram readmeEchoServerWithLauncherFlags() {
        ServerProgram plain = readmeEchoServer();
        return new ServerProgram(plain.mainClass, null, plain.arguments, plain.ready, false, true);
    }

    /**
     * The README's {@code echo-server} on a Unix socket, as users start it:
     * {@code echo-server --unix PATH} (the harness adds the path and {@code --workers}); any
     * {@code echo-server: listening on ...} line says it is ready, and it stops on SIGTERM.
     */
    static ServerProgram readmeEchoServerOverUnix() {
        return new ServerProgram("io.panamanetty.examples.Launcher", null, List.of("echo-server"),
                Pattern.compile("^echo-server: listening on "), false, false, true);
    }

    /**
     * This harness program (Java or C, keeping {@link ServerLifecycle}'s contract) on a Unix
     * socket: started with {@code --unix PATH} after its arguments, ready at its {@code UNIX} line.
     */
    ServerProgram overUnix() {
        return new ServerProgram(mainClass, nativeProgram, arguments, UNIX_LINE, stopsAtEndOfInput, launcherFlags,
                true);
    }

    /** True for a C program (started directly, without a JVM). */
    boolean isNative() {
        return nativeProgram != null;
    }
}
