package io.panamanetty.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntToLongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The raw-address variants of the hot calls allocate nothing on the Java heap once
 * compiled: each is warmed up, then called {@value #MEASURED} times between two
 * readings of this thread's allocated-bytes counter. The {@code MemorySegment}
 * variants are measured and printed too, for comparison, without an assertion.
 *
 * <p>"Once compiled" matters: {@code Linker.Option.captureCallState} makes the JDK
 * slice the capture segment on every call ({@code SharedUtils.checkCaptureSegment}
 * returns {@code captureSegment.asSlice(0, layout)}, a new 40-byte segment object),
 * which only C2's escape analysis removes. In the interpreter, with C1 alone, or with
 * {@code -XX:-DoEscapeAnalysis} every one of these calls allocates that segment.
 *
 * <p>Every call works on one non-blocking eventfd in semaphore mode, so each call
 * succeeds and does the same thing every time: a write adds 1, a read takes 1, and
 * the calls are run in an order that never lets the counter go below zero.
 */
@ExtendWith(NoFdLeaks.class)
@Timeout(120)
class HotCallAllocationTest {
    private static final int WARMUP = 200_000;
    private static final int MEASURED = 100_000;
    /** Warm-up runs in chunks, so the loops get compiled as whole methods and not only on-stack. */
    private static final int CHUNK = 1_000;
    private static final int MAX_EVENTS = 4;
    /**
     * Measuring rounds, each after a further warm-up, in case C2 has not finished
     * compiling yet (a slow or busy machine). A call that allocates in compiled code
     * allocates in every round; all rounds are printed.
     */
    private static final int MAX_ROUNDS = 3;

    /** {@code long getThreadAllocatedBytes(long threadId)}, bound to the platform's ThreadMXBean. */
    private static final MethodHandle THREAD_ALLOCATED_BYTES = threadAllocatedBytes();

    /** One measured call: {@code calls} times in a loop, returning how many calls failed. */
    private record Call(String name, boolean raw, IntToLongFunction loop) {
    }

    /**
     * The test classes are patched into the module {@code io.panamanetty.bindings},
     * which reads neither {@code java.management} nor {@code jdk.management}, so the
     * bean is looked up by name: a public lookup needs no readability.
     */
    private static MethodHandle threadAllocatedBytes() {
        try {
            Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
            Class<?> threadBean = Class.forName("java.lang.management.ThreadMXBean");
            Class<?> hotSpotThreadBean = Class.forName("com.sun.management.ThreadMXBean");
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Object bean = lookup.findStatic(factory, "getThreadMXBean", MethodType.methodType(threadBean)).invoke();
            MethodType isFlag = MethodType.methodType(boolean.class);
            boolean supported = (boolean) lookup.findVirtual(hotSpotThreadBean,
                    "isThreadAllocatedMemorySupported", isFlag).invoke(bean);
            boolean enabled = (boolean) lookup.findVirtual(hotSpotThreadBean,
                    "isThreadAllocatedMemoryEnabled", isFlag).invoke(bean);
            if (!supported || !enabled) {
                throw new AssertionError("this JVM does not count allocated bytes per thread");
            }
            return lookup.findVirtual(hotSpotThreadBean, "getThreadAllocatedBytes",
                    MethodType.methodType(long.class, long.class)).bindTo(bean);
        } catch (Throwable t) {
            throw new AssertionError("cannot reach com.sun.management.ThreadMXBean", t);
        }
    }

    /** Bytes this thread allocated on the heap so far (also for {@link IoUringAllocationTest}). */
    static long allocatedBytes() {
        try {
            return (long) THREAD_ALLOCATED_BYTES.invokeExact(Thread.currentThread().threadId());
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    // One static method per call, so that each loop is compiled on its own.

    private static long writeRaw(int fd, long one, int calls) {
        long failures = 0;
        for (int i = 0; i < calls; i++) {
            if (FileIo.write(fd, one, 8) != 8) {
                failures++;
            }
        }
        return failures;
    }

    private static long readRaw(int fd, long buffer, int calls) {
        long failures = 0;
        for (int i = 0; i < calls; i++) {
            if (FileIo.read(fd, buffer, 8) != 8) {
                failures++;
            }
        }
        return failures;
    }

    private static long writevRaw(int fd, long iovecs, int calls) {
        long failures = 0;
        for (int i = 0; i < calls; i++) {
            if (FileIo.writev(fd, iovecs, 2) != 16) {
                failures++;
            }
        }
        return failures;
    }

    private static long readvRaw(int fd, long iovecs, int calls) {
        long failures = 0;
        for (int i = 0; i < calls; i++) {
            if (FileIo.readv(fd, iovecs, 2) != 8) {
                failures++;
            }
        }
        return failures;
    }

    private static long waitNanosRaw(int epfd, long events, int calls) {
        long failures = 0;
        for (int i = 0; i < calls; i++) {
            if (Epoll.waitNanos(epfd, events, MAX_EVENTS, 0) < 0) {
                failures++;
            }
        }
        return failures;
    }

    private static long waitRaw(int epfd, long events, int calls) {
        long failures = 0;
        for (int i = 0; i < calls; i++) {
            if (Epoll.wait(epfd, events, MAX_EVENTS, 0) < 0) {
                failures++;
            }
        }
        return failures;
    }

    private static long writeSegment(int fd, MemorySegment one, int calls) {
        long failures = 0;
        for (int i = 0; i < calls; i++) {
            if (FileIo.write(fd, one) != 8) {
                failures++;
            }
        }
        return failures;
    }

    private static long readSegment(int fd, MemorySegment buffer, int calls) {
        long failures = 0;
        for (int i = 0; i < calls; i++) {
            if (FileIo.read(fd, buffer) != 8) {
                failures++;
            }
        }
        return failures;
    }

    private static long writevSegment(int fd, MemorySegment iovecs, int calls) {
        long failures = 0;
        for (int i = 0; i < calls; i++) {
            if (FileIo.writev(fd, iovecs, 2) != 16) {
                failures++;
            }
        }
        return failures;
    }

    private static long readvSegment(int fd, MemorySegment iovecs, int calls) {
        long failures = 0;
        for (int i = 0; i < calls; i++) {
            if (FileIo.readv(fd, iovecs, 2) != 8) {
                failures++;
            }
        }
        return failures;
    }

    private static long waitSegment(int epfd, MemorySegment events, int calls) {
        long failures = 0;
        for (int i = 0; i < calls; i++) {
            if (Epoll.wait(epfd, events, MAX_EVENTS, 0) < 0) {
                failures++;
            }
        }
        return failures;
    }

    private static long eventFdAddTake(int fd, int calls) {
        long failures = 0;
        for (int i = 0; i < calls; i++) {
            if (EventFd.add(fd, 1) != 8 || EventFd.take(fd) != 1) {
                failures++;
            }
        }
        return failures;
    }

    /** Runs every call {@value #WARMUP} times, in chunks, keeping the eventfd counter balanced. */
    private static void warmUp(List<Call> calls) {
        for (int done = 0; done < WARMUP; done += CHUNK) {
            for (Call call : calls) {
                assertEquals(0, call.loop().applyAsLong(CHUNK), () -> call.name() + " failed in warm-up");
            }
        }
    }

    @Test
    void rawHotCallsAllocateNothing() {
        try (FdScope fds = new FdScope(); Poller poller = new Poller(); Arena arena = Arena.ofConfined()) {
            int fd = fds.add(EventFd.create(0, EventFd.EFD_SEMAPHORE | EventFd.EFD_NONBLOCK | EventFd.EFD_CLOEXEC));
            poller.add(fd, Epoll.EPOLLIN);
            int epfd = poller.epfd;

            MemorySegment one = arena.allocate(ValueLayout.JAVA_LONG).fill((byte) 0);
            one.set(ValueLayout.JAVA_LONG, 0, 1);
            MemorySegment zero = arena.allocate(ValueLayout.JAVA_LONG).fill((byte) 0);
            MemorySegment buffer = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment spare = arena.allocate(ValueLayout.JAVA_LONG);
            // writev: add 1, then add 0; readv: the 8 bytes of one take land in the first buffer.
            MemorySegment out = arena.allocate(IoVec.LAYOUT, 2);
            IoVec.set(out, 0, one);
            IoVec.set(out, 1, zero);
            MemorySegment in = arena.allocate(IoVec.LAYOUT, 2);
            IoVec.set(in, 0, buffer);
            IoVec.set(in, 1, spare);
            MemorySegment events = arena.allocate(Epoll.EPOLL_EVENT, MAX_EVENTS);

            long oneAddress = one.address();
            long bufferAddress = buffer.address();
            long outAddress = out.address();
            long inAddress = in.address();
            long eventsAddress = events.address();
            // Writes come before the reads that take back what they added.
            List<Call> calls = List.of(
                    new Call("FileIo.write(int,long,long)", true, n -> writeRaw(fd, oneAddress, n)),
                    new Call("FileIo.read(int,long,long)", true, n -> readRaw(fd, bufferAddress, n)),
                    new Call("FileIo.writev(int,long,int)", true, n -> writevRaw(fd, outAddress, n)),
                    new Call("FileIo.readv(int,long,int)", true, n -> readvRaw(fd, inAddress, n)),
                    new Call("Epoll.wait(int,long,int,int) timeout 0", true, n -> waitRaw(epfd, eventsAddress, n)),
                    new Call("Epoll.waitNanos(int,long,int,long) timeout 0", true,
                            n -> waitNanosRaw(epfd, eventsAddress, n)),
                    new Call("FileIo.write(int,MemorySegment)", false, n -> writeSegment(fd, one, n)),
                    new Call("FileIo.read(int,MemorySegment)", false, n -> readSegment(fd, buffer, n)),
                    new Call("FileIo.writev(int,MemorySegment,int)", false, n -> writevSegment(fd, out, n)),
                    new Call("FileIo.readv(int,MemorySegment,int)", false, n -> readvSegment(fd, in, n)),
                    new Call("Epoll.wait(int,MemorySegment,int,int) timeout 0", false,
                            n -> waitSegment(epfd, events, n)),
                    new Call("EventFd.add + EventFd.take (2 calls)", false, n -> eventFdAddTake(fd, n)));

            long before = allocatedBytes();
            long overhead = allocatedBytes() - before;
            List<String> report = new ArrayList<>();
            report.add(String.format(Locale.ROOT, "measuring allocatedBytes() itself: %d bytes", overhead));
            List<String> allocating = new ArrayList<>();
            for (int round = 1; round <= MAX_ROUNDS; round++) {
                warmUp(calls);
                assertEquals(-Errno.EAGAIN, EventFd.take(fd), "warm-up left the counter at zero");
                allocating.clear();
                report.add("round " + round + ", after " + round * WARMUP + " warm-up calls each:");
                for (Call call : calls) {
                    long start = allocatedBytes();
                    long failures = call.loop().applyAsLong(MEASURED);
                    long allocated = allocatedBytes() - start;
                    assertEquals(0, failures, () -> call.name() + " failed while measured");
                    double perCall = (double) allocated / MEASURED;
                    String line = String.format(Locale.ROOT, "  %-50s %8.4f bytes/call (%d bytes over %d calls)%s",
                            call.name(), perCall, allocated, MEASURED, call.raw() ? "" : "  [not asserted]");
                    report.add(line);
                    if (call.raw() && perCall >= 1.0) {
                        allocating.add(line);
                    }
                }
                assertEquals(-Errno.EAGAIN, EventFd.take(fd), "measuring left the counter at zero");
                if (allocating.isEmpty()) {
                    break;
                }
            }

            String text = String.join(System.lineSeparator(), report);
            System.out.println("HotCallAllocationTest, " + Runtime.version() + ":" + System.lineSeparator() + text);
            assertTrue(allocating.isEmpty(), () -> "raw hot calls allocate in every one of " + MAX_ROUNDS
                    + " rounds:" + System.lineSeparator() + String.join(System.lineSeparator(), allocating)
                    + System.lineSeparator() + "all:" + System.lineSeparator() + text);
        }
    }
}
