package io.panamanetty.benchmarks.echo;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * Where an echo server of the harness listens: a TCP port of {@link ServerLifecycle#HOST},
 * or a Unix stream socket, either a socket file's path or, written {@code @name}, a Linux
 * abstract name.
 *
 * @param port the TCP port, or 0 for a Unix socket
 * @param unixPath the Unix socket's path or {@code @name}, or null for TCP
 */
record EchoEndpoint(int port, String unixPath) {

    EchoEndpoint {
        if (unixPath == null ? port < 1 || port > 65_535 : port != 0 || unixPath.isEmpty() || unixPath.equals("@")) {
            throw new IllegalArgumentException("an echo endpoint is a port of 1 to 65535 or a Unix socket path or"
                    + " @name, not port " + port + " path " + unixPath);
        }
    }

    /** The loopback TCP port {@code port}. */
    static EchoEndpoint tcp(int port) {
        return new EchoEndpoint(port, null);
    }

    /** The Unix socket {@code path} (a file), or {@code @name} for an abstract name. */
    static EchoEndpoint unix(String path) {
        return new EchoEndpoint(0, path);
    }

    /** True for a Unix socket. */
    boolean isUnix() {
        return unixPath != null;
    }

    /** True for a Linux abstract name ({@code @name}), which has no file. */
    boolean isAbstract() {
        return isUnix() && unixPath.startsWith("@");
    }

    /** How {@code loadgen.c} takes it as its first argument: {@code PORT}, {@code unix:PATH} or {@code unix:@NAME}. */
    String loadGeneratorArgument() {
        return isUnix() ? "unix:" + unixPath : Integer.toString(port);
    }

    /**
     * The JDK's address of it, for the Java client: an {@link InetSocketAddress} or a
     * {@link UnixDomainSocketAddress}; the JDK offers none for an abstract name.
     *
     * @throws IllegalArgumentException for an abstract name
     */
    SocketAddress socketAddress() {
        if (isAbstract()) {
            throw new IllegalArgumentException("the JDK has no address for the abstract Unix name " + unixPath
                    + "; the C load generator reaches it");
        }
        return isUnix() ? UnixDomainSocketAddress.of(unixPath) : new InetSocketAddress(ServerLifecycle.HOST, port);
    }

    @Override
    public String toString() {
        return isUnix() ? "unix:" + unixPath : ServerLifecycle.HOST + ":" + port;
    }
}
