package io.panamanetty.transport.socket;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.FileIo;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.SockAddr;
import io.panamanetty.bindings.Sockets;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;

/**
 * A listening TCP socket's setup and its accept errors, the same on every transport: the
 * address checked, the socket opened with {@code SO_REUSEADDR} (and dual stack for the IPv6
 * wildcard), bound and listening once the channel's options are on it; which {@code accept}
 * failures mean "out of descriptors or memory, pause" and which are a peer's doing.
 */
public final class ListeningSockets {
    private ListeningSockets() {
    }

    /**
     * {@return why a TCP listener cannot bind {@code localAddress}, or null if it can}
     * An unresolved address is an {@link UnknownHostException}; anything but an
     * {@link InetSocketAddress} an {@link IllegalArgumentException} saying {@code takes}.
     *
     * @param takes what the listener binds to, for the message ("an io_uring server binds to an InetSocketAddress")
     */
    public static Exception refusal(SocketAddress localAddress, String takes) {
        if (localAddress instanceof InetSocketAddress address) {
            return address.isUnresolved() ? new UnknownHostException("cannot resolve " + address.getHostString()) : null;
        }
        return new IllegalArgumentException(takes + ", not " + localAddress);
    }

    /**
     * Opens a TCP socket for {@code address} with {@code SO_REUSEADDR}, and with
     * {@code IPV6_V6ONLY} off for the IPv6 wildcard (one socket for both families); closed
     * again if that fails. Non-blocking, as {@link Sockets#openTcp} makes it.
     *
     * @throws NativeIoException if {@code socket} or {@code setsockopt} fails
     */
    public static int open(InetSocketAddress address) throws NativeIoException {
        int fd = Sockets.openTcp(address);
        try {
            Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_REUSEADDR, 1);
            if (address.getAddress() instanceof Inet6Address && address.getAddress().isAnyLocalAddress()) {
                Sockets.setInt(fd, Sockets.IPPROTO_IPV6, Sockets.IPV6_V6ONLY, 0);   // dual stack
            }
        } catch (NativeIoException | RuntimeException e) {
            FileIo.close(fd);
            throw e;
        }
        return fd;
    }

    /**
     * Binds {@code fd} to {@code address} and listens with {@code backlog}.
     *
     * @throws NativeIoException if {@code bind} or {@code listen} fails (the fd stays the caller's)
     */
    public static void bindAndListen(int fd, InetSocketAddress address, int backlog) throws NativeIoException {
        Sockets.bind(fd, address);
        listen(fd, backlog, SockAddr.describe(address));
    }

    /**
     * Listens on the bound socket {@code fd} with {@code backlog}.
     *
     * @param address the bound address, for the message
     * @throws NativeIoException if {@code listen} fails
     */
    public static void listen(int fd, int backlog, String address) throws NativeIoException {
        int listened = Sockets.listen(fd, backlog);
        if (listened < 0) {
            throw Errno.exception(-listened, "listen", address);
        }
    }

    /**
     * {@return true if {@code accept} failed with {@code errno} for want of descriptors or
     * memory: accepting pauses rather than spins}
     */
    public static boolean outOfResources(int errno) {
        return errno == Errno.EMFILE || errno == Errno.ENFILE || errno == Errno.ENOBUFS || errno == Errno.ENOMEM;
    }

    /**
     * {@return true if {@code accept} failing with {@code errno} is the peer's doing or an
     * interruption (the connection aborted, a signal, a firewall's refusal): not reported}
     */
    public static boolean peerOrInterrupt(int errno) {
        return errno == Errno.ECONNABORTED || errno == Errno.EINTR || errno == Errno.EPERM;
    }
}
