package io.panamanetty.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;

import static io.panamanetty.bindings.Libc.C_LONG;

/**
 * The three io_uring system calls of {@code <linux/io_uring.h>}, made through libc's
 * variadic {@code long syscall(long number, ...)} (glibc has no wrappers, and we load no
 * library but libc, so no liburing), with the constants of setup, enter, register and the
 * ring {@code mmap} offsets.
 *
 * <pre>{@code
 * int io_uring_setup(u32 entries, struct io_uring_params *p);
 * int io_uring_enter(unsigned int fd, u32 to_submit, u32 min_complete, u32 flags,
 *                    const void *arg, size_t argsz);
 * int io_uring_register(unsigned int fd, unsigned int opcode, void *arg, unsigned int nr_args);
 * }</pre>
 *
 * <p>Every argument is passed as a {@code long}: glibc's {@code syscall} reads each
 * variadic argument with {@code va_arg(ap, long)}, so a narrower one would leave the upper
 * half of the register undefined. The system call numbers (425, 426, 427) are those of the
 * generic table that every architecture shares for calls added since Linux 5.1, so x86_64
 * and aarch64 agree; on another architecture the calls answer {@code -ENOSYS}.
 *
 * <p>All return the kernel's result or {@code -errno}. {@code io_uring_setup} answers
 * {@code EPERM} when the {@code kernel.io_uring_disabled} sysctl is 2 (or 1 and we are
 * not in its group) or a seccomp filter refuses it (Docker's default profile),
 * {@code ENOSYS} on a kernel built without io_uring, and {@code EINVAL} for a setup flag
 * it does not know or a combination it refuses.
 */
public final class IoUring {
    /** {@code __NR_io_uring_setup} (the generic table: x86_64 and aarch64). */
    public static final long NR_IO_URING_SETUP = 425;
    /** {@code __NR_io_uring_enter}. */
    public static final long NR_IO_URING_ENTER = 426;
    /** {@code __NR_io_uring_register}. */
    public static final long NR_IO_URING_REGISTER = 427;

    // io_uring_setup() flags (io_uring_params.flags)
    public static final int IORING_SETUP_IOPOLL = 1;
    public static final int IORING_SETUP_SQPOLL = 1 << 1;
    public static final int IORING_SETUP_SQ_AFF = 1 << 2;
    /** {@code cq_entries} of the params is the CQ size wanted (else twice the SQ's). */
    public static final int IORING_SETUP_CQSIZE = 1 << 3;
    /** Clamp too-large sizes to the maximum instead of failing with EINVAL. */
    public static final int IORING_SETUP_CLAMP = 1 << 4;
    public static final int IORING_SETUP_ATTACH_WQ = 1 << 5;
    public static final int IORING_SETUP_R_DISABLED = 1 << 6;
    /** Keep submitting the rest of a batch when one SQE fails to be prepared (5.18). */
    public static final int IORING_SETUP_SUBMIT_ALL = 1 << 7;
    /** Run completion task work only when we enter the kernel anyway: no IPI (5.19). */
    public static final int IORING_SETUP_COOP_TASKRUN = 1 << 8;
    public static final int IORING_SETUP_TASKRUN_FLAG = 1 << 9;
    public static final int IORING_SETUP_SQE128 = 1 << 10;
    public static final int IORING_SETUP_CQE32 = 1 << 11;
    /** Only one thread ever submits (6.0); lets the kernel skip locking. */
    public static final int IORING_SETUP_SINGLE_ISSUER = 1 << 12;
    /** Run task work only in {@code io_uring_enter} with GETEVENTS (6.1); needs SINGLE_ISSUER. */
    public static final int IORING_SETUP_DEFER_TASKRUN = 1 << 13;
    /** The application provides the ring memory (6.5): newer than the installed headers. */
    public static final int IORING_SETUP_NO_MMAP = 1 << 14;
    /** The ring fd is registered only, not installed (6.5): newer than the installed headers. */
    public static final int IORING_SETUP_REGISTERED_FD_ONLY = 1 << 15;
    /** No SQ index array: SQEs are taken in ring order (6.6): newer than the installed headers. */
    public static final int IORING_SETUP_NO_SQARRAY = 1 << 16;

