package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.Ucred;
import io.panamanetty.bindings.UnixSockets;
import io.panamanetty.channel.PeerCredentials;
import io.panamanetty.channel.TcpInfo;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What an {@link EpollSocketChannel} tells about its socket on request, read on the
 * channel's loop (a caller on another thread waits): {@code TCP_INFO} of a TCP connection,
 * {@code SO_PEERCRED} of a Unix one.
 */
final class SocketQueries {
    private SocketQueries() {
    }

    /** The connection's {@code struct tcp_info}. */
    static TcpInfo tcpInfo(EpollSocketChannel channel) {
        try {
            return channel.onLoop(() -> {
                if (channel.unix) {
                    throw new UnsupportedOperationException("TCP_INFO is for TCP connections, not the Unix domain"
                            + " socket " + channel);
                }
                if (channel.fd < 0 || !channel.isOpen()) {
                    throw Errno.exception(Errno.EBADF, "getsockopt",
                            "TCP_INFO on " + (channel.isOpen() ? "unconnected " : "closed ") + channel);
                }
                return TcpInfoReader.read(channel.fd);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The credentials of the peer of a connected Unix stream socket. */
    static PeerCredentials peerCredentials(EpollSocketChannel channel) {
        try {
            return channel.onLoop(() -> {
                boolean open = channel.isOpen();
                if (channel.fd < 0 || !open || !channel.isActive()) {
                    throw Errno.exception(open ? Errno.ENOTCONN : Errno.EBADF, "getsockopt",
                            "SO_PEERCRED on " + (open ? "unconnected " : "closed ") + channel);
                }
                if (!channel.unix) {
                    throw new UnsupportedOperationException("peer credentials are known for Unix domain sockets,"
                            + " not for the TCP connection " + channel);
                }
                Ucred peer = UnixSockets.peerCredentials(channel.fd);
                return new PeerCredentials(peer.pid(), Integer.toUnsignedLong(peer.uid()),
                        Integer.toUnsignedLong(peer.gid()));
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
