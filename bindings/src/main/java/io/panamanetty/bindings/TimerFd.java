package io.panamanetty.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static io.panamanetty.bindings.Libc.C_INT;
import static io.panamanetty.bindings.Libc.C_POINTER;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@code <sys/timerfd.h>}: timers delivered as readable file descriptors.
 *
 * <pre>{@code
 * int timerfd_create(int clockid, int flags);
 * int timerfd_settime(int fd, int flags, const struct itimerspec *new, struct itimerspec *old);
 * struct timespec   { time_t tv_sec; long tv_nsec; };
 * struct itimerspec { struct timespec it_interval; struct timespec it_value; };
 * }</pre>
 */
public final class TimerFd {
    public static final int CLOCK_REALTIME = 0;
    public static final int CLOCK_MONOTONIC = 1;
    public static final int TFD_TIMER_ABSTIME = 1;
    public static final int TFD_NONBLOCK = 0x800;
    public static final int TFD_CLOEXEC = 0x80000;

    /** {@code struct timespec}: 16 bytes. */
    public static final StructLayout TIMESPEC = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("tv_sec"),
            ValueLayout.JAVA_LONG.withName("tv_nsec")).withName("timespec");

    /** {@code struct itimerspec}: 32 bytes. */
    public static final StructLayout ITIMERSPEC = MemoryLayout.structLayout(
            TIMESPEC.withName("it_interval"),
            TIMESPEC.withName("it_value")).withName("itimerspec");

    static final long INTERVAL_OFFSET = ITIMERSPEC.byteOffset(groupElement("it_interval"));
    static final long VALUE_OFFSET = ITIMERSPEC.byteOffset(groupElement("it_value"));

    private static final MethodHandle TIMERFD_CREATE = Libc.withErrno("timerfd_create",
            FunctionDescriptor.of(C_INT, C_INT, C_INT));
    private static final MethodHandle TIMERFD_SETTIME = Libc.withErrno("timerfd_settime",
            FunctionDescriptor.of(C_INT, C_INT, C_INT, C_POINTER, C_POINTER));

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private TimerFd() {
    }

    /** {@code timerfd_create(clockid, flags)}: returns the fd or {@code -errno}. */
    public static int create(int clockId, int flags) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((int) TIMERFD_CREATE.invokeExact(capture, clockId, flags), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code timerfd_settime(fd, flags, newValue, oldValue)}; {@code oldValue} may be NULL. */
    public static int setTime(int fd, int flags, MemorySegment newValue, MemorySegment oldValue) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((int) TIMERFD_SETTIME.invokeExact(capture, fd, flags, newValue, oldValue),
                    capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * Arms a one-shot timer that expires {@code delayNanos} from now (a delay of 0 or
     * less fires as soon as possible), or disarms it when {@code delayNanos} is
     * {@link Long#MAX_VALUE}. Returns 0 or {@code -errno}.
     */
    public static int arm(int fd, long delayNanos) {
        MemorySegment spec = Libc.scratch().asSlice(0, ITIMERSPEC.byteSize());
        spec.fill((byte) 0);
        if (delayNanos != Long.MAX_VALUE) {
            long delay = Math.max(1, delayNanos);   // an all-zero it_value would disarm
            spec.set(ValueLayout.JAVA_LONG, VALUE_OFFSET, delay / NANOS_PER_SECOND);
            spec.set(ValueLayout.JAVA_LONG, VALUE_OFFSET + 8, delay % NANOS_PER_SECOND);
        }
        return setTime(fd, 0, spec, MemorySegment.NULL);
    }

    /**
     * Reads the number of expirations since the last read (an 8-byte {@code read}),
     * or {@code -errno} ({@code -EAGAIN} if none on a non-blocking fd).
     */
    public static long expirations(int fd) {
        return EventFd.take(fd);
    }
}
