package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.FileIo;
import io.panamanetty.bindings.ScmRights;
import io.panamanetty.bindings.SockOpt;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.bindings.UnixSockets;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.PassableDescriptor;
import io.panamanetty.channel.internal.ChannelSetup;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;

/**
 * An {@link EpollSocketChannel} made on a connected stream socket we were given (passed over
 * a Unix domain socket, say) rather than one we accepted or connected: the descriptor is
 * duplicated (the given one is released), checked to be a connected, non-listening stream
 * socket of a family we know, made non-blocking (the file status flags are shared with
 * every copy of the descriptor, the sender's too), then taken over as an accepted socket is.
 */
final class SocketAdoption {
    private SocketAdoption() {
    }

    /** On the channel's loop: completes {@code promise} once the channel is active, or fails it saying why. */
    static void adopt(EpollSocketChannel channel, PassableDescriptor socket, ChannelSetup setup, ChannelPromise promise) {
        if (!channel.isOpen()) {
            socket.release();
            promise.tryFailure(new ClosedChannelException());
            return;
        }
        int fd = -1;
        try {
            fd = ScmRights.duplicate(socket.fd());
            socket.release();   // before the promise's listeners run: the copy is all we need
            socket = null;
            check(fd);
            channel.unix = Sockets.getInt(fd, Sockets.SOL_SOCKET, SockOpt.SO_DOMAIN) == Sockets.AF_UNIX;
        } catch (IOException | RuntimeException e) {
            if (socket != null) {
                socket.release();
            }
            if (fd >= 0) {
                FileIo.close(fd);
            }
            promise.tryFailure(e);
            channel.closeNow(null);
            return;
        }
        channel.initAccepted(fd, setup);   // closes the channel (and fd) on failure, logging why
        if (channel.isActive()) {
            promise.trySuccess();
        } else {
            promise.tryFailure(new IOException("the adopted socket could not be set up as " + channel
                    + " (see the log)"));
        }
    }

    private static void check(int fd) throws IOException {
        int type = Sockets.getInt(fd, Sockets.SOL_SOCKET, Sockets.SO_TYPE);   // ENOTSOCK for a file
        if (type != Sockets.SOCK_STREAM) {
            throw new IllegalArgumentException("only a stream socket becomes a stream channel, not one of SO_TYPE "
                    + type);
        }
        if (Sockets.getInt(fd, Sockets.SOL_SOCKET, ScmRights.SO_ACCEPTCONN) != 0) {
            throw new IllegalArgumentException("a listening socket is not a connection");
        }
        int family = Sockets.getInt(fd, Sockets.SOL_SOCKET, SockOpt.SO_DOMAIN);
        if (family == Sockets.AF_UNIX) {
            UnixSockets.remoteAddress(fd);   // ENOTCONN if it never connected
        } else if (family == Sockets.AF_INET || family == Sockets.AF_INET6) {
            Sockets.remoteAddress(fd);
        } else {
            throw new IllegalArgumentException("a socket of address family " + family + " is not one this transport"
                    + " knows");
        }
        int flags = FileIo.fcntl(fd, FileIo.F_GETFL, 0);
        if (flags < 0 || ((flags & FileIo.O_NONBLOCK) == 0
                && (flags = FileIo.fcntl(fd, FileIo.F_SETFL, flags | FileIo.O_NONBLOCK)) < 0)) {
            throw Errno.exception(-flags, "fcntl", "O_NONBLOCK on the adopted socket");
        }
    }
}
