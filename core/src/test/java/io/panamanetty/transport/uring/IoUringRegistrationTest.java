package io.panamanetty.transport.uring;

import io.panamanetty.bindings.FileIo;
import io.panamanetty.bindings.IoUringSupport;
import io.panamanetty.bindings.Memory;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.channel.IoHandle;
import io.panamanetty.channel.IoRegistration;
import io.panamanetty.channel.JulCapture;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Registrations with {@link IoUringIoHandler}, driven by hand on the test's thread: completions
 * reach their handle, and cancelling handles with receives in flight waits for the kernel's
 * cancellations before their descriptors and buffers go, with no completion reaching a
 * cancelled handle or a freed slot.
 */
@ExtendWith(LeakCheck.class)
@Timeout(120)
class IoUringRegistrationTest {
    private static final long DEADLINE_NANOS = 20_000_000_000L;

    @BeforeAll
    static void ioUringWorksHere() {
        IoUringRequired.check();
    }

    private static IoUringIoHandler handler() throws IOException {
        return new IoUringIoHandler(IoUringIoHandler.setupFlags(IoUringSupport.detect().setupFlags()));
    }

    private static RecvHandle pair(Arena arena) {
        MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
        assertEquals(0, Sockets.socketpair(Sockets.AF_UNIX,
                Sockets.SOCK_STREAM | Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC, 0, fds));
        return new RecvHandle(fds.get(ValueLayout.JAVA_INT, 0), fds.get(ValueLayout.JAVA_INT, 4));
    }

