package io.panamanetty.file;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.FileIo;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.RegularFiles;
import io.panamanetty.buffer.Buffer;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * A range of a file to write to a channel (Netty's {@code DefaultFileRegion}). Written to a
 * TCP channel, a region {@linkplain #open opened from a path} leaves with {@code sendfile(2)}:
 * the bytes go from the page cache to the socket without passing through Java; one region
 * may be written to several channels (each write takes a reference). A region
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
    /** Bytes sent so far, summed over every channel the region was written to. */
    private final AtomicLong transferred = new AtomicLong();
    private final AtomicInteger refCnt = new AtomicInteger(1);

    static {
        FileRegionInternals.install(new FileRegionInternals.Access() {
            @Override
            public int fd(FileRegion region) {
                return region.fd;
            }

            @Override
            public void advance(FileRegion region, long bytes) {
                region.transferred.addAndGet(bytes);
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
        if (Files.exists(file) && !Files.isRegularFile(file)) {   // a FIFO or a device: open(2) could block
            throw new IOException(file + " is not a regular file");
        }
        int fd = RegularFiles.openForReading(file);
        try {
            long size = RegularFiles.lseek(fd, 0, RegularFiles.SEEK_END);
            if (size < 0) {
                throw Errno.exception((int) -size, "lseek", file + " (not a regular file?)");
            }
            if (position > size || (count != -1 && count > size - position)) {
                throw new IOException(file + " is " + size + " bytes long: the region of "
                        + (count == -1 ? "the rest" : count + " bytes") + " from " + position + " does not fit in it");
            }
            return new FileRegion(file, null, fd, position, count == -1 ? size - position : count);
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
        return transferred.get();
    }

    /**
     * Copies up to {@code length} bytes of the region, from {@code offset} within it (0 is its
     * first byte), into {@code target}'s writable bytes, advancing its writer index: for a
     * sender that must see the bytes, such as TLS, which encrypts them. Reads at an explicit
     * offset (the descriptor's own is left alone), so it may run beside other senders.
     *
     * @return the bytes read; 0 if the file ends there (it shrank since the region was made)
     * @throws IOException if the read fails, naming the call, the file and the errno
     */
    public int readInto(Buffer target, long offset, int length) throws IOException {
        int wanted = (int) Math.min(Math.min(length, target.writableBytes()), count - offset);
        if (wanted <= 0) {
            return 0;
        }
        long at = position + offset;
        long n;
        if (fd >= 0) {
            n = RegularFiles.pread(fd, target.memoryAddress() + target.writerIndex(), wanted, at);
            if (n < 0) {
                throw Errno.exception((int) -n, "pread", path.toString());
            }
        } else {
            n = Math.max(0, fileChannel.read(target.segment().asSlice(target.writerIndex(), wanted).asByteBuffer(), at));
        }
        target.writerIndex(target.writerIndex() + (int) n);
        return (int) n;
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
