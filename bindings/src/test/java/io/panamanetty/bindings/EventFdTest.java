package io.panamanetty.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** eventfd as the wake-up of an event loop blocked in {@code epoll_wait}. */
@ExtendWith(NoFdLeaks.class)
@Timeout(60)
class EventFdTest {
    private static final int FLAGS = EventFd.EFD_NONBLOCK | EventFd.EFD_CLOEXEC;
    private static final long WAKE_UP_TAG = 0x5eed_cafe_f00dL;

    @Test
    void takeReturnsTheSumOfTheAddsThenEagain() {
        try (FdScope fds = new FdScope()) {
            int fd = fds.add(EventFd.create(0, FLAGS));
            assertEquals(-Errno.EAGAIN, EventFd.take(fd), "nothing added yet");
            assertEquals(8, EventFd.add(fd, 1));
            assertEquals(8, EventFd.add(fd, 2));
            assertEquals(8, EventFd.add(fd, 39));
            assertEquals(42, EventFd.take(fd));
            assertEquals(-Errno.EAGAIN, EventFd.take(fd));

            assertEquals(8, EventFd.add(fd, 1L << 40));
            assertEquals(1L << 40, EventFd.take(fd));
        }
    }

    @Test
    void initialValueAndSemaphoreMode() {
        try (FdScope fds = new FdScope()) {
            int counter = fds.add(EventFd.create(5, FLAGS));
            assertEquals(5, EventFd.take(counter));
            assertEquals(-Errno.EAGAIN, EventFd.take(counter));

            int semaphore = fds.add(EventFd.create(3, FLAGS | EventFd.EFD_SEMAPHORE));
            for (int i = 0; i < 3; i++) {
                assertEquals(1, EventFd.take(semaphore), "take " + i);
            }
            assertEquals(-Errno.EAGAIN, EventFd.take(semaphore));
        }
    }

    @Test
    void addingTheLargestValueIsRejected() {
        try (FdScope fds = new FdScope()) {
            int fd = fds.add(EventFd.create(0, FLAGS));
            // 0xffffffffffffffff is reserved: the kernel refuses to add it.
            assertEquals(-Errno.EINVAL, EventFd.add(fd, -1L));
            assertEquals(-Errno.EAGAIN, EventFd.take(fd));
        }
    }

    @Test
    void anotherThreadsAddWakesAThreadBlockedInEpollWait() throws Exception {
        try (FdScope fds = new FdScope(); Poller poller = new Poller(); Arena arena = Arena.ofShared()) {
            int fd = fds.add(EventFd.create(0, FLAGS));
            assertEquals(0, Epoll.ctl(poller.epfd, Epoll.EPOLL_CTL_ADD, fd, Epoll.EPOLLIN, WAKE_UP_TAG));
            MemorySegment events = arena.allocate(Epoll.EPOLL_EVENT, 4);
            assertEquals(0, Epoll.wait(poller.epfd, events.address(), 4, 0), "nothing to report yet");

            CountDownLatch aboutToWait = new CountDownLatch(1);
            AtomicInteger ready = new AtomicInteger(Integer.MIN_VALUE);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread waiter = Thread.ofPlatform().name("epoll-waiter").start(() -> {
                try {
                    aboutToWait.countDown();
                    int result;
                    int waits = 0;
                    do {   // bounded; retried only if a signal interrupts the wait
                        result = Epoll.wait(poller.epfd, events.address(), 4, 20_000);
                    } while (result == -Errno.EINTR && ++waits < 10);
                    ready.set(result);
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            assertTrue(aboutToWait.await(10, TimeUnit.SECONDS), "waiter started");
            Thread.sleep(50);   // let it block in epoll_wait; the test holds either way

            assertEquals(8, EventFd.add(fd, 1));
            waiter.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(waiter.isAlive(), "the waiter is still blocked in epoll_wait");
            assertNull(failure.get());

            assertEquals(1, ready.get(), "ready events");
            assertEquals(WAKE_UP_TAG, Epoll.data(events, 0));
            assertEquals(Epoll.EPOLLIN, Epoll.events(events, 0));
            assertEquals(1, EventFd.take(fd));
            assertEquals(0, Epoll.wait(poller.epfd, events, 4, 0), "drained");
        }
    }

    @Test
    void addsFromSeveralThreadsAllCount() throws Exception {
        int threads = 4;
        int addsPerThread = 1000;
        try (FdScope fds = new FdScope()) {
            int fd = fds.add(EventFd.create(0, FLAGS));
            AtomicInteger failedAdds = new AtomicInteger();
            Thread[] adders = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                adders[t] = Thread.ofPlatform().name("adder-" + t).start(() -> {
                    for (int i = 0; i < addsPerThread; i++) {
                        if (EventFd.add(fd, 1) != 8) {
                            failedAdds.incrementAndGet();
                        }
                    }
                });
            }
            for (Thread adder : adders) {
                adder.join(TimeUnit.SECONDS.toMillis(30));
                assertFalse(adder.isAlive(), adder.getName() + " still running");
            }
            assertEquals(0, failedAdds.get());
            assertEquals((long) threads * addsPerThread, EventFd.take(fd));
        }
    }
}
