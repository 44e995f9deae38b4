package io.panamanetty.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The linker, libc's symbols and the errno capture shared by every binding class.
 *
 * <p>Each thread owns one small capture segment, reused for every call it makes, so
 * capturing errno allocates nothing per call.
 */
final class Libc {
    static final Linker LINKER = Linker.nativeLinker();
    static final SymbolLookup LOOKUP = LINKER.defaultLookup();

    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));

    /** Bytes of per-thread scratch memory for the small structs of slow-path calls. */
    static final long SCRATCH_SIZE = 512;

    private record PerThread(MemorySegment capture, MemorySegment scratch) {
    }

    private static final ThreadLocal<PerThread> PER_THREAD = ThreadLocal.withInitial(() -> {
        Arena arena = Arena.ofAuto();
        return new PerThread(arena.allocate(CAPTURE_LAYOUT), arena.allocate(SCRATCH_SIZE, 16));
    });

    /** A C {@code int}. */
    static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    /** A C {@code long} / {@code ssize_t} / {@code size_t} on LP64 Linux. */
    static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    /** A C pointer. */
    static final ValueLayout C_POINTER = ValueLayout.ADDRESS;

    private Libc() {
    }

    /** A downcall handle to {@code name} whose first argument is the errno capture segment. */
    static MethodHandle withErrno(String name, FunctionDescriptor descriptor) {
        return downcall(name, descriptor, CAPTURE_ERRNO);
    }

    /** A downcall handle to {@code name} that does not capture errno. */
    static MethodHandle plain(String name, FunctionDescriptor descriptor) {
        return downcall(name, descriptor);
    }

    /**
     * A downcall handle to {@code name} with {@code options}: every binding class makes its
     * handles here, in its static initializer, so this is where a JVM that denies native
     * access ({@code --illegal-native-access=deny}, the future default) first refuses us.
     *
     * @throws Error naming the {@code --enable-native-access} flag to add, if native access
     *         is denied to this module
     */
    static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = symbol(name);
        try {
            return LINKER.downcallHandle(symbol, descriptor, options);
        } catch (IllegalCallerException denied) {
            throw nativeAccessDenied(denied);
        }
    }

    /**
     * The error thrown when the JVM refuses this module native access: an {@link Error}, so
     * that a static initializer passes it on as it is (rather than wrapped in an
     * {@link ExceptionInInitializerError} without a message) and the program stops, saying
     * which flag to add.
     */
    private static Error nativeAccessDenied(IllegalCallerException denied) {
        Module module = Libc.class.getModule();
        String here = module.isNamed()
                ? "this run has " + module.getName() + " on the module path"
                : "this run has panama-netty on the class path";
        return new Error("panama-netty needs native access: run java with"
                + " --enable-native-access=ALL-UNNAMED (class path) or"
                + " --enable-native-access=io.panamanetty.bindings (module path); "
                + here, denied);
    }

    private static MemorySegment symbol(String name) {
        return LOOKUP.find(name).orElseThrow(
                () -> new UnsatisfiedLinkError("libc has no symbol " + name));
    }

    /** This thread's errno capture segment. */
    static MemorySegment capture() {
        return PER_THREAD.get().capture();
    }

    /**
     * This thread's scratch segment ({@link #SCRATCH_SIZE} bytes, 16-aligned) for
     * the arguments of one call at a time; its contents are undefined on entry.
     */
    static MemorySegment scratch() {
        return PER_THREAD.get().scratch();
    }

    /** The errno captured in {@code capture} by the last call that used it. */
    static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    /**
     * For the {@code catch (Throwable)} around {@code invokeExact}: errors pass
     * through unchanged; anything else cannot happen with exact, fixed signatures.
     */
    static Error rethrow(Throwable t) {
        if (t instanceof Error error) {
            return error;
        }
        if (t instanceof RuntimeException runtime) {
            throw runtime;
        }
        return new AssertionError("downcall threw a checked exception", t);
    }

    /** Maps a C result of -1 to {@code -errno}; other results pass through. */
    static int result(int cResult, MemorySegment capture) {
        return cResult == -1 ? -errno(capture) : cResult;
    }

    /** Maps a C result of -1 to {@code -errno}; other results pass through. */
    static long result(long cResult, MemorySegment capture) {
        return cResult == -1 ? -errno(capture) : cResult;
    }
}
