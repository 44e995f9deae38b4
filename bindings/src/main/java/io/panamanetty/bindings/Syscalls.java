package io.panamanetty.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;

import static io.panamanetty.bindings.Libc.C_LONG;

/**
 * The calls of the I/O hot paths by number, through libc's {@code syscall(3)}, on the
 * architectures whose numbers are listed here (x86_64 and aarch64; elsewhere the numbers are
 * -1 and the binding classes use libc's wrappers).
 *
 * <p>Why not the wrappers: glibc's {@code read}, {@code write}, {@code readv},
 * {@code writev}, {@code send} and {@code epoll_pwait2} are cancellation points. In a process
 * with more than one thread, and a JVM always has many, each call turns the calling thread's
 * asynchronous cancellation on before the system call and off after it: two atomic
 * read-modify-writes of the thread's cancellation word, which a one-thread C server never pays
 * (glibc skips them while a process has one thread). {@code syscall(3)} is no cancellation
 * point, and nothing here uses {@code pthread_cancel}, so nothing is lost. Measured on JDK 25,
 * one CPU, a 64-byte {@code write} and {@code read} over a socket pair: about 30 ns less per
 * pair (4 %); the asynchronous-cancellation pair was 1.5 % of an epoll echo server's samples
 * under pipelined load, more than its read path's own Java code. The result is the same as
 * the wrapper's: the call's value, or -1 with {@code errno} set (captured as before).
 */
public final class Syscalls {
    private static final String ARCH = System.getProperty("os.arch");
    private static final boolean X86_64 = ARCH.equals("amd64") || ARCH.equals("x86_64");
    private static final boolean AARCH64 = ARCH.equals("aarch64");

    /** {@code __NR_read} of this architecture (-1: not listed). */
    public static final long NR_READ = X86_64 ? 0 : AARCH64 ? 63 : -1;
    /** {@code __NR_write}. */
    public static final long NR_WRITE = X86_64 ? 1 : AARCH64 ? 64 : -1;
    /** {@code __NR_readv}. */
    public static final long NR_READV = X86_64 ? 19 : AARCH64 ? 65 : -1;
    /** {@code __NR_writev}. */
    public static final long NR_WRITEV = X86_64 ? 20 : AARCH64 ? 66 : -1;
    /** {@code __NR_sendto} ({@code send} is {@code sendto} to no address). */
    public static final long NR_SENDTO = X86_64 ? 44 : AARCH64 ? 206 : -1;
    /** {@code __NR_epoll_pwait2} (Linux 5.11; the generic table's number on both). */
    public static final long NR_EPOLL_PWAIT2 = X86_64 || AARCH64 ? 441 : -1;

    private Syscalls() {
    }

    /**
     * A handle of type {@code wanted} (an errno capture segment, then the call's arguments, all
     * {@code int} or {@code long}; an {@code int} or {@code long} result) that makes system call
     * {@code number} through {@code syscall(3)}, the {@code trailing} values appended to the
     * arguments (a {@code send} as a {@code sendto} to no address); null if {@code number} is -1.
     */
    static MethodHandle byNumber(long number, MethodType wanted, long... trailing) {
        if (number < 0) {
            return null;
        }
        int kernelArguments = wanted.parameterCount() - 1 + trailing.length;
        MemoryLayout[] layouts = new MemoryLayout[kernelArguments + 1];
        Arrays.fill(layouts, C_LONG);
        MethodHandle syscall = Libc.downcall("syscall", FunctionDescriptor.of(C_LONG, layouts),
                Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
        MethodHandle bound = MethodHandles.insertArguments(syscall, 1, number);
        if (trailing.length > 0) {
            Object[] values = Arrays.stream(trailing).boxed().toArray();
            bound = MethodHandles.insertArguments(bound, wanted.parameterCount(), values);
        }
        return MethodHandles.explicitCastArguments(bound, wanted);
    }

    /**
     * {@link #byNumber} if {@code number} is listed, else libc's wrapper {@code name}: either
     * way a handle of {@code descriptor}'s type with an errno capture segment first.
     */
    static MethodHandle byNumberOrLibc(long number, String name, FunctionDescriptor descriptor, long... trailing) {
        MethodType wanted = descriptor.toMethodType().insertParameterTypes(0, MemorySegment.class);
        MethodHandle direct = byNumber(number, wanted, trailing);
        return direct != null ? direct : Libc.withErrno(name, descriptor);
    }
}
