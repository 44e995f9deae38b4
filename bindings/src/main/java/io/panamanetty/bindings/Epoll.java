package io.panamanetty.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static io.panamanetty.bindings.Libc.C_INT;
import static io.panamanetty.bindings.Libc.C_LONG;
import static io.panamanetty.bindings.Libc.C_POINTER;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@code <sys/epoll.h>}: {@code epoll_create1}, {@code epoll_ctl}, {@code epoll_wait},
 * {@code epoll_pwait2} and {@code struct epoll_event}.
 *
 * <pre>{@code
 * typedef union epoll_data { void *ptr; int fd; uint32_t u32; uint64_t u64; } epoll_data_t;
 * struct epoll_event { uint32_t events; epoll_data_t data; } __EPOLL_PACKED;
 * }</pre>
 * The struct is packed on x86_64 (12 bytes, {@code data} at offset 4) and naturally
 * aligned elsewhere, e.g. aarch64 (16 bytes, {@code data} at offset 8).
 *
 * <p>{@link #waitNanos} waits with a nanosecond timeout through {@code epoll_pwait2}
 * (Linux 5.11, glibc 2.35), and falls back to {@code epoll_wait}'s milliseconds for good
 * once libc lacks it or the kernel answers {@code ENOSYS}.
 */
public final class Epoll {
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLPRI = 0x002;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    public static final int EPOLLRDHUP = 0x2000;
    public static final int EPOLLEXCLUSIVE = 1 << 28;
    public static final int EPOLLONESHOT = 1 << 30;
    public static final int EPOLLET = 1 << 31;

    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    public static final int EPOLL_CLOEXEC = 0x80000;

    private static final boolean PACKED = isX86_64();

    /** {@code struct epoll_event}, packed or padded as on this architecture. */
    public static final StructLayout EPOLL_EVENT = PACKED
            ? MemoryLayout.structLayout(
                    ValueLayout.JAVA_INT_UNALIGNED.withName("events"),
                    ValueLayout.JAVA_LONG_UNALIGNED.withName("data"))
                    .withName("epoll_event")
            : MemoryLayout.structLayout(
                    ValueLayout.JAVA_INT.withName("events"),
                    MemoryLayout.paddingLayout(4),
                    ValueLayout.JAVA_LONG.withName("data"))
                    .withName("epoll_event");

    /** Bytes per {@code epoll_event}. */
    public static final long EVENT_SIZE = EPOLL_EVENT.byteSize();
    static final long EVENTS_OFFSET = EPOLL_EVENT.byteOffset(groupElement("events"));
    static final long DATA_OFFSET = EPOLL_EVENT.byteOffset(groupElement("data"));

    private static final MethodHandle EPOLL_CREATE1 = Libc.withErrno("epoll_create1",
            FunctionDescriptor.of(C_INT, C_INT));
    private static final MethodHandle EPOLL_CTL = Libc.withErrno("epoll_ctl",
            FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER));
    private static final MethodHandle EPOLL_WAIT = Libc.withErrno("epoll_wait",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_INT));
    private static final MethodHandle EPOLL_WAIT_RAW = Libc.withErrno("epoll_wait",
            FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_INT, C_INT));

    /** The kernel's {@code sigset_t} size (64 signals), {@code epoll_pwait2}'s last argument. */
    private static final long SIGSET_SIZE = 8;
    /** {@code epoll_pwait2} (see {@link #pwait2Handle}), or null where neither way is known. */
    private static final MethodHandle EPOLL_PWAIT2_RAW = pwait2Handle();
    private static final long TV_SEC_OFFSET = TimerFd.TIMESPEC.byteOffset(groupElement("tv_sec"));
    private static final long TV_NSEC_OFFSET = TimerFd.TIMESPEC.byteOffset(groupElement("tv_nsec"));
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long NANOS_PER_MILLI = 1_000_000L;

    /** Cleared once libc or the kernel turned out to lack {@code epoll_pwait2}. */
    private static volatile boolean preciseWait = EPOLL_PWAIT2_RAW != null;

    private Epoll() {
    }

    /**
     * {@code epoll_pwait2} by number where {@link Syscalls} lists it (the kernel's sixth
     * argument, the signal set's size, given though no set is passed), else libc's wrapper if
     * this libc has one, else null.
     */
    private static MethodHandle pwait2Handle() {
        FunctionDescriptor descriptor = FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_INT, C_LONG, C_LONG);
        MethodHandle direct = Syscalls.byNumber(Syscalls.NR_EPOLL_PWAIT2,
                descriptor.toMethodType().insertParameterTypes(0, MemorySegment.class), SIGSET_SIZE);
        if (direct != null) {
            return direct;
        }
        return Libc.LOOKUP.find("epoll_pwait2").isPresent() ? Libc.withErrno("epoll_pwait2", descriptor) : null;
    }

    private static boolean isX86_64() {
        String arch = System.getProperty("os.arch");
        return arch.equals("amd64") || arch.equals("x86_64");
    }

    /** {@code int epoll_create1(int flags);} Returns the epoll fd or {@code -errno}. */
    public static int create(int flags) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((int) EPOLL_CREATE1.invokeExact(capture, flags), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event);} */
    public static int ctl(int epfd, int op, int fd, MemorySegment event) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((int) EPOLL_CTL.invokeExact(capture, epfd, op, fd, event), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * {@code epoll_ctl} with an event built in this thread's scratch memory.
     * Returns 0 or {@code -errno}.
     */
    public static int ctl(int epfd, int op, int fd, int events, long data) {
        MemorySegment event = Libc.scratch().asSlice(0, EVENT_SIZE);
        setEvents(event, 0, events);
        setData(event, 0, data);
        return ctl(epfd, op, fd, event);
    }

    /**
     * {@code int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout);}
     * Returns the number of ready events or {@code -errno} ({@code -EINTR} on a signal).
     */
    public static int wait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((int) EPOLL_WAIT.invokeExact(capture, epfd, events, maxEvents, timeoutMillis),
                    capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code epoll_wait} into the event array at native {@code eventsAddress}. */
    public static int wait(int epfd, long eventsAddress, int maxEvents, int timeoutMillis) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((int) EPOLL_WAIT_RAW.invokeExact(capture, epfd, eventsAddress, maxEvents,
                    timeoutMillis), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * Waits up to {@code timeoutNanos} (negative: no limit; 0: do not block) for events into
     * the array at native {@code eventsAddress}: {@link #pwait2}, or {@link #waitRoundedToMillis}
     * where the system lacks it ({@link #hasPreciseWait()}). Returns the number of ready
     * events or {@code -errno}.
     */
    public static int waitNanos(int epfd, long eventsAddress, int maxEvents, long timeoutNanos) {
        if (preciseWait) {
            int ready = pwait2(epfd, eventsAddress, maxEvents, timeoutNanos);
            if (ready != -Errno.ENOSYS && ready != -Errno.EPERM) {
                return ready;
            }
            // A kernel before 5.11 (ENOSYS), or a seccomp filter that refuses calls it does not
            // know (EPERM, as older container profiles do): neither will change its mind.
            preciseWait = false;
        }
        return waitRoundedToMillis(epfd, eventsAddress, maxEvents, timeoutNanos);
    }

    /**
     * True while {@link #waitNanos} uses {@code epoll_pwait2}; false once it fell back to
     * {@code epoll_wait} (the name to give in an error message).
     */
    public static boolean hasPreciseWait() {
        return preciseWait;
    }

    /**
     * {@code int epoll_pwait2(int epfd, struct epoll_event *events, int maxevents,
     * const struct timespec *timeout, const sigset_t *sigmask);} with the timeout in this
     * thread's scratch memory (NULL when negative: no limit) and no signal mask. Returns the
     * number of ready events or {@code -errno}: {@code -ENOSYS} on a kernel before 5.11 (and,
     * on an architecture {@link Syscalls} does not list, when this libc has no wrapper).
     */
    public static int pwait2(int epfd, long eventsAddress, int maxEvents, long timeoutNanos) {
        if (EPOLL_PWAIT2_RAW == null) {
            return -Errno.ENOSYS;
        }
        long timeout = 0;   // NULL: no limit
        if (timeoutNanos >= 0) {
            MemorySegment scratch = Libc.scratch();   // whole, not a slice: no allocation on the loop's hot path
            scratch.set(ValueLayout.JAVA_LONG, TV_SEC_OFFSET, timeoutNanos / NANOS_PER_SECOND);
            scratch.set(ValueLayout.JAVA_LONG, TV_NSEC_OFFSET, timeoutNanos % NANOS_PER_SECOND);
            timeout = scratch.address();
        }
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((int) EPOLL_PWAIT2_RAW.invokeExact(capture, epfd, eventsAddress, maxEvents, timeout,
                    0L), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * The fallback of {@link #waitNanos}: {@code epoll_wait} with {@code timeoutNanos}
     * rounded up to whole milliseconds (a timer is never woken early), at most
     * {@link Integer#MAX_VALUE} of them; negative waits without limit.
     */
    public static int waitRoundedToMillis(int epfd, long eventsAddress, int maxEvents, long timeoutNanos) {
        int timeoutMillis = timeoutNanos < 0 ? -1
                : (int) Math.min(Integer.MAX_VALUE, (timeoutNanos + NANOS_PER_MILLI - 1) / NANOS_PER_MILLI);
        return wait(epfd, eventsAddress, maxEvents, timeoutMillis);
    }

    /** The {@code events} mask of element {@code index} of an event array. */
    public static int events(MemorySegment array, int index) {
        return array.get(ValueLayout.JAVA_INT_UNALIGNED, index * EVENT_SIZE + EVENTS_OFFSET);
    }

    /** The {@code data.u64} of element {@code index} of an event array. */
    public static long data(MemorySegment array, int index) {
        return array.get(ValueLayout.JAVA_LONG_UNALIGNED, index * EVENT_SIZE + DATA_OFFSET);
    }

    /** Sets the {@code events} mask of element {@code index}. */
    public static void setEvents(MemorySegment array, int index, int events) {
        array.set(ValueLayout.JAVA_INT_UNALIGNED, index * EVENT_SIZE + EVENTS_OFFSET, events);
    }

    /** Sets the {@code data.u64} of element {@code index}. */
    public static void setData(MemorySegment array, int index, long data) {
        array.set(ValueLayout.JAVA_LONG_UNALIGNED, index * EVENT_SIZE + DATA_OFFSET, data);
    }
}
