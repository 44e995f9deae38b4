package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.FileIo;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.bindings.UnixSockets;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.DomainSocketAddress;
import io.panamanetty.channel.internal.SafeLog;
import io.panamanetty.transport.socket.UnixAddresses;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * The socket file of a Unix listener (or of a bound Unix datagram socket): binding it (a stale file left by a dead server is
 * reported, or removed on request), and removing it when the listener closes, unless
 * another file has taken its place meanwhile (compared by device and inode).
 */
final class UnixSocketFile {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    /** What is in the way of a bind that failed with {@code EADDRINUSE}. */
    private enum Occupant { STALE_SOCKET, LISTENING_SOCKET, NOT_A_SOCKET, GONE }

    private final Path path;
    private final Object fileKey;

    private UnixSocketFile(Path path, Object fileKey) {
        this.path = path;
        this.fileKey = fileKey;
    }

    /**
     * Binds the stream socket {@code fd} to {@code address}. For a path that exists, the bind
     * fails with a {@link BindException} saying what is there, unless {@code removeStale} is
     * set and it is a socket nothing listens on, which is removed and bound in place of.
     *
     * @return the file to remove when the listener closes, or null for an abstract or unnamed address
     */
    static UnixSocketFile bind(int fd, DomainSocketAddress address, boolean removeStale) throws IOException {
        return bind(fd, address, removeStale, true);
    }

    /** Binds the datagram socket {@code fd} as {@link #bind} does, never removing a stale file (no option says to). */
    static UnixSocketFile bindDatagram(int fd, DomainSocketAddress address) throws IOException {
        return bind(fd, address, false, false);
    }

    private static UnixSocketFile bind(int fd, DomainSocketAddress address, boolean removeStale, boolean listener)
            throws IOException {
        byte[] sunPath = UnixAddresses.sunPath(address);
        try {
            UnixSockets.bind(fd, sunPath);
        } catch (NativeIoException e) {
            if (e.errno() != Errno.EADDRINUSE || !address.isPath()) {
                throw e;
            }
            Path path = address.path();
            Occupant occupant = occupant(path, sunPath);
            if (occupant == Occupant.STALE_SOCKET && removeStale) {
                SafeLog.debug(UnixSocketFile.class, () -> "removing the stale socket file " + path);
                Files.deleteIfExists(path);
            } else if (occupant != Occupant.GONE) {
                throw inUse(e, occupant, listener);
            }
            UnixSockets.bind(fd, sunPath);   // once more: a second failure is reported as it is
        }
        if (!address.isPath()) {
            return null;
        }
        Path path = address.path();
        return new UnixSocketFile(path, attributes(path).fileKey());
    }

    /** Removes the socket file if it is still the one bound; a failure is only logged. */
    void remove() {
        try {
            BasicFileAttributes now = attributes(path);
            if (fileKey == null || Objects.equals(fileKey, now.fileKey())) {
                Files.delete(path);
            }
        } catch (NoSuchFileException e) {
            // removed by someone else already
        } catch (IOException | RuntimeException e) {
            SafeLog.warning(UnixSocketFile.class, () -> "could not remove the socket file " + path
                    + " on close: " + e, null);
        }
    }

    private static BindException inUse(NativeIoException e, Occupant occupant, boolean listener) {
        String why = switch (occupant) {
            case STALE_SOCKET -> "a socket file nothing listens on (left by a server that is gone?) is there;"
                    + (listener ? " remove it, or set " + ChannelOption.UNIX_REMOVE_STALE_SOCKET + " to replace it"
                    : " remove it (a datagram socket never replaces it)");
            case LISTENING_SOCKET -> "a server is listening on it";   // or a datagram socket is bound to it
            default -> "a file that is not a socket is there";
        };
        BindException exception = new BindException(e.getMessage() + ": " + why);
        exception.initCause(e);
        return exception;
    }

    /** What is at {@code path}: a socket (listened on or not), something else, or nothing any more. */
    private static Occupant occupant(Path path, byte[] sunPath) throws IOException {
        try {
            if (!isSocket(path)) {
                return Occupant.NOT_A_SOCKET;
            }
        } catch (NoSuchFileException e) {
            return Occupant.GONE;
        }
        int probe = UnixSockets.open(Sockets.SOCK_STREAM);
        try {
            UnixSockets.connect(probe, sunPath);   // at once: accepted, or refused with a full backlog (EAGAIN)
            return Occupant.LISTENING_SOCKET;
        } catch (NativeIoException e) {
            if (e.errno() == Errno.ECONNREFUSED) {
                return Occupant.STALE_SOCKET;
            }
            if (e.errno() == Errno.EPROTOTYPE) {
                return Occupant.LISTENING_SOCKET;   // a live socket of the other type (a datagram one) is bound there
            }
            if (e.errno() == Errno.ENOENT) {
                return Occupant.GONE;
            }
            if (e.errno() == Errno.EAGAIN) {
                return Occupant.LISTENING_SOCKET;   // a listener whose backlog is full
            }
            throw e;   // EACCES, say: whether anything listens is not known
        } finally {
            FileIo.close(probe);
        }
    }

    private static boolean isSocket(Path path) throws IOException {
        BasicFileAttributes attributes = attributes(path);
        if (!attributes.isOther()) {
            return false;   // a regular file, a directory, a symbolic link: never taken for a socket
        }
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return (mode & S_IFMT) == S_IFSOCK;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return false;   // no way to tell a socket from a FIFO or a device here: keep it
        }
    }

    private static BasicFileAttributes attributes(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }
}
