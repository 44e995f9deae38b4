package io.panamanetty.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static io.panamanetty.bindings.Libc.C_INT;
import static io.panamanetty.bindings.Libc.C_LONG;
import static io.panamanetty.bindings.Libc.C_POINTER;

/**
 * File-descriptor I/O of {@code <unistd.h>}, {@code <sys/uio.h>} and {@code <fcntl.h>}:
 * {@code read}, {@code write}, {@code readv}, {@code writev}, {@code close}, {@code fcntl}.
 *
 * <p>All return the C result or {@code -errno}; a result of 0 from {@code read} is
 * end of stream. The variants taking a {@code long} address pass the pointer as a
 * plain integer, so the caller creates no segment per call. Once compiled by C2 they
 * allocate nothing (measured by {@code HotCallAllocationTest}); interpreted or C1-compiled,
 * the JDK's errno capture still makes one 40-byte slice of the capture segment per call.
 */
public final class FileIo {
    public static final int F_GETFD = 1;
    public static final int F_SETFD = 2;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int F_SETPIPE_SZ = 1031;
    public static final int F_GETPIPE_SZ = 1032;
    public static final int FD_CLOEXEC = 1;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    /** The most iovecs one {@code readv}/{@code writev} takes ({@code IOV_MAX}). */
    public static final int IOV_MAX = 1024;

    // The raw-address calls of the hot paths go by number, not through libc's wrappers: see Syscalls.
    private static final MethodHandle READ_RAW = Syscalls.byNumberOrLibc(Syscalls.NR_READ, "read",
            FunctionDescriptor.of(C_LONG, C_INT, C_LONG, C_LONG));
    private static final MethodHandle WRITE_RAW = Syscalls.byNumberOrLibc(Syscalls.NR_WRITE, "write",
            FunctionDescriptor.of(C_LONG, C_INT, C_LONG, C_LONG));
    private static final MethodHandle READV_RAW = Syscalls.byNumberOrLibc(Syscalls.NR_READV, "readv",
            FunctionDescriptor.of(C_LONG, C_INT, C_LONG, C_INT));
    private static final MethodHandle WRITEV_RAW = Syscalls.byNumberOrLibc(Syscalls.NR_WRITEV, "writev",
            FunctionDescriptor.of(C_LONG, C_INT, C_LONG, C_INT));
    private static final MethodHandle CLOSE = Libc.withErrno("close",
            FunctionDescriptor.of(C_INT, C_INT));

    private FileIo() {
    }

    // The handles below are linked on first use (a holder class each): linking a handle of a
    // new shape makes about 400 KB of garbage and takes about 4 ms (JDK 25), which a server
    // that only uses the raw-address calls above should not pay at start.

    /** {@code int fcntl(int fd, int cmd, ...);} bound with one {@code int} variadic argument. */
    private static final class FcntlHandle {
        static final MethodHandle HANDLE = Libc.downcall("fcntl",
                FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT),
                Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));

        private FcntlHandle() {
        }
    }

    /** {@code writev} from a segment. */
    private static final class WritevHandle {
        static final MethodHandle HANDLE = Libc.withErrno("writev",
                FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT));

        private WritevHandle() {
        }
    }

    /** {@code readv} into a segment. */
    private static final class ReadvHandle {
        static final MethodHandle HANDLE = Libc.withErrno("readv",
                FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT));

        private ReadvHandle() {
        }
    }

    /** {@code write} from a segment. */
    private static final class WriteHandle {
        static final MethodHandle HANDLE = Libc.withErrno("write",
                FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG));

        private WriteHandle() {
        }
    }

    /** {@code read} into a segment. */
    private static final class ReadHandle {
        static final MethodHandle HANDLE = Libc.withErrno("read",
                FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG));

        private ReadHandle() {
        }
    }

    /** {@code ssize_t read(int fd, void *buf, size_t count);} into the whole of {@code buffer}. */
    public static long read(int fd, MemorySegment buffer) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((long) ReadHandle.HANDLE.invokeExact(capture, fd, buffer, buffer.byteSize()), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code read} into {@code count} bytes at native {@code address}. */
    public static long read(int fd, long address, long count) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((long) READ_RAW.invokeExact(capture, fd, address, count), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code ssize_t write(int fd, const void *buf, size_t count);} from the whole of {@code buffer}. */
    public static long write(int fd, MemorySegment buffer) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((long) WriteHandle.HANDLE.invokeExact(capture, fd, buffer, buffer.byteSize()), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code write} of {@code count} bytes at native {@code address}. */
    public static long write(int fd, long address, long count) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((long) WRITE_RAW.invokeExact(capture, fd, address, count), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code ssize_t readv(int fd, const struct iovec *iov, int iovcnt);} */
    public static long readv(int fd, MemorySegment iovecs, int count) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((long) ReadvHandle.HANDLE.invokeExact(capture, fd, iovecs, count), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code readv} with the iovec array at native {@code address}. */
    public static long readv(int fd, long iovecsAddress, int count) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((long) READV_RAW.invokeExact(capture, fd, iovecsAddress, count), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code ssize_t writev(int fd, const struct iovec *iov, int iovcnt);} */
    public static long writev(int fd, MemorySegment iovecs, int count) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((long) WritevHandle.HANDLE.invokeExact(capture, fd, iovecs, count), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code writev} with the iovec array at native {@code address}. */
    public static long writev(int fd, long iovecsAddress, int count) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((long) WRITEV_RAW.invokeExact(capture, fd, iovecsAddress, count), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * {@code int close(int fd);} Returns 0 or {@code -errno}. On Linux the descriptor
     * is released even when this reports {@code EINTR}: never retry.
     */
    public static int close(int fd) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((int) CLOSE.invokeExact(capture, fd), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code int fcntl(int fd, int cmd, int arg);} Returns the C result or {@code -errno}. */
    public static int fcntl(int fd, int command, int argument) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((int) FcntlHandle.HANDLE.invokeExact(capture, fd, command, argument), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