    // io_uring_params.features
    /** SQ and CQ rings share one mapping (5.4). */
    public static final int IORING_FEAT_SINGLE_MMAP = 1;
    /** Completions beyond a full CQ are kept by the kernel, not dropped (5.5). */
    public static final int IORING_FEAT_NODROP = 1 << 1;
    /** The SQE may be reused once submitted (5.5). */
    public static final int IORING_FEAT_SUBMIT_STABLE = 1 << 2;
    public static final int IORING_FEAT_RW_CUR_POS = 1 << 3;
    public static final int IORING_FEAT_CUR_PERSONALITY = 1 << 4;
    /** Non-ready sockets are polled internally rather than punted to a worker (5.7). */
    public static final int IORING_FEAT_FAST_POLL = 1 << 5;
    public static final int IORING_FEAT_POLL_32BITS = 1 << 6;
    public static final int IORING_FEAT_SQPOLL_NONFIXED = 1 << 7;
    /** {@code io_uring_enter} takes a {@code io_uring_getevents_arg} (5.11). */
    public static final int IORING_FEAT_EXT_ARG = 1 << 8;
    public static final int IORING_FEAT_NATIVE_WORKERS = 1 << 9;
    public static final int IORING_FEAT_RSRC_TAGS = 1 << 10;
    public static final int IORING_FEAT_CQE_SKIP = 1 << 11;
    public static final int IORING_FEAT_LINKED_FILE = 1 << 12;
    /** Newer than the installed headers (6.3). */
    public static final int IORING_FEAT_REG_REG_RING = 1 << 13;
    /** Newer than the installed headers (6.10). */
    public static final int IORING_FEAT_RECVSEND_BUNDLE = 1 << 14;
    /** Newer than the installed headers (6.12). */
    public static final int IORING_FEAT_MIN_TIMEOUT = 1 << 15;
    /** Newer than the installed headers (6.13). */
    public static final int IORING_FEAT_RW_ATTR = 1 << 16;
    /** Newer than the installed headers (6.15). */
    public static final int IORING_FEAT_NO_IOWAIT = 1 << 17;

    // sq_ring->flags (kernel-written)
    public static final int IORING_SQ_NEED_WAKEUP = 1;
    /** Completions are waiting in the kernel's overflow list: the CQ was full. */
    public static final int IORING_SQ_CQ_OVERFLOW = 1 << 1;
    /** Task work is pending: enter the kernel (with GETEVENTS) to run it. */
    public static final int IORING_SQ_TASKRUN = 1 << 2;
    // cq_ring->flags (ours)
    public static final int IORING_CQ_EVENTFD_DISABLED = 1;

    // io_uring_enter() flags
    /** Wait for {@code min_complete} completions (and flush overflowed ones into the CQ). */
    public static final int IORING_ENTER_GETEVENTS = 1;
    public static final int IORING_ENTER_SQ_WAKEUP = 1 << 1;
    public static final int IORING_ENTER_SQ_WAIT = 1 << 2;
    /** {@code arg} is a {@code struct io_uring_getevents_arg} (a timeout, a signal mask). */
    public static final int IORING_ENTER_EXT_ARG = 1 << 3;
    public static final int IORING_ENTER_REGISTERED_RING = 1 << 4;

    // mmap offsets of the rings on the ring fd
    public static final long IORING_OFF_SQ_RING = 0L;
    public static final long IORING_OFF_CQ_RING = 0x8000000L;
    public static final long IORING_OFF_SQES = 0x10000000L;

