package io.panamanetty.testsuite;

import io.panamanetty.channel.DomainSocketAddress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;

/**
 * A blocking peer of a scenario, independent of the code under test: a {@link Socket} for a
 * TCP address (reads time out after {@value #TIMEOUT_MILLIS} ms), the JDK's Unix
 * {@link SocketChannel} for a socket file's address (no read timeout: the scenario's own
 * timeouts bound the test). One thread may read while another writes.
 */
public final class StreamPeer implements AutoCloseable {
    /** How long a read of a TCP peer may block. */
    public static final int TIMEOUT_MILLIS = 30_000;

    private final Socket socket;
    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;

    private StreamPeer(Socket socket) throws IOException {
        this.socket = socket;
        this.channel = null;
        socket.setSoTimeout(TIMEOUT_MILLIS);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    private StreamPeer(SocketChannel channel) {
        this.socket = null;
        this.channel = channel;
        this.in = Channels.newInputStream(channel);
        this.out = Channels.newOutputStream(channel);
    }

    /** A peer connected to {@code address}: TCP, or a Unix socket file. */
    public static StreamPeer connect(SocketAddress address) throws IOException {
        if (address instanceof DomainSocketAddress unix) {
            return new StreamPeer(SocketChannel.open(unix.toUnixDomainSocketAddress()));
        }
        Socket socket = new Socket();
        try {
            socket.connect((InetSocketAddress) address, TIMEOUT_MILLIS);
            return new StreamPeer(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Wraps a peer accepted by a JDK listener. */
    static StreamPeer of(Socket accepted) throws IOException {
        return new StreamPeer(accepted);
    }

    /** Wraps a peer accepted by a JDK Unix listener. */
    static StreamPeer of(SocketChannel accepted) {
        return new StreamPeer(accepted);
    }

    public InputStream in() {
        return in;
    }

    public OutputStream out() {
        return out;
    }

    /** Sends FIN (after what was written). */
    public void shutdownOutput() throws IOException {
        if (socket != null) {
            socket.shutdownOutput();
        } else {
            channel.shutdownOutput();
        }
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        } else {
            channel.close();
        }
    }
}
