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
 * }</pre>
 * {@code sendfile} is called with a null {@code offset}: it reads from the file's own
 * offset and advances it, so each sender opens its own descriptor.
 */
public final class RegularFiles {
    public static final int O_RDONLY = 0;
    public static final int SEEK_SET = 0;
    public static final int SEEK_END = 2;

    private static final MethodHandle SENDFILE = Libc.withErrno("sendfile",
            FunctionDescriptor.of(C_LONG, C_INT, C_INT, C_LONG, C_LONG));
    private static final MethodHandle LSEEK = Libc.withErrno("lseek",
            FunctionDescriptor.of(C_LONG, C_INT, C_LONG, C_INT));

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
     * {@code sendfile(out, in, NULL, count)}: sends up to {@code count} bytes from
     * {@code in}'s offset to {@code out}. Returns the bytes sent (0 at the end of the file),
     * or {@code -errno} ({@code -EAGAIN} when a non-blocking socket is full).
     */
    public static long sendfile(int out, int in, long count) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((long) SENDFILE.invokeExact(capture, out, in, 0L, count), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
