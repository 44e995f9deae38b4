package io.panamanetty.transport.uring;

import io.panamanetty.bindings.IoUring;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.JulCapture;
import io.panamanetty.channel.ScheduledTask;
import io.panamanetty.channel.internal.LoopInternals;
import io.panamanetty.channel.internal.Transports;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Event loops on {@link IoUringIoHandler}: tasks from other threads wake the ring's wait,
 * scheduled tasks run through its timeouts, shutdown leaves nothing behind.
 */
@ExtendWith(LeakCheck.class)
@Timeout(120)
class IoUringIoHandlerTest {
    private static final long TIMEOUT_SECONDS = 30;

    @BeforeAll
    static void ioUringWorksHere() {
        IoUringRequired.check();
    }

    private static EventLoopGroup group(int threads, String name) {
        return new EventLoopGroup(threads, name, new IoUringIoHandlerFactory());
    }

    @Test
    void theLoopRunsOnARingWithSingleIssuerAndDeferredTaskRun() throws Exception {
        assertNull(IoUringIoHandlerFactory.unavailableReason());
        try (EventLoopGroup group = group(1, "uring-flags")) {
            assertNotNull(Transports.tcp(group), "io_uring loops make TCP channels");
            int expected = IoUring.IORING_SETUP_SINGLE_ISSUER | IoUring.IORING_SETUP_DEFER_TASKRUN;
            EventLoop loop = group.next();
            int flags = loop.submit(() -> ((IoUringIoHandler) LoopInternals.access().ioHandler(loop)).setupFlags())
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals(expected, flags & expected, "this kernel (6.1+) has both");
        }
    }

    @Test
    void tasksFromOtherThreadsWakeTheWaitingLoop() throws Exception {
        try (EventLoopGroup group = group(1, "uring-tasks")) {
            EventLoop loop = group.next();
            assertEquals(loop.name(), loop.submit(() -> Thread.currentThread().getName())
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            // One at a time: the loop goes back to waiting in io_uring_enter between them.
            for (int i = 0; i < 200; i++) {
                int n = i;
                assertEquals(n, loop.submit(() -> n).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            // Many at once, from several threads.
            ExecutorService submitters = Executors.newFixedThreadPool(4);
            try {
                AtomicInteger ran = new AtomicInteger();
                List<Future<?>> sent = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    sent.add(submitters.submit(() -> {
                        for (int i = 0; i < 1000; i++) {
                            loop.execute(ran::incrementAndGet);
                        }
                    }));
                }
                for (Future<?> future : sent) {
                    future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                }
                loop.submit(() -> { }).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertEquals(4000, ran.get());
            } finally {
                submitters.shutdownNow();
                assertTrue(submitters.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void scheduledTasksRunInDeadlineOrder() throws Exception {
        try (JulCapture log = new JulCapture(); EventLoopGroup group = group(1, "uring-timers")) {
            EventLoop loop = group.next();
            List<String> order = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch done = new CountDownLatch(4);
            ScheduledTask<?> never = loop.schedule(() -> order.add("never"), 1, TimeUnit.HOURS);
            loop.schedule(() -> { order.add("900ms"); done.countDown(); }, 900, TimeUnit.MILLISECONDS);
            // Scheduled after the loop armed its timeout for the 900 ms task: moves it earlier.
            // (The gaps are wide: this thread stalling between two schedule calls for longer than
            // a gap would let a task fall due before the next one is scheduled.)
            loop.submit(() -> { }).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            loop.schedule(() -> { order.add("200ms"); done.countDown(); }, 200, TimeUnit.MILLISECONDS);
            loop.schedule(() -> { order.add("500ms"); done.countDown(); }, 500, TimeUnit.MILLISECONDS);
            loop.schedule(() -> { order.add("0ms"); done.countDown(); }, 0, TimeUnit.MILLISECONDS);
            assertTrue(done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "ran: " + order);
            assertEquals(List.of("0ms", "200ms", "500ms", "900ms"), order);
            assertTrue(never.cancel());
            assertEquals(7, loop.schedule(() -> 7, 5, TimeUnit.MILLISECONDS).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertFalse(log.text().contains("moving the poll timeout"), log.text());
        }
    }

    @Test
    void periodicTasksKeepFiring() throws Exception {
        try (EventLoopGroup group = group(1, "uring-periodic")) {
            CountDownLatch ticks = new CountDownLatch(10);
            ScheduledTask<?> ticking = group.next().scheduleAtFixedRate(ticks::countDown, 1, 2, TimeUnit.MILLISECONDS);
            assertTrue(ticks.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "ticks left: " + ticks.getCount());
            assertTrue(ticking.cancel());
        }
    }

    @Test
    void groupsStartAndStopRepeatedlyLeavingNothingOpen() throws Exception {
        for (int i = 0; i < 20; i++) {
            EventLoopGroup group = group(2, "uring-cycle");
            assertEquals(2, group.loops().size());
            for (EventLoop loop : group.loops()) {
                loop.schedule(() -> { }, 1, TimeUnit.HOURS);   // a timeout in flight at shutdown
                loop.submit(() -> { }).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            group.close();
            assertTrue(group.isTerminated());
            assertFalse(group.loops().get(0).inEventLoop());
        }
    }
}
