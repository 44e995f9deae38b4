package io.panamanetty.transport.uring;

import io.panamanetty.bindings.FileIo;
import io.panamanetty.bindings.IoUringSqe;
import io.panamanetty.bindings.IoUringSupport;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Cancelling a registration while the SQ is full and the CQ has overflowed (a completion of
 * the cancelled handle's own waits in the kernel): getting the cancel's SQE must hand out no
 * completion, so the handle's {@code whenQuiet} (closing its fd) cannot run before the
 * cancel-by-fd naming that fd is queued, and another handle's operation is left alone.
 */
@ExtendWith(LeakCheck.class)
@Timeout(120)
class IoUringFullSqCancelTest {
    private static final long DEADLINE_NANOS = 20_000_000_000L;

    @BeforeAll
    static void ioUringWorksHere() {
        IoUringRequired.check();
    }

    private static RecvHandle pair(Arena arena) {
        MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
        assertEquals(0, Sockets.socketpair(Sockets.AF_UNIX,
                Sockets.SOCK_STREAM | Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC, 0, fds));
        return new RecvHandle(fds.get(ValueLayout.JAVA_INT, 0), fds.get(ValueLayout.JAVA_INT, 4));
    }

    private static void nop(IoUringIoHandler handler) {
        long sqe = handler.submitter().sqe();   // submits the SQ when it is full
        IoUringSqe.prepare(handler.submitter().sqes(), sqe, IoUringSqe.IORING_OP_NOP, -1, 0, 0, 0, -100L);
    }

    @Test
    void aFullSqDuringACancelNeitherClosesTheFdEarlyNorCancelsAnotherHandlesOperation() throws Exception {
        int flags = IoUringIoHandler.setupFlags(IoUringSupport.detect().setupFlags());
        IoUringIoHandler handler = new IoUringIoHandler(4, 4, flags);
        RecvHandle cancelled = null;
        RecvHandle other = null;
        try (Arena arena = Arena.ofConfined()) {
            cancelled = pair(arena);
            other = pair(arena);
            for (RecvHandle handle : List.of(cancelled, other)) {
                handle.registration = (IoUringRegistration) handler.register(handle);
                handle.postRecv(handler);
            }
            handler.poll(0);   // both receives wait in the kernel
            MemorySegment one = arena.allocateFrom("x", StandardCharsets.US_ASCII);
            assertEquals(1, FileIo.write(cancelled.peer, one.address(), 1));   // its receive completes
            for (int i = 0; i < 12; i++) {
                nop(handler);   // three SQs' worth: the CQ of 4 fills and overflows, the SQ is full at the end
            }
            RecvHandle first = cancelled;
            cancelled.registration.cancel(first::release);
            assertFalse(cancelled.isReleased(), "whenQuiet ran inside cancel(): the fd was closed before "
                    + "the cancellation naming it was queued");
            assertTrue(cancelled.completions.isEmpty(), "a cancelled handle was handed " + cancelled.completions);
            assertTrue(other.completions.isEmpty(), "a completion was handed out while getting an SQE: "
                    + other.completions);

            long deadline = System.nanoTime() + DEADLINE_NANOS;
            while (!first.isReleased()) {
                assertTrue(System.nanoTime() - deadline < 0, "the cancelled handle never went quiet");
                handler.poll(10_000_000L);
            }
            assertTrue(other.completions.isEmpty(), "the other handle's receive ended: " + other.completions);
            assertEquals(1, FileIo.write(other.peer, one.address(), 1));
            RecvHandle second = other;
            while (second.completions.isEmpty()) {
                assertTrue(System.nanoTime() - deadline < 0, "the other handle's receive never completed");
                handler.poll(10_000_000L);
            }
            assertEquals(List.of("op 1 res 1 flags 0"), other.completions, "its receive got the byte, uncancelled");
            other.registration.cancel(second::release);
        } finally {
            handler.close();
            for (RecvHandle handle : new RecvHandle[] {cancelled, other}) {
                if (handle != null && !handle.isReleased()) {
                    handle.release();
                }
            }
        }
    }
}
