package io.panamanetty.testsuite;

import io.panamanetty.channel.DomainSocketAddress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A blocking listener of the JDK that a scenario's client connects to: a {@link ServerSocket}
 * on 127.0.0.1, or a Unix {@link ServerSocketChannel} on a socket file (removed on close).
 */
public final class PeerListener implements AutoCloseable {
    private final ServerSocket tcp;
    private final ServerSocketChannel unix;
    private final SocketAddress address;

    private PeerListener(ServerSocket tcp, ServerSocketChannel unix, SocketAddress address) {
        this.tcp = tcp;
        this.unix = unix;
        this.address = address;
    }

    /** A TCP listener on 127.0.0.1 and a free port. */
    public static PeerListener tcp() throws IOException {
        ServerSocket server = new ServerSocket(0, 4, InetAddress.getByName("127.0.0.1"));
        return new PeerListener(server, null, server.getLocalSocketAddress());
    }

    /** A Unix listener on the socket file {@code file}. */
    public static PeerListener unix(Path file) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        DomainSocketAddress address = DomainSocketAddress.of(file);
        try {
            server.bind(address.toUnixDomainSocketAddress(), 4);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return new PeerListener(null, server, address);
    }

    /** The address to connect to. */
    public SocketAddress address() {
        return address;
    }

    /** Waits for the next connection. */
    public StreamPeer accept() throws IOException {
        return tcp != null ? StreamPeer.of(tcp.accept()) : StreamPeer.of(unix.accept());
    }

    @Override
    public void close() throws IOException {
        if (tcp != null) {
            tcp.close();
        } else {
            unix.close();
            Files.deleteIfExists(((DomainSocketAddress) address).path());
        }
    }
}
