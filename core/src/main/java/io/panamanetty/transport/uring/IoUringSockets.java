package io.panamanetty.transport.uring;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.FileIo;
import io.panamanetty.bindings.NativeIoException;

/**
 * The io_uring transport's sockets are blocking. For a file opened {@code O_NONBLOCK}
 * io_uring does not wait on a full send buffer or an empty receive queue: it completes the
 * request with {@code -EAGAIN}, which a completion transport would have to poll for and resubmit.
 * A blocking socket lets the ring do that waiting (its internal poll), as liburing's examples do;
 * nothing here calls the socket directly in a way that could block the loop.
 */
final class IoUringSockets {
    private IoUringSockets() {
    }

    /** Clears {@code O_NONBLOCK} on {@code fd} and returns it; on failure closes it and throws. */
    static int blocking(int fd) throws NativeIoException {
        int flags = FileIo.fcntl(fd, FileIo.F_GETFL, 0);
        if (flags < 0 || (flags & FileIo.O_NONBLOCK) != 0
                && (flags = FileIo.fcntl(fd, FileIo.F_SETFL, flags & ~FileIo.O_NONBLOCK)) < 0) {
            FileIo.close(fd);
            throw Errno.exception(-flags, "fcntl", "F_SETFL without O_NONBLOCK on fd " + fd);
        }
        return fd;
    }
}
