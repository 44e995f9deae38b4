package io.panamanetty.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static io.panamanetty.bindings.Libc.C_INT;
import static io.panamanetty.bindings.Libc.C_LONG;
import static io.panamanetty.bindings.Libc.C_POINTER;

/**
 * Pipes and zero-copy moves between descriptors:
 * <pre>{@code
 * int pipe2(int pipefd[2], int flags);
 * ssize_t splice(int fd_in, off64_t *off_in, int fd_out, off64_t *off_out, size_t len, unsigned int flags);
 * }</pre>
 * The pipe's capacity is read and set with {@link FileIo#fcntl} and
 * {@link FileIo#F_GETPIPE_SZ}/{@link FileIo#F_SETPIPE_SZ}.
 */
public final class Pipes {
    public static final int SPLICE_F_MOVE = 1;
    public static final int SPLICE_F_NONBLOCK = 2;
    public static final int SPLICE_F_MORE = 4;

    private static final MethodHandle PIPE2 = Libc.withErrno("pipe2",
            FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
    private static final MethodHandle SPLICE = Libc.withErrno("splice",
            FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT, C_POINTER, C_LONG, C_INT));

    private Pipes() {
    }

    /** {@code pipe2(fds, flags)}: {@code fds} receives two {@code int}s, read end first. */
    public static int pipe2(MemorySegment fds, int flags) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((int) PIPE2.invokeExact(capture, fds, flags), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * Opens a pipe and returns {@code {readFd, writeFd}}.
     *
     * @param flags {@link FileIo#O_NONBLOCK}, {@link FileIo#O_CLOEXEC}
     */
    public static int[] open(int flags) throws NativeIoException {
        MemorySegment fds = Libc.scratch().asSlice(0, 8);
        Errno.check(pipe2(fds, flags), "pipe2");
        return new int[] {fds.get(C_INT, 0), fds.get(C_INT, 4)};
    }

    /**
     * {@code splice(in, NULL, out, NULL, length, flags)}: moves up to {@code length}
     * bytes between two descriptors, one of which must be a pipe. Returns the bytes
     * moved, 0 at end of input, or {@code -errno}.
     */
    public static long splice(int in, int out, long length, int flags) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((long) SPLICE.invokeExact(capture, in, MemorySegment.NULL, out,
                    MemorySegment.NULL, length, flags), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
