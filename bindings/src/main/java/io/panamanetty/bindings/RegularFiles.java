package io.panamanetty.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import static io.panamanetty.bindings.Libc.C_INT;
import static io.panamanetty.bindings.Libc.C_LONG;
import static io.panamanetty.bindings.Libc.C_POINTER;

/**
 * Regular files to send from, opened by us (the JDK does not hand out the descriptor of
 * a {@code FileChannel}):
 * <pre>{@code
 * int open(const char *pathname, int flags, ... (mode_t mode));
 * off_t lseek(int fd, off_t offset, int whence);
 * ssize_t sendfile(int out_fd, int in_fd, off_t *offset, size_t count);
 * ssize_t pread(int fd, void *buf, size_t count, off_t offset);
 * }</pre>
 * Both reads take the file offset as an argument and leave the descriptor's own offset
 * alone, so one descriptor serves any number of senders at once (a region written to many
 * channels).
 */
public final class RegularFiles {
    public static final int O_RDONLY = 0;
    public static final int SEEK_SET = 0;
    public static final int SEEK_END = 2;

    private static final MethodHandle SENDFILE = Libc.withErrno("sendfile",
            FunctionDescriptor.of(C_LONG, C_INT, C_INT, C_LONG, C_LONG));
    private static final MethodHandle LSEEK = Libc.withErrno("lseek",
            FunctionDescriptor.of(C_LONG, C_INT, C_LONG, C_INT));
    private static final MethodHandle PREAD = Libc.withErrno("pread",
            FunctionDescriptor.of(C_LONG, C_INT, C_LONG, C_LONG, C_LONG));

    private RegularFiles() {
    }

    /** {@code open}, variadic: linked on first use (a program that sends no file never pays for it). */
    private static final class OpenHandle {
        static final MethodHandle HANDLE = Libc.downcall("open",
                FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT),
                Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));

        private OpenHandle() {
        }
    }

    /**
     * Opens {@code path} read-only (and close-on-exec).
     *
     * @return the descriptor
     * @throws NativeIoException naming the call, the file, and errno (e.g. {@code ENOENT}, {@code EACCES})
     */
    public static int openForReading(Path path) throws NativeIoException {
        int result;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(path.toString());
            MemorySegment capture = Libc.capture();
            result = Libc.result((int) OpenHandle.HANDLE.invokeExact(capture, name, O_RDONLY | FileIo.O_CLOEXEC, 0),
                    capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        if (result < 0) {
            throw Errno.exception(-result, "open", path.toString());
        }
        return result;
    }

    /** {@code lseek(fd, offset, whence)}: the new offset, or {@code -errno}. */
    public static long lseek(int fd, long offset, int whence) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((long) LSEEK.invokeExact(capture, fd, offset, whence), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * {@code sendfile(out, in, &offset, count)}: sends up to {@code count} bytes of {@code in}
     * from {@code offset} to {@code out}. Returns the bytes sent (0 at the end of the file), or
     * {@code -errno} ({@code -EAGAIN} when a non-blocking socket is full).
     */
    public static long sendfile(int out, int in, long offset, long count) {
        try {
            MemorySegment offsetCell = Libc.scratch();
            offsetCell.set(C_LONG, 0, offset);   // the kernel advances its copy; the caller counts the result
            MemorySegment capture = Libc.capture();
            return Libc.result((long) SENDFILE.invokeExact(capture, out, in, offsetCell.address(), count), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * {@code pread(fd, address, count, offset)}: reads up to {@code count} bytes from
     * {@code offset} into native memory at {@code address}. Returns the bytes read (0 at the
     * end of the file) or {@code -errno}.
     */
    public static long pread(int fd, long address, long count, long offset) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((long) PREAD.invokeExact(capture, fd, address, count, offset), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
