package io.panamanetty.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The nanosecond waits: {@code epoll_pwait2}, and the {@code epoll_wait} fallback called
 * directly. No assertion depends on how long anything took.
 */
@ExtendWith(NoFdLeaks.class)
@Timeout(60)
class EpollPreciseWaitTest {
    private static final int MAX_EVENTS = 8;
    private static final long GENEROUS_NANOS = 10_000_000_000L;
    private static final long READY_DATA = 0x7e57_da7aL;

    /** One of the three waits, as the tests call it. */
    private interface Wait {
        int call(int epfd, long eventsAddress, int maxEvents, long timeoutNanos);
    }

    @Test
    void pwait2ReportsReadyEventsAndTimesOutBelowAMillisecond() {
        int ready = check(Epoll::pwait2);
        assertTrue(ready == 1 || ready == -Errno.ENOSYS, "epoll_pwait2: " + ready);
        if (ready == -Errno.ENOSYS) {   // a kernel before 5.11: the next precise wait gives up on it
            try (FdScope fds = new FdScope()) {
                int epfd = fds.add(Epoll.create(Epoll.EPOLL_CLOEXEC));
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment events = arena.allocate(Epoll.EPOLL_EVENT, MAX_EVENTS);
                    assertEquals(0, Epoll.waitNanos(epfd, events.address(), MAX_EVENTS, 0));
                }
            }
            assertFalse(Epoll.hasPreciseWait());
        }
    }

    @Test
    void theMillisecondFallbackReportsReadyEventsAndTimesOut() {
        assertEquals(1, check(Epoll::waitRoundedToMillis));
    }

    @Test
    void theChosenWaitReportsReadyEventsAndTimesOut() {
        assertEquals(1, check(Epoll::waitNanos));
    }

    @Test
    void aBadDescriptorIsReportedAsEbadf() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = arena.allocate(Epoll.EPOLL_EVENT, MAX_EVENTS);
            int pwait2 = Epoll.pwait2(-1, events.address(), MAX_EVENTS, 1_000);
            assertTrue(pwait2 == -Errno.EBADF || pwait2 == -Errno.ENOSYS, "epoll_pwait2: " + pwait2);
            assertEquals(-Errno.EBADF, Epoll.waitRoundedToMillis(-1, events.address(), MAX_EVENTS, 1_000));
        }
    }

    /**
     * Runs {@code wait} against an empty epoll set with timeouts of 0 and 50 µs (both must
     * return 0), then with an eventfd made ready and no limit, and with a generous timeout;
     * returns what the last call returned (1 for the one ready event), or the first error.
     */
    private static int check(Wait wait) {
        try (FdScope fds = new FdScope(); Arena arena = Arena.ofConfined()) {
            int epfd = fds.add(Epoll.create(Epoll.EPOLL_CLOEXEC));
            int eventFd = fds.add(EventFd.create(0, EventFd.EFD_NONBLOCK | EventFd.EFD_CLOEXEC));
            assertEquals(0, Epoll.ctl(epfd, Epoll.EPOLL_CTL_ADD, eventFd, Epoll.EPOLLIN, READY_DATA));
            MemorySegment events = arena.allocate(Epoll.EPOLL_EVENT, MAX_EVENTS);
            long address = events.address();
            int none = wait.call(epfd, address, MAX_EVENTS, 0);
            if (none < 0) {
                return none;
            }
            assertEquals(0, none, "nothing is ready");
            assertEquals(0, wait.call(epfd, address, MAX_EVENTS, 50_000), "nothing is ready within 50 µs");
            assertEquals(8, EventFd.add(eventFd, 1));
            assertEquals(1, wait.call(epfd, address, MAX_EVENTS, -1), "no limit, one ready");
            assertEquals(READY_DATA, Epoll.data(events, 0));
            assertEquals(Epoll.EPOLLIN, Epoll.events(events, 0));
            return wait.call(epfd, address, MAX_EVENTS, GENEROUS_NANOS);
        }
    }
}
