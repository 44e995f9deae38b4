package io.panamanetty.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static io.panamanetty.bindings.Libc.C_INT;
import static io.panamanetty.bindings.Libc.C_POINTER;

/**
 * {@code <sys/resource.h>}: process resource limits, such as the number of open
 * files ({@link #RLIMIT_NOFILE}).
 *
 * <pre>{@code
 * struct rlimit { rlim_t rlim_cur; rlim_t rlim_max; };
 * int getrlimit(int resource, struct rlimit *rlim);
 * int setrlimit(int resource, const struct rlimit *rlim);
 * }</pre>
 */
public final class ResourceLimits {
    public static final int RLIMIT_NOFILE = 7;
    /** {@code RLIM_INFINITY}: no limit. */
    public static final long RLIM_INFINITY = -1L;

    /** {@code struct rlimit}: 16 bytes. */
    public static final StructLayout RLIMIT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("rlim_cur"),
            ValueLayout.JAVA_LONG.withName("rlim_max")).withName("rlimit");

    private static final MethodHandle GETRLIMIT = Libc.withErrno("getrlimit",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER));
    private static final MethodHandle SETRLIMIT = Libc.withErrno("setrlimit",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER));

    /**
     * A soft and a hard limit.
     *
     * @param soft the limit enforced now
     * @param hard the ceiling the soft limit may be raised to
     */
    public record Limit(long soft, long hard) {
    }

    private ResourceLimits() {
    }

    /** {@code getrlimit(resource, rlim)}: 0 or {@code -errno}. */
    public static int getrlimit(int resource, MemorySegment rlimit) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((int) GETRLIMIT.invokeExact(capture, resource, rlimit), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code setrlimit(resource, rlim)}: 0 or {@code -errno}. */
    public static int setrlimit(int resource, MemorySegment rlimit) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((int) SETRLIMIT.invokeExact(capture, resource, rlimit), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** The current limits of {@code resource}. */
    public static Limit get(int resource) throws NativeIoException {
        MemorySegment rlimit = Libc.scratch().asSlice(0, RLIMIT.byteSize());
        Errno.check(getrlimit(resource, rlimit), "getrlimit");
        return new Limit(rlimit.get(ValueLayout.JAVA_LONG, 0), rlimit.get(ValueLayout.JAVA_LONG, 8));
    }

    /** Sets the limits of {@code resource}; raising the hard limit needs privilege. */
    public static void set(int resource, Limit limit) throws NativeIoException {
        MemorySegment rlimit = Libc.scratch().asSlice(0, RLIMIT.byteSize());
        rlimit.set(ValueLayout.JAVA_LONG, 0, limit.soft());
        rlimit.set(ValueLayout.JAVA_LONG, 8, limit.hard());
        int result = setrlimit(resource, rlimit);
        if (result < 0) {
            throw Errno.exception(-result, "setrlimit", "resource " + resource + " to " + limit);
        }
    }
}
