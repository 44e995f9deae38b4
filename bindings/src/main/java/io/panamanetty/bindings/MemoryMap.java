package io.panamanetty.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static io.panamanetty.bindings.Libc.C_INT;
import static io.panamanetty.bindings.Libc.C_LONG;

/**
 * {@code <sys/mman.h>}: {@code mmap} and {@code munmap}, for the io_uring rings (a shared
 * mapping of the ring fd) and page-aligned memory of our own (an anonymous mapping).
 *
 * <pre>{@code
 * void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);
 * int munmap(void *addr, size_t length);
 * }</pre>
 */
public final class MemoryMap {
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 1;
    public static final int MAP_PRIVATE = 2;
    public static final int MAP_ANONYMOUS = 0x20;
    /** Fault the pages in now (for the rings: no page fault on the first submission). */
    public static final int MAP_POPULATE = 0x8000;

    private static final MethodHandle MMAP = Libc.withErrno("mmap",
            FunctionDescriptor.of(C_LONG, C_LONG, C_LONG, C_INT, C_INT, C_INT, C_LONG));
    private static final MethodHandle MUNMAP = Libc.withErrno("munmap",
            FunctionDescriptor.of(C_INT, C_LONG, C_LONG));

    private MemoryMap() {
    }

    /**
     * {@code mmap(NULL, length, prot, flags, fd, offset)}: returns the address of the new
     * mapping, or {@code -errno} ({@code MAP_FAILED} is {@code (void *) -1}; a user-space
     * address is never negative).
     */
    public static long map(long length, int prot, int flags, int fd, long offset) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((long) MMAP.invokeExact(capture, 0L, length, prot, flags, fd, offset), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code munmap(address, length)}: returns 0 or {@code -errno}. */
    public static int unmap(long address, long length) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((int) MUNMAP.invokeExact(capture, address, length), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