    // io_uring_register() opcodes (those used here)
    public static final int IORING_REGISTER_EVENTFD = 4;
    public static final int IORING_UNREGISTER_EVENTFD = 5;
    /** Fill a {@code struct io_uring_probe} with the opcodes this kernel supports (5.6). */
    public static final int IORING_REGISTER_PROBE = 8;
    public static final int IORING_REGISTER_RING_FDS = 20;
    public static final int IORING_UNREGISTER_RING_FDS = 21;
    /** Register a ring of provided buffers ({@code struct io_uring_buf_reg}, 5.19). */
    public static final int IORING_REGISTER_PBUF_RING = 22;
    public static final int IORING_UNREGISTER_PBUF_RING = 23;

    private static final boolean GENERIC_TABLE = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64", "aarch64" -> true;
        default -> false;
    };

    private static final MethodHandle SYSCALL3 = syscall(3);
    private static final MethodHandle SYSCALL5 = syscall(5);
    private static final MethodHandle SYSCALL7 = syscall(7);

    private IoUring() {
    }

    /** {@code long syscall(long number, ...)} with {@code arity - 1} variadic {@code long}s. */
    private static MethodHandle syscall(int arity) {
        MemoryLayout[] arguments = new MemoryLayout[arity];
        Arrays.fill(arguments, C_LONG);
        return Libc.downcall("syscall", FunctionDescriptor.of(C_LONG, arguments),
                Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
    }

    /**
     * {@code io_uring_setup(entries, params)}: creates a ring of at least {@code entries}
     * SQEs described by the {@code io_uring_params} at {@code params} (flags and sizes in;
     * sizes, features and ring offsets out). Returns the ring fd or {@code -errno}.
     */
    public static int setup(int entries, MemorySegment params) {
        return (int) call3(NR_IO_URING_SETUP, Integer.toUnsignedLong(entries), params.address());
    }

    /**
     * {@code io_uring_enter(fd, toSubmit, minComplete, flags, arg, argSize)}: submits
     * {@code toSubmit} SQEs and, with {@link #IORING_ENTER_GETEVENTS}, waits for
     * {@code minComplete} completions. {@code argAddress} is 0 or the native address of a
     * signal mask or (with {@link #IORING_ENTER_EXT_ARG}) an {@code io_uring_getevents_arg}.
     * Returns the number of SQEs consumed or {@code -errno} ({@code -EINTR} on a signal,
     * {@code -EBUSY}/{@code -EAGAIN} when the kernel cannot take more now, {@code -ETIME}
     * when an EXT_ARG timeout expired).
     */
    public static int enter(int fd, int toSubmit, int minComplete, int flags, long argAddress, long argSize) {
        if (!GENERIC_TABLE) {
            return -Errno.ENOSYS;
        }
        try {
            MemorySegment capture = Libc.capture();
            return (int) Libc.result((long) SYSCALL7.invokeExact(capture, NR_IO_URING_ENTER, (long) fd,
                    Integer.toUnsignedLong(toSubmit), Integer.toUnsignedLong(minComplete),
                    Integer.toUnsignedLong(flags), argAddress, argSize), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * {@code io_uring_register(fd, opcode, arg, nrArgs)} with {@code arg} at native
     * {@code argAddress}. Returns the kernel's result (0 or a count) or {@code -errno}.
     */
    public static int register(int fd, int opcode, long argAddress, int nrArgs) {
        if (!GENERIC_TABLE) {
            return -Errno.ENOSYS;
        }
        try {
            MemorySegment capture = Libc.capture();
            return (int) Libc.result((long) SYSCALL5.invokeExact(capture, NR_IO_URING_REGISTER, (long) fd,
                    Integer.toUnsignedLong(opcode), argAddress, Integer.toUnsignedLong(nrArgs)), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    private static long call3(long number, long a, long b) {
        if (!GENERIC_TABLE) {
            return -Errno.ENOSYS;
        }
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((long) SYSCALL3.invokeExact(capture, number, a, b), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
