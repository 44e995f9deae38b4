package io.panamanetty.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static io.panamanetty.bindings.Libc.C_INT;

/**
 * {@code <sys/eventfd.h>}: {@code int eventfd(unsigned int initval, int flags);}, a
 * counter an event loop polls to be woken from another thread.
 */
public final class EventFd {
    public static final int EFD_SEMAPHORE = 1;
    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;

    private static final MethodHandle EVENTFD = Libc.withErrno("eventfd",
            FunctionDescriptor.of(C_INT, C_INT, C_INT));

    private EventFd() {
    }

    /** {@code eventfd(initval, flags)}: returns the fd or {@code -errno}. */
    public static int create(int initialValue, int flags) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((int) EVENTFD.invokeExact(capture, initialValue, flags), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Adds {@code value} to the counter (an 8-byte {@code write}). Returns 8 or {@code -errno}. */
    public static long add(int fd, long value) {
        MemorySegment counter = Libc.scratch().asSlice(0, 8);
        counter.set(ValueLayout.JAVA_LONG, 0, value);
        return FileIo.write(fd, counter);
    }

    /**
     * Reads and resets the counter (an 8-byte {@code read}). Returns the counter's
     * value, or {@code -errno} ({@code -EAGAIN} when it is zero on a non-blocking fd).
     */
    public static long take(int fd) {
        MemorySegment counter = Libc.scratch().asSlice(0, 8);
        long result = FileIo.read(fd, counter);
        return result < 0 ? result : counter.get(ValueLayout.JAVA_LONG, 0);
    }
}
