package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Errno;
import io.panamanetty.channel.Channel;
import io.panamanetty.file.FileDescriptorHandle;

import java.io.IOException;

/**
 * The sockets of epoll channels as descriptors to pass over a Unix domain socket
 * ({@code SCM_RIGHTS}): write {@code socketOf(channel)} to a Unix domain stream channel and
 * the peer receives a descriptor for the same socket (the same open file description:
 * non-blocking, as our channels' sockets are), which it can talk over while this side
 * still can too.
 */
public final class EpollDescriptors {
    private EpollDescriptors() {
    }

    /**
     * A new descriptor ({@code fcntl(F_DUPFD_CLOEXEC)}) for {@code channel}'s socket, taken
     * on the channel's event loop (waiting for it from another thread), so that it never
     * duplicates a number the channel has just closed.
     *
     * @throws IllegalArgumentException if {@code channel} is not an epoll channel
     * @throws io.panamanetty.bindings.NativeIoException if the channel has no open socket ({@code EBADF}),
     *         or the process is out of descriptors ({@code EMFILE})
     */
    public static FileDescriptorHandle socketOf(Channel channel) throws IOException {
        if (!(channel instanceof AbstractEpollChannel epoll)) {
            throw new IllegalArgumentException(channel + " is not a channel of the epoll transport");
        }
        return epoll.onLoop(() -> {
            if (!epoll.isOpen() || epoll.fd < 0) {
                throw Errno.exception(Errno.EBADF, "fcntl", "F_DUPFD_CLOEXEC of the socket of "
                        + (epoll.isOpen() ? "unconnected " : "closed ") + epoll);
            }
            return FileDescriptorHandle.duplicate(epoll.fd);
        });
    }
}
