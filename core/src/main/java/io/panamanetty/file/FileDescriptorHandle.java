package io.panamanetty.file;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.FileIo;
import io.panamanetty.bindings.RegularFiles;
import io.panamanetty.bindings.ScmRights;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.IllegalReferenceCountException;
import io.panamanetty.channel.PassableDescriptor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file descriptor of ours, owned by this object and closed when its last reference goes:
 * the message that passes a descriptor over a Unix domain socket ({@code SCM_RIGHTS}).
 *
 * <p>Written to a Unix domain stream channel, a handle leaves in its place among the bytes
 * written before and after it, with one NUL data byte to carry it (a stream socket passes
 * descriptors only with data); the write takes its reference and the channel releases it
 * once sent, which closes our copy (the peer has its own). On a Unix domain datagram
 * channel a handle written alone goes to the connected peer as a datagram of one NUL byte;
 * attached to a {@code DomainDatagramPacket} ({@code withDescriptors}) it goes with that
 * datagram. A channel that receives descriptors (the {@code UNIX_RECEIVE_DESCRIPTORS}
 * option) fires each one as a handle before the bytes (or the datagram) it came with. The
 * kernel hands a stream's descriptors over with the bytes of the read in which their
 * carrier byte arrives, which may begin with bytes written before them: a protocol that
 * must know where a descriptor stands frames its messages. Like a received buffer, the handle is the
 * {@code channelRead} callback's to close ({@link #close()} or {@link #release()}), pass on,
 * or keep ({@link #retain()}); one the callback does none of these with is released by
 * the framework when the callback returns, and the tail of the pipeline releases one no
 * handler consumed, so no descriptor is left open by mistake.
 *
 * <p>The JDK offers no supported way to take the descriptor out of a {@code FileChannel} or
 * a {@code FileDescriptor}, so a handle is made from a path we {@link #open} ourselves, from
 * a raw descriptor ({@link #adopt}, {@link #duplicate}), or from a channel's socket (the
 * transport's {@code EpollDescriptors.socketOf}).
 */
public final class FileDescriptorHandle implements PassableDescriptor, AutoCloseable {
    private final int fd;
    private final String description;
    private final AtomicInteger refCnt = new AtomicInteger(1);

    private FileDescriptorHandle(int fd, String description) {
        this.fd = fd;
        this.description = description;
    }

    /**
     * Opens {@code file} read-only (close-on-exec) with our own {@code open(2)}.
     *
     * @throws io.panamanetty.bindings.NativeIoException if it cannot be opened, naming it and the errno
     * @throws IOException if it is a directory or not a regular file (a FIFO would block the open)
     */
    public static FileDescriptorHandle open(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (Files.isDirectory(file)) {
            throw new IOException(file + " is a directory, not a file to open");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new IOException(file + " is not a regular file");
        }
        return new FileDescriptorHandle(RegularFiles.openForReading(file), file.toString());
    }

    /** Takes ownership of {@code fd}: the handle closes it. */
    public static FileDescriptorHandle adopt(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("not a descriptor: " + fd);
        }
        return new FileDescriptorHandle(fd, null);
    }

    /**
     * A handle on a new descriptor for what {@code fd} refers to ({@code fcntl(F_DUPFD_CLOEXEC)});
     * the caller keeps {@code fd}.
     *
     * @throws io.panamanetty.bindings.NativeIoException naming the call and errno ({@code EBADF}, {@code EMFILE})
     */
    public static FileDescriptorHandle duplicate(int fd) throws IOException {
        return new FileDescriptorHandle(ScmRights.duplicate(fd), null);
    }

    /**
     * The descriptor number, for a call of the caller's own; valid until the last reference goes.
     *
     * @throws IllegalReferenceCountException if the handle is closed
     */
    @Override
    public int fd() {
        if (refCnt.get() <= 0) {
            throw new IllegalReferenceCountException(this + " is closed");
        }
        return fd;
    }

    /**
     * Reads from the descriptor's current offset into {@code target}'s writable bytes,
     * advancing its writer index ({@code read(2)}).
     *
     * @return the bytes read; -1 at the end of the file; 0 if a non-blocking descriptor has nothing now
     * @throws IOException naming {@code read} and the errno
     */
    public int read(Buffer target) throws IOException {
        long n = FileIo.read(fd(), target.memoryAddress() + target.writerIndex(), target.writableBytes());
        if (n == -Errno.EAGAIN) {
            return 0;
        }
        if (n < 0) {
            throw Errno.exception((int) -n, "read", "from " + this);
        }
        if (n == 0 && target.writableBytes() > 0) {
            return -1;
        }
        target.writerIndex(target.writerIndex() + (int) n);
        return (int) n;
    }

    /**
     * Writes {@code source}'s readable bytes ({@code write(2)}), advancing its reader index by
     * what was written.
     *
     * @return the bytes written; 0 if a non-blocking descriptor is full
     * @throws IOException naming {@code write} and the errno
     */
    public int write(Buffer source) throws IOException {
        long n = FileIo.write(fd(), source.memoryAddress() + source.readerIndex(), source.readableBytes());
        if (n == -Errno.EAGAIN) {
            return 0;
        }
        if (n < 0) {
            throw Errno.exception((int) -n, "write", "to " + this);
        }
        source.readerIndex(source.readerIndex() + (int) n);
        return (int) n;
    }

    @Override
    public int refCnt() {
        return Math.max(0, refCnt.get());
    }

    @Override
    public FileDescriptorHandle retain() {
        int before = refCnt.getAndUpdate(n -> n > 0 ? n + 1 : n);
        if (before <= 0) {
            throw new IllegalReferenceCountException(this + " is closed");
        }
        return this;
    }

    /** Drops a reference; the last one closes the descriptor. */
    @Override
    public boolean release() {
        int after = refCnt.updateAndGet(n -> n > 0 ? n - 1 : -1);
        if (after < 0) {
            throw new IllegalReferenceCountException(this + " is closed");
        }
        if (after > 0) {
            return false;
        }
        FileIo.close(fd);
        return true;
    }

    /**
     * Drops this holder's reference, as {@link #release()} does (the last one closes the
     * descriptor); on a handle already closed it does nothing.
     */
    @Override
    public void close() {
        if (refCnt.getAndUpdate(n -> n > 0 ? n - 1 : n) == 1) {
            FileIo.close(fd);
        }
    }

    @Override
    public FileDescriptorHandle touch(Object hint) {
        return this;
    }

    @Override
    public String toString() {
        return "FileDescriptorHandle(fd " + fd + (description != null ? ", " + description : "")
                + (refCnt.get() <= 0 ? ", closed)" : ")");
    }
}
