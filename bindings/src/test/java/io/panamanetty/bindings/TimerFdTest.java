package io.panamanetty.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** timerfd expiries seen through epoll. No assertion depends on how long anything took. */
@ExtendWith(NoFdLeaks.class)
@Timeout(60)
class TimerFdTest {
    private static final int FLAGS = TimerFd.TFD_NONBLOCK | TimerFd.TFD_CLOEXEC;
    private static final long MILLI = 1_000_000L;

    @Test
    void anArmedTimerBecomesReadableAndCountsOneExpiration() {
        try (FdScope fds = new FdScope(); Poller poller = new Poller()) {
            int timer = fds.add(TimerFd.create(TimerFd.CLOCK_MONOTONIC, FLAGS));
            assertEquals(-Errno.EAGAIN, TimerFd.expirations(timer), "not armed yet");
            poller.add(timer, Epoll.EPOLLIN);

            assertEquals(0, TimerFd.arm(timer, 50 * MILLI));
            assertEquals(Epoll.EPOLLIN, poller.await(timer, Epoll.EPOLLIN));
            assertEquals(1, TimerFd.expirations(timer));
            assertEquals(-Errno.EAGAIN, TimerFd.expirations(timer), "one-shot");
            assertEquals(0, poller.poll(timer, 0), "no longer readable");
        }
    }

    @Test
    void aDelayOfZeroOrLessFiresAtOnce() {
        try (FdScope fds = new FdScope(); Poller poller = new Poller()) {
            int timer = fds.add(TimerFd.create(TimerFd.CLOCK_MONOTONIC, FLAGS));
            poller.add(timer, Epoll.EPOLLIN);
            assertEquals(0, TimerFd.arm(timer, 0));
            poller.await(timer, Epoll.EPOLLIN);
            assertEquals(1, TimerFd.expirations(timer));
            assertEquals(0, TimerFd.arm(timer, -5));
            poller.await(timer, Epoll.EPOLLIN);
            assertEquals(1, TimerFd.expirations(timer));
        }
    }

    @Test
    void armingAgainReplacesTheDeadline() {
        try (FdScope fds = new FdScope(); Poller poller = new Poller()) {
            int timer = fds.add(TimerFd.create(TimerFd.CLOCK_MONOTONIC, FLAGS));
            poller.add(timer, Epoll.EPOLLIN);
            assertEquals(0, TimerFd.arm(timer, 3_600_000 * MILLI));
            assertEquals(0, TimerFd.arm(timer, 20 * MILLI));
            poller.await(timer, Epoll.EPOLLIN);
            assertEquals(1, TimerFd.expirations(timer));
        }
    }

    @Test
    void longMaxValueDisarms() {
        try (FdScope fds = new FdScope(); Poller poller = new Poller(); Arena arena = Arena.ofConfined()) {
            int timer = fds.add(TimerFd.create(TimerFd.CLOCK_MONOTONIC, FLAGS));
            poller.add(timer, Epoll.EPOLLIN);
            MemorySegment spec = arena.allocate(TimerFd.ITIMERSPEC);
            MemorySegment old = arena.allocate(TimerFd.ITIMERSPEC);

            // Armed an hour ahead: settime hands back the time left.
            assertEquals(0, TimerFd.arm(timer, 3_600_000 * MILLI));
            spec.set(ValueLayout.JAVA_LONG, TimerFd.VALUE_OFFSET, 3_600);
            assertEquals(0, TimerFd.setTime(timer, 0, spec, old));
            long leftSeconds = old.get(ValueLayout.JAVA_LONG, TimerFd.VALUE_OFFSET);
            long leftNanos = old.get(ValueLayout.JAVA_LONG, TimerFd.VALUE_OFFSET + 8);
            assertTrue(leftSeconds > 0 || leftNanos > 0, "armed");
            assertTrue(leftSeconds <= 3_600 && leftNanos < 1_000_000_000L, leftSeconds + " s " + leftNanos + " ns");

            assertEquals(0, TimerFd.arm(timer, Long.MAX_VALUE));
            spec.fill((byte) 0);
            old.fill((byte) 0x55);
            assertEquals(0, TimerFd.setTime(timer, 0, spec, old));
            assertEquals(0, old.get(ValueLayout.JAVA_LONG, TimerFd.VALUE_OFFSET), "disarmed: it_value.tv_sec");
            assertEquals(0, old.get(ValueLayout.JAVA_LONG, TimerFd.VALUE_OFFSET + 8), "disarmed: it_value.tv_nsec");
            assertEquals(0, old.get(ValueLayout.JAVA_LONG, TimerFd.INTERVAL_OFFSET), "one-shot: it_interval");

            // A timer disarmed before it fires never does.
            assertEquals(0, TimerFd.arm(timer, 300 * MILLI));
            assertEquals(0, TimerFd.arm(timer, Long.MAX_VALUE));
            assertEquals(0, poller.poll(timer, 500));
            assertEquals(-Errno.EAGAIN, TimerFd.expirations(timer));
        }
    }

    @Test
    void badArgumentsAreRejected() {
        try (FdScope fds = new FdScope(); Arena arena = Arena.ofConfined()) {
            assertEquals(-Errno.EINVAL, TimerFd.create(12345, FLAGS));
            int timer = fds.add(TimerFd.create(TimerFd.CLOCK_MONOTONIC, FLAGS));
            MemorySegment spec = arena.allocate(TimerFd.ITIMERSPEC);
            spec.set(ValueLayout.JAVA_LONG, TimerFd.VALUE_OFFSET + 8, 1_000_000_000L);   // tv_nsec too large
            assertEquals(-Errno.EINVAL, TimerFd.setTime(timer, 0, spec, MemorySegment.NULL));
            int notATimer = fds.add(EventFd.create(0, EventFd.EFD_NONBLOCK | EventFd.EFD_CLOEXEC));
            assertEquals(-Errno.EINVAL, TimerFd.arm(notATimer, MILLI));
        }
    }
}
