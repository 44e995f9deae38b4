package io.panamanetty.transport.socket;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.bindings.Ucred;
import io.panamanetty.bindings.UnixSockets;
import io.panamanetty.channel.PeerCredentials;
import io.panamanetty.channel.TcpInfo;
import io.panamanetty.channel.internal.SafeLog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;

/**
 * What a socket tells about itself: its local and peer addresses (TCP or Unix domain), read
 * on the loop by the channel itself; and on request, read on the channel's loop (a caller on
 * another thread waits), {@code TCP_INFO} of a TCP connection and {@code SO_PEERCRED} of a
 * Unix one, whose failure is thrown as an {@link UncheckedIOException} naming the call.
 */
public final class SocketQueries {
    private SocketQueries() {
    }

    /**
     * {@return the address the channel's socket is bound to ({@code getsockname}), or
     * {@code known} if the kernel cannot say (logged at debug level)} On the channel's loop.
     */
    public static SocketAddress localAddress(SocketOwner channel, SocketAddress known) {
        int fd = channel.fd();
        try {
            return channel.isUnixDomain() ? UnixAddresses.local(fd) : Sockets.localAddress(fd);
        } catch (NativeIoException e) {
            SafeLog.debug(SocketQueries.class, () -> "getsockname on " + channel + " failed: " + e.getMessage());
            return known;
        }
    }

    /**
     * {@return the address of the channel's peer ({@code getpeername}), or {@code known} if the
     * peer is already gone (logged at debug level)} On the channel's loop.
     */
    public static SocketAddress remoteAddress(SocketOwner channel, SocketAddress known) {
        int fd = channel.fd();
        try {
            return channel.isUnixDomain() ? UnixAddresses.remote(fd) : Sockets.remoteAddress(fd);
        } catch (NativeIoException e) {
            SafeLog.debug(SocketQueries.class, () -> "peer of fd " + fd + " (" + channel + ") already gone: "
                    + e.getMessage());
            return known;
        }
    }

    /**
     * The connection's {@code struct tcp_info}.
     *
     * @throws UnsupportedOperationException for a Unix domain socket
     * @throws UncheckedIOException {@code EBADF} before the socket exists or once closed
     */
    public static TcpInfo tcpInfo(SocketOwner channel) {
        try {
            return SocketCall.onLoop(channel.eventLoop(), channel, () -> {
                if (channel.isUnixDomain()) {
                    throw new UnsupportedOperationException("TCP_INFO is for TCP connections, not the Unix domain"
                            + " socket " + channel);
                }
                int fd = channel.fd();
                if (fd < 0 || !channel.isOpen()) {
                    throw Errno.exception(Errno.EBADF, "getsockopt",
                            "TCP_INFO on " + (channel.isOpen() ? "unconnected " : "closed ") + channel);
                }
                return TcpInfoReader.read(fd);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The credentials of the peer of a connected Unix stream socket.
     *
     * @throws UnsupportedOperationException for a TCP connection
     * @throws UncheckedIOException {@code ENOTCONN} before connected, {@code EBADF} once closed
     */
    public static PeerCredentials peerCredentials(SocketOwner channel) {
        try {
            return SocketCall.onLoop(channel.eventLoop(), channel, () -> {
                boolean open = channel.isOpen();
                int fd = channel.fd();
                if (fd < 0 || !open || !channel.isActive()) {
                    throw Errno.exception(open ? Errno.ENOTCONN : Errno.EBADF, "getsockopt",
                            "SO_PEERCRED on " + (open ? "unconnected " : "closed ") + channel);
                }
                if (!channel.isUnixDomain()) {
                    throw new UnsupportedOperationException("peer credentials are known for Unix domain sockets,"
                            + " not for the TCP connection " + channel);
                }
                Ucred peer = UnixSockets.peerCredentials(fd);
                return new PeerCredentials(peer.pid(), Integer.toUnsignedLong(peer.uid()),
                        Integer.toUnsignedLong(peer.gid()));
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
