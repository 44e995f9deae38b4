package io.panamanetty.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static io.panamanetty.bindings.Libc.C_LONG;

/**
 * The C heap of {@code <stdlib.h>}: {@code malloc} and {@code free}, for off-heap
 * buffers whose lifetime is managed by reference counts rather than arenas (freeing
 * one buffer must not cost an arena-wide handshake).
 *
 * <pre>{@code
 * void *malloc(size_t size);
 * void free(void *ptr);
 * }</pre>
 */
public final class Memory {
    private static final MethodHandle MALLOC = Libc.plain("malloc",
            FunctionDescriptor.of(C_LONG, C_LONG));
    /** {@code free} never blocks and does little: a critical call (no thread-state transition). */
    private static final MethodHandle FREE = Libc.downcall("free", FunctionDescriptor.ofVoid(C_LONG),
            Linker.Option.critical(false));

    private Memory() {
    }

    /**
     * Allocates {@code size} bytes (16-byte aligned on glibc).
     *
     * @return the address of the memory
     * @throws OutOfMemoryError if the C heap cannot supply it
     */
    public static long malloc(long size) {
        long address;
        try {
            address = (long) MALLOC.invokeExact(Math.max(1, size));
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        if (address == 0) {
            throw new OutOfMemoryError("malloc of " + size + " bytes failed");
        }
        return address;
    }

    /** Frees memory returned by {@link #malloc}; 0 is ignored. */
    public static void free(long address) {
        try {
            FREE.invokeExact(address);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** A segment of {@code size} bytes over memory at {@code address} (no lifetime checks). */
    public static MemorySegment segment(long address, long size) {
        return MemorySegment.ofAddress(address).reinterpret(size);
    }
}
