package io.panamanetty.examples;

import io.panamanetty.channel.DomainSocketAddress;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a program listens or connects: a TCP {@code HOST:PORT}, or a Unix domain socket
 * written {@code unix:PATH} ({@code unix:@NAME} for a Linux abstract name).
 *
 * @param tcp the host and port, or null for a Unix socket
 * @param unix the Unix socket's address, or null for TCP
 */
record Endpoint(HostPort tcp, DomainSocketAddress unix) {
    /** The prefix of a Unix socket in an option value. */
    static final String UNIX_PREFIX = "unix:";

    /** A TCP endpoint. */
    static Endpoint of(HostPort tcp) {
        return new Endpoint(tcp, null);
    }

    /**
     * Parses {@code text}: {@code unix:PATH}, {@code unix:@NAME} or {@code HOST:PORT}.
     *
     * @param option the option it came from, for the message
     * @param listening true if it is to be bound: a socket file's directory must exist then
     * @throws IllegalArgumentException if it is none of them, or the path cannot be a socket's
     */
    static Endpoint parse(String option, String text, boolean listening) {
        if (!text.startsWith(UNIX_PREFIX)) {
            return of(HostPort.parse(option, text));
        }
        return new Endpoint(null, unixAddress(option, text.substring(UNIX_PREFIX.length()), listening));
    }

    /**
     * The Unix socket address {@code text} names ({@code @NAME} for an abstract one).
     *
     * @param listening true if it is to be bound: a socket file's directory must exist then
     * @throws IllegalArgumentException if it is empty, too long, or (listening) in no directory
     */
    static DomainSocketAddress unixAddress(String option, String text, boolean listening) {
        if (text.isEmpty() || text.equals("@")) {
            throw new IllegalArgumentException(option + " needs a socket path or @name after '" + UNIX_PREFIX + "'");
        }
        DomainSocketAddress address;
        try {
            address = DomainSocketAddress.of(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
        if (listening && address.isPath()) {
            Path parent = address.path().toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new IllegalArgumentException(option + ": " + parent + " is not a directory, so the socket file "
                        + text + " cannot be made there");
            }
        }
        return address;
    }

    /** The address to bind to (a host name resolved now). */
    SocketAddress bindAddress() {
        return unix != null ? unix : new InetSocketAddress(tcp.host(), tcp.port());
    }

    /** The address to connect to (a host name resolved by the connect, off the event loop). */
    SocketAddress connectAddress() {
        return unix != null ? unix : InetSocketAddress.createUnresolved(tcp.host(), tcp.port());
    }

    /** {@code HOST:PORT}, {@code unix:PATH} or {@code unix:@NAME}. */
    @Override
    public String toString() {
        return unix != null ? UNIX_PREFIX + unix : tcp.toString();
    }

    /** How a program reports the address it listens on: {@code HOST:PORT} or {@code unix:PATH}. */
    static String describe(SocketAddress bound) {
        if (bound instanceof InetSocketAddress inet) {
            return new HostPort(inet.getAddress().getHostAddress(), inet.getPort()).toString();
        }
        return UNIX_PREFIX + bound;
    }
}
