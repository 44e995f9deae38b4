package io.panamanetty.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An epoll instance for one test, with its own event array. Every registration
 * carries the descriptor itself as {@code data}. Every wait is bounded: in time
 * ({@link #TIMEOUT_MILLIS}) and in the number of {@code epoll_wait} calls.
 */
final class Poller implements AutoCloseable {
    /** How long {@link #await} waits before failing: generous, as CI machines can stall. */
    static final long TIMEOUT_MILLIS = 10_000;
    private static final int MAX_EVENTS = 16;
    private static final int SLICE_MILLIS = 100;
    private static final int MAX_WAITS = 100_000;

    final int epfd;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment events = arena.allocate(Epoll.EPOLL_EVENT, MAX_EVENTS);

    Poller() {
        int fd = Epoll.create(Epoll.EPOLL_CLOEXEC);
        if (fd < 0) {
            arena.close();
            fail("epoll_create1 failed: " + Errno.symbol(-fd));
        }
        epfd = fd;
    }

    /** Registers {@code fd} for {@code interest}. */
    void add(int fd, int interest) {
        assertEquals(0, Epoll.ctl(epfd, Epoll.EPOLL_CTL_ADD, fd, interest, fd), "epoll_ctl ADD " + fd);
    }

    /** Changes the interest of the registered {@code fd}. */
    void modify(int fd, int interest) {
        assertEquals(0, Epoll.ctl(epfd, Epoll.EPOLL_CTL_MOD, fd, interest, fd), "epoll_ctl MOD " + fd);
    }

    /** Unregisters {@code fd}. */
    void remove(int fd) {
        assertEquals(0, Epoll.ctl(epfd, Epoll.EPOLL_CTL_DEL, fd, 0, 0), "epoll_ctl DEL " + fd);
    }

    /**
     * Calls {@code epoll_wait} once and returns the events reported for {@code fd},
     * or 0 if it was not among the ready descriptors.
     */
    int poll(int fd, int timeoutMillis) {
        int ready = Epoll.wait(epfd, events, MAX_EVENTS, timeoutMillis);
        if (ready == -Errno.EINTR) {
            return 0;
        }
        assertTrue(ready >= 0, () -> "epoll_wait failed: " + Errno.symbol(-ready));
        for (int i = 0; i < ready; i++) {
            if (Epoll.data(events, i) == fd) {
                return Epoll.events(events, i);
            }
        }
        return 0;
    }

    /**
     * Waits until {@code fd} reports one of the events of {@code mask} and returns
     * all the events it reported; fails after {@link #TIMEOUT_MILLIS}.
     */
    int await(int fd, int mask) {
        long deadline = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000;
        for (int waits = 0; waits < MAX_WAITS && System.nanoTime() - deadline < 0; waits++) {
            int ready = poll(fd, SLICE_MILLIS);
            if ((ready & mask) != 0) {
                return ready;
            }
        }
        return fail("fd " + fd + " reported none of the events 0x" + Integer.toHexString(mask)
                + " within " + TIMEOUT_MILLIS + " ms");
    }

    @Override
    public void close() {
        try {
            assertEquals(0, FileIo.close(epfd), "close epoll fd");
        } finally {
            arena.close();
        }
    }
}
