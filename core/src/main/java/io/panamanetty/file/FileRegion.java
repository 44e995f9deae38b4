package io.panamanetty.file;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.FileIo;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.RegularFiles;
import io.panamanetty.buffer.IllegalReferenceCountException;
import io.panamanetty.buffer.ReferenceCounted;
import io.panamanetty.internal.FileRegionInternals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A range of a file to write to a channel (Netty's {@code DefaultFileRegion}). Written to a
 * TCP channel, a region {@linkplain #open opened from a path} leaves with {@code sendfile(2)}:
 * the bytes go from the page cache to the socket without passing through Java. A region
 * {@linkplain #of made from a FileChannel} (whose descriptor the JDK does not expose) is
 * read through pooled buffers instead, one buffer at a time.
 *
 * <p>Like a buffer, a region is reference counted and a write takes its reference: the
 * channel releases it once the last byte is sent or the write fails, and the release
 * closes the file. Its bytes count toward the channel's water marks while queued. The
 * file is expected to keep its length while it is sent: if it shrinks, the write fails
 * naming the file and where it ended.
 */
public final class FileRegion implements ReferenceCounted {
    private final Path path;
    private final FileChannel fileChannel;
    private final int fd;
    private final long position;
    private final long count;
    private volatile long transferred;
    private final AtomicInteger refCnt = new AtomicInteger(1);

    static {
        FileRegionInternals.install(new FileRegionInternals.Access() {
            @Override
            public int fd(FileRegion region) {
                return region.fd;
            }

            @Override
            public void advance(FileRegion region, long bytes) {
                region.transferred += bytes;
            }
        });
    }

    private FileRegion(Path path, FileChannel fileChannel, int fd, long position, long count) {
        this.path = path;
        this.fileChannel = fileChannel;
        this.fd = fd;
        this.position = position;
        this.count = count;
    }

    /** The whole of {@code file}, as long as it is now; see {@link #open(Path, long, long)}. */
    public static FileRegion open(Path file) throws IOException {
        return open(file, 0, -1);
    }

    /**
     * {@code count} bytes of {@code file} from {@code position} ({@code count} -1: to the
     * end), opened now with our own {@code open(2)} so that it can be sent with
     * {@code sendfile(2)}.
     *
     * @throws NativeIoException if the file cannot be opened, naming it and the errno
     * @throws IOException if the file is not a regular file or is shorter than the range,
     *         saying which
     */
    public static FileRegion open(Path file, long position, long count) throws IOException {
        Objects.requireNonNull(file, "file");
        if (position < 0 || count < -1) {
            throw new IllegalArgumentException("a file region needs position >= 0 and count >= 0 (or -1 for the rest): "
                    + position + ", " + count);
        }
        if (Files.isDirectory(file)) {
            throw new IOException(file + " is a directory, not a file to send");
        }
        int fd = RegularFiles.openForReading(file);
        try {
            long size = RegularFiles.lseek(fd, 0, RegularFiles.SEEK_END);
            if (size < 0) {
                throw Errno.exception((int) -size, "lseek", file + " (not a regular file?)");
            }
            long length = count == -1 ? Math.max(0, size - position) : count;
            if (position + length > size) {
                throw new IOException(file + " is " + size + " bytes long: the region of " + length
                        + " bytes from " + position + " does not fit in it");
            }
            long at = RegularFiles.lseek(fd, position, RegularFiles.SEEK_SET);
            if (at < 0) {
                throw Errno.exception((int) -at, "lseek", file.toString());
            }
            return new FileRegion(file, null, fd, position, length);
        } catch (IOException | RuntimeException e) {
            FileIo.close(fd);
            throw e;
        }
    }

    /**
     * {@code count} bytes of {@code channel} from {@code position}, sent by reading them
     * through pooled buffers (the JDK offers no supported way to the channel's descriptor).
     * Releasing the region closes {@code channel}.
     */
    public static FileRegion of(FileChannel channel, long position, long count) {
        Objects.requireNonNull(channel, "channel");
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException("a file region needs position >= 0 and count >= 0: "
                    + position + ", " + count);
        }
        return new FileRegion(null, channel, -1, position, count);
    }

    /** The file, or null for a region of a {@code FileChannel}. */
    public Path path() {
        return path;
    }

    /** The {@code FileChannel} this region reads, or null for a region opened from a path. */
    public FileChannel fileChannel() {
        return fileChannel;
    }

    /** True if the region can leave with {@code sendfile(2)} (it was opened from a path). */
    public boolean isZeroCopy() {
        return fd >= 0;
    }

    /** Where the region starts in the file. */
    public long position() {
        return position;
    }

    /** The region's length in bytes. */
    public long count() {
        return count;
    }

    /** How many of the region's bytes have been sent so far. */
    public long transferred() {
        return transferred;
    }

    @Override
    public int refCnt() {
        return Math.max(0, refCnt.get());
    }

    @Override
    public FileRegion retain() {
        int before = refCnt.getAndUpdate(n -> n > 0 ? n + 1 : n);
        if (before <= 0) {
            throw new IllegalReferenceCountException(this + " was released already");
        }
        return this;
    }

    @Override
    public boolean release() {
        int after = refCnt.updateAndGet(n -> n > 0 ? n - 1 : -1);
        if (after < 0) {
            throw new IllegalReferenceCountException(this + " was released already");
        }
        if (after > 0) {
            return false;
        }
        if (fd >= 0) {
            FileIo.close(fd);
        } else {
            try {
                fileChannel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("closing the file channel of " + this + " failed", e);
            }
        }
        return true;
    }

    @Override
    public FileRegion touch(Object hint) {
        return this;
    }

    @Override
    public String toString() {
        return "FileRegion(" + (path != null ? path : fileChannel) + ", " + position + "+" + count + ")";
    }
}