    private static void pollUntil(IoUringIoHandler handler, BooleanSupplier done, String what) throws IOException {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("gave up waiting for " + what);
            }
            handler.poll(10_000_000L);
        }
    }

    @Test
    void aCompletionReachesItsHandle() throws Exception {
        IoUringIoHandler handler = handler();
        try (Arena arena = Arena.ofConfined()) {
            RecvHandle handle = pair(arena);
            handle.registration = (IoUringRegistration) handler.register(handle);
            handle.postRecv(handler);
            handler.poll(0);   // submitted: the receive waits in the kernel
            MemorySegment ping = arena.allocateFrom("ping", StandardCharsets.US_ASCII);
            assertEquals(4, FileIo.write(handle.peer, ping.address(), 4));
            pollUntil(handler, () -> !handle.completions.isEmpty(), "the receive");
            assertEquals(List.of("op 1 res 4 flags 0"), handle.completions);
            assertEquals("ping", new String(Memory.segment(handle.buffer, 4)
                    .toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII));
            assertEquals(0, handle.registration.inFlight());
            List<String> quiet = new ArrayList<>();
            handle.registration.cancel(() -> quiet.add("now"));
            assertEquals(List.of("now"), quiet, "nothing in flight: whenQuiet runs before cancel returns");
            assertFalse(handler.hasOperationsInFlight());
            handle.release();
        } finally {
            handler.close();
        }
    }

    @Test
    void aHandleWhoseCallbackThrowsIsToldAndTheOthersGoOn() throws Exception {
        IoUringIoHandler handler = handler();
        try (Arena arena = Arena.ofConfined(); JulCapture log = new JulCapture()) {
            RecvHandle failing = pair(arena);
            RecvHandle healthy = pair(arena);
            failing.failure = new IllegalStateException("a bug in the callback");
            for (RecvHandle handle : List.of(failing, healthy)) {
                handle.registration = (IoUringRegistration) handler.register(handle);
                handle.postRecv(handler);
            }
            handler.poll(0);
            MemorySegment one = arena.allocateFrom("x", StandardCharsets.US_ASCII);
            assertEquals(1, FileIo.write(failing.peer, one.address(), 1));
            assertEquals(1, FileIo.write(healthy.peer, one.address(), 1));
            pollUntil(handler, () -> failing.completions.size() == 2 && healthy.completions.size() == 1, "both");
            assertEquals(List.of("op 1 res 1 flags 0", "failed a bug in the callback"), failing.completions);
            assertEquals(List.of("op 1 res 1 flags 0"), healthy.completions);
            assertTrue(log.text().contains("handling a completion of RecvHandle(fd " + failing.fd + ") failed"),
                    log.text());
            for (RecvHandle handle : List.of(failing, healthy)) {
                handle.registration.cancel(handle::release);
                assertTrue(handle.isReleased());
            }
        } finally {
            handler.close();
        }
    }

    @Test
    void cancellingAThousandHandlesWithReadsInFlightWaitsForTheKernel() throws Exception {
        IoUringIoHandler handler = handler();
        List<RecvHandle> handles = new ArrayList<>();
        try (Arena arena = Arena.ofConfined(); JulCapture log = new JulCapture()) {
            for (int i = 0; i < 1000; i++) {
                RecvHandle handle = pair(arena);
                handles.add(handle);
                handle.registration = (IoUringRegistration) handler.register(handle);
                handle.postRecv(handler);
            }
            handler.poll(0);   // all submitted (the SQ was flushed whenever it filled)
            for (RecvHandle handle : handles) {
                handle.registration.cancel(handle::release);
                assertFalse(handle.registration.isValid());
                assertFalse(handle.isReleased(), "a receive is in flight: the fd must stay open for now");
            }
            assertTrue(handler.hasOperationsInFlight());
            pollUntil(handler, () -> !handler.hasOperationsInFlight(), "the cancelled receives");
            for (RecvHandle handle : handles) {
                assertTrue(handle.isReleased(), handle + " was released once quiet");
                assertEquals(List.of(), handle.completions, "no completion reaches a cancelled handle");
            }
            handler.poll(0);
            assertFalse(log.text().contains("a completion for no registered operation"), log.text());
        } finally {
            handler.close();
            for (RecvHandle handle : handles) {
                if (!handle.isReleased()) {
                    handle.release();
                }
            }
        }
    }

    @Test
    void completionsOverflowingATinyCqAllArriveOnce() throws Exception {
        int flags = IoUringIoHandler.setupFlags(IoUringSupport.detect().setupFlags());
        IoUringIoHandler handler = new IoUringIoHandler(4, 8, flags);
        List<RecvHandle> handles = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            for (int i = 0; i < 200; i++) {
                RecvHandle handle = pair(arena);
                handles.add(handle);
                handle.registration = (IoUringRegistration) handler.register(handle);
                handle.postRecv(handler);   // the SQ of 4 is submitted whenever it fills
            }
            handler.poll(0);
            MemorySegment one = arena.allocateFrom("x", StandardCharsets.US_ASCII);
            for (RecvHandle handle : handles) {
                assertEquals(1, FileIo.write(handle.peer, one.address(), 1));
            }
            // 200 completions through a CQ of 8: the kernel keeps the rest (IORING_FEAT_NODROP)
            pollUntil(handler, () -> handles.stream().allMatch(h -> !h.completions.isEmpty()), "every receive");
            handler.poll(0);
            assertTrue(handler.cqOverflows() > 0, "the CQ overflowed");
            for (RecvHandle handle : handles) {
                assertEquals(List.of("op 1 res 1 flags 0"), handle.completions, handle.toString());
                handle.registration.cancel(handle::release);
            }
        } finally {
            handler.close();
            for (RecvHandle handle : handles) {
                if (!handle.isReleased()) {
                    handle.release();
                }
            }
        }
    }

    @Test
    void closeAllClosesTheHandlesStillRegistered() throws Exception {
        IoUringIoHandler handler = handler();
        try (Arena arena = Arena.ofConfined()) {
            RecvHandle kept = pair(arena);
            RecvHandle cancelled = pair(arena);
            kept.registration = (IoUringRegistration) handler.register(kept);
            cancelled.registration = (IoUringRegistration) handler.register(cancelled);
            cancelled.registration.cancel(cancelled::release);
            assertTrue(cancelled.isReleased());
            handler.closeAll();
            assertTrue(kept.closedNow);
            assertFalse(cancelled.closedNow);
            assertThrows(UnsupportedOperationException.class, () -> kept.registration.interest(1));
            assertThrows(IllegalArgumentException.class, () -> kept.registration.userData(128));
            IoHandle foreign = new IoHandle() {
                @Override
                public void closeNow() {
                }

                @Override
                public void ioFailed(Throwable cause) {
                }
            };
            assertThrows(IllegalArgumentException.class, () -> handler.register(foreign));
            IoRegistration registration = kept.registration;
            registration.cancel(kept::release);
            assertTrue(kept.isReleased());
        } finally {
            handler.close();
        }
    }
}
