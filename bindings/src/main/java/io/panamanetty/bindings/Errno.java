package io.panamanetty.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Linux errno values (the same on x86_64 and aarch64), their symbols and texts.
 *
 * <p>Bindings return {@code -errno} on failure; {@link #check(int, String)} and
 * {@link #exception(int, String, String)} turn that into a {@link NativeIoException}
 * such as {@code bind 0.0.0.0:8080 failed: EADDRINUSE (Address already in use)}.
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    /** Same value as {@link #EAGAIN} on Linux. */
    public static final int EWOULDBLOCK = EAGAIN;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    /** io_uring_enter: the CQ is full and the kernel's overflow list cannot take more submissions now. */
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENOTDIR = 20;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ENOSPC = 28;
    public static final int EROFS = 30;
    public static final int ENAMETOOLONG = 36;
    /** The kernel does not know the system call (e.g. epoll_pwait2 before Linux 5.11). */
    public static final int ENOSYS = 38;
    public static final int EPIPE = 32;
    public static final int ELOOP = 40;
    /** An io_uring timeout expired. */
    public static final int ETIME = 62;
    public static final int ENOTSOCK = 88;
    public static final int EDESTADDRREQ = 89;
    public static final int EMSGSIZE = 90;
    /** A socket of another type is there (a stream connect to a Unix datagram socket, say). */
    public static final int EPROTOTYPE = 91;
    public static final int ENOPROTOOPT = 92;
    public static final int EPROTONOSUPPORT = 93;
    public static final int EOPNOTSUPP = 95;
    public static final int EAFNOSUPPORT = 97;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETDOWN = 100;
    public static final int ENETUNREACH = 101;
    public static final int ECONNABORTED = 103;
    public static final int ECONNRESET = 104;
    public static final int ENOBUFS = 105;
    public static final int EISCONN = 106;
    public static final int ENOTCONN = 107;
    public static final int ESHUTDOWN = 108;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTDOWN = 112;
    public static final int EHOSTUNREACH = 113;
    public static final int EALREADY = 114;
    public static final int EINPROGRESS = 115;
    /** An io_uring request was cancelled. */
    public static final int ECANCELED = 125;

    private static final String[] SYMBOLS = new String[134];

    static {
        for (var field : Errno.class.getFields()) {
            if (field.getType() == int.class && !field.getName().equals("EWOULDBLOCK")) {
                try {
                    SYMBOLS[field.getInt(null)] = field.getName();
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    /** {@code char *strerror(int errnum);}, linked on the first error message (a holder class). */
    private static final class StrerrorHandle {
        static final MethodHandle HANDLE = Libc.plain("strerror",
                FunctionDescriptor.of(Libc.C_POINTER, Libc.C_INT));

        private StrerrorHandle() {
        }
    }

    private Errno() {
    }

    /** The symbol of {@code errno}, e.g. {@code "EADDRINUSE"}, or {@code "errno 200"} if unknown here. */
    public static String symbol(int errno) {
        String symbol = errno > 0 && errno < SYMBOLS.length ? SYMBOLS[errno] : null;
        return symbol != null ? symbol : "errno " + errno;
    }

    /** The C library's text for {@code errno}, e.g. {@code "Address already in use"}. */
    public static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) StrerrorHandle.HANDLE.invokeExact(errno);
            return text.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            throw new AssertionError("strerror failed", t);
        }
    }

    /**
     * Returns {@code result} if it is not negative, else throws the exception for
     * errno {@code -result} and the call named {@code call}.
     */
    public static int check(int result, String call) throws NativeIoException {
        if (result < 0) {
            throw exception(-result, call, null);
        }
        return result;
    }

    /** As {@link #check(int, String)}, for calls returning {@code ssize_t}. */
    public static long check(long result, String call) throws NativeIoException {
        if (result < 0) {
            throw exception((int) -result, call, null);
        }
        return result;
    }

    /**
     * The exception for a failed call.
     *
     * @param errno the (positive) errno value
     * @param call the C function, e.g. {@code "bind"}
     * @param detail the arguments worth naming, e.g. {@code "0.0.0.0:8080"}, or null
     */
    public static NativeIoException exception(int errno, String call, String detail) {
        return new NativeIoException(call, detail, errno);
    }
}
