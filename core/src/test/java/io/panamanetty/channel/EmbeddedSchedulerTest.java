package io.panamanetty.channel;

import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loop's scheduler on the embedded loop's clock: order, counts, cancellation, periodic semantics, results. */
@ExtendWith(LeakCheck.class)
class EmbeddedSchedulerTest {
    private final EmbeddedEventLoop loop = new EmbeddedEventLoop();

    @AfterEach
    void shutDown() {
        loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }

    @Test
    void timersRunByDeadlineAndEqualDeadlinesInTheOrderTheyWereScheduled() {
        List<String> ran = new ArrayList<>();
        loop.schedule(() -> ran.add("c"), 20, TimeUnit.MILLISECONDS);
        loop.schedule(() -> ran.add("a"), 10, TimeUnit.MILLISECONDS);
        loop.schedule(() -> ran.add("b"), 10_000, TimeUnit.MICROSECONDS);
        loop.schedule(() -> ran.add("d"), 20, TimeUnit.MILLISECONDS);
        loop.schedule(() -> ran.add("first"), 9_999_999, TimeUnit.NANOSECONDS);
        loop.advanceTimeBy(9_999_998, TimeUnit.NANOSECONDS);
        assertEquals(List.of(), ran, "nothing is due yet");
        loop.advanceTimeBy(20, TimeUnit.MILLISECONDS);
        assertEquals(List.of("first", "a", "b", "c", "d"), ran);
    }

    @Test
    void aCallablesResultComesThroughGet() throws Exception {
        ScheduledTask<Integer> answer = loop.schedule(() -> 42, 5, TimeUnit.MILLISECONDS);
        assertFalse(answer.isDone());
        assertFalse(answer.isPeriodic());
        assertThrows(BlockingOperationException.class, answer::get, "only this thread can run it: waiting would deadlock");
        AtomicReference<Object> seenElsewhere = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                seenElsewhere.set(answer.get(30, TimeUnit.SECONDS));
            } catch (Exception e) {
                seenElsewhere.set(e);
            }
        }, "waiter");
        waiter.start();
        loop.advanceTimeBy(5, TimeUnit.MILLISECONDS);
        waiter.join();
        assertTrue(answer.isDone());
        assertEquals(42, answer.get());
        assertEquals(42, seenElsewhere.get(), "another thread waited for it");
    }

    @Test
    void getDelayFollowsTheLoopsClock() {
        ScheduledTask<?> task = loop.schedule(() -> { }, 10, TimeUnit.MILLISECONDS);
        loop.advanceTimeBy(4, TimeUnit.MILLISECONDS);
        assertEquals(6_000, task.getDelay(TimeUnit.MICROSECONDS));
        ScheduledTask<?> later = loop.schedule(() -> { }, 1, TimeUnit.SECONDS);
        assertTrue(task.compareTo(later) < 0);
        assertTrue(later.compareTo(task) > 0);
    }

    @Test
    void cancellingBeforeItRunsKeepsItFromRunning() {
        AtomicInteger runs = new AtomicInteger();
        ScheduledTask<?> task = loop.schedule(runs::incrementAndGet, 10, TimeUnit.MILLISECONDS);
        assertTrue(task.cancel(), "the no-argument form callers already use");
        assertFalse(task.cancel(true), "cancelled already");
        loop.advanceTimeBy(1, TimeUnit.HOURS);
        assertEquals(0, runs.get());
        assertTrue(task.isCancelled());
        assertTrue(task.isDone());
        assertThrows(CancellationException.class, task::get);
    }

    @Test
    void cancellingAfterItRanFailsAndKeepsTheResult() throws Exception {
        ScheduledTask<String> task = loop.schedule(() -> "done", 1, TimeUnit.MILLISECONDS);
        loop.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        assertFalse(task.cancel(false));
        assertFalse(task.isCancelled());
        assertEquals("done", task.get());
    }

    @Test
    void aOneShotTaskCannotCancelItselfOnceRunning() {
        AtomicReference<ScheduledTask<?>> self = new AtomicReference<>();
        AtomicReference<Boolean> cancelled = new AtomicReference<>();
        self.set(loop.schedule(() -> cancelled.set(self.get().cancel()), 1, TimeUnit.MILLISECONDS));
        loop.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        assertFalse(cancelled.get());
        assertTrue(self.get().isDone());
        assertFalse(self.get().isCancelled());
    }

    @Test
    void fixedRateRunsEveryPeriodAndCatchesUpMissedRuns() {
        AtomicInteger runs = new AtomicInteger();
        ScheduledTask<?> task = loop.scheduleAtFixedRate(runs::incrementAndGet, 10, 10, TimeUnit.MILLISECONDS);
        assertTrue(task.isPeriodic());
        loop.advanceTimeBy(9, TimeUnit.MILLISECONDS);
        assertEquals(0, runs.get());
        loop.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        assertEquals(1, runs.get());
        loop.advanceTimeBy(25, TimeUnit.MILLISECONDS);   // at 35 ms: the runs due at 20 and 30 ms
        assertEquals(3, runs.get());
        assertEquals(5, task.getDelay(TimeUnit.MILLISECONDS), "the next run stays on the 10 ms grid");
        loop.advanceTimeBy(1_000, TimeUnit.MILLISECONDS);
        assertEquals(103, runs.get(), "a late loop runs every missed period");
        assertFalse(task.isDone());
    }

    @Test
    void aLongAdvanceRunsEveryMissedPeriodHoweverMany() {
        AtomicInteger runs = new AtomicInteger();
        loop.scheduleAtFixedRate(runs::incrementAndGet, 1, 1, TimeUnit.MILLISECONDS);
        loop.advanceTimeBy(5, TimeUnit.MINUTES);
        assertEquals(300_000, runs.get());
    }

    @Test
    void fixedDelayCountsFromTheEndOfTheLastRun() {
        AtomicInteger runs = new AtomicInteger();
        ScheduledTask<?> task = loop.scheduleWithFixedDelay(runs::incrementAndGet, 10, 10, TimeUnit.MILLISECONDS);
        loop.advanceTimeBy(35, TimeUnit.MILLISECONDS);   // late: one run at 35 ms, the next due at 45 ms
        assertEquals(1, runs.get());
        assertEquals(10, task.getDelay(TimeUnit.MILLISECONDS));
        loop.advanceTimeBy(9, TimeUnit.MILLISECONDS);
        assertEquals(1, runs.get());
        loop.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        assertEquals(2, runs.get());
        loop.advanceTimeBy(1_000, TimeUnit.MILLISECONDS);
        assertEquals(3, runs.get(), "a late loop does not catch up with fixed delays");
    }

    @Test
    void fixedDelayCountsTheTimeARunTakes() {
        List<Long> startedAt = new ArrayList<>();
        long origin = loop.nanoTime();
        loop.scheduleWithFixedDelay(() -> {
            startedAt.add(TimeUnit.NANOSECONDS.toMillis(loop.nanoTime() - origin));
            loop.advanceTimeBy(3, TimeUnit.MILLISECONDS);   // this run takes 3 ms of the loop's clock
        }, 10, 10, TimeUnit.MILLISECONDS);
        for (int i = 0; i < 10; i++) {
            loop.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        }
        assertEquals(List.of(10L), startedAt);
        loop.advanceTimeBy(10, TimeUnit.MILLISECONDS);   // 13 + 10
        loop.advanceTimeBy(10, TimeUnit.MILLISECONDS);   // 26 + 10
        assertEquals(List.of(10L, 23L, 36L), startedAt);
    }

    @Test
    void aPeriodicTaskStopsWhenCancelledFromInside() {
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<ScheduledTask<?>> self = new AtomicReference<>();
        self.set(loop.scheduleAtFixedRate(() -> {
            if (runs.incrementAndGet() == 3) {
                assertTrue(self.get().cancel());
            }
        }, 0, 1, TimeUnit.MILLISECONDS));
        loop.advanceTimeBy(100, TimeUnit.MILLISECONDS);
        assertEquals(3, runs.get());
        assertTrue(self.get().isCancelled());
        assertEquals(-1, loop.nanosToNextTimer(), "nothing is left scheduled");
    }

    @Test
    void aPeriodicTaskStopsAtItsFirstExceptionAndReportsIt() {
        AtomicInteger runs = new AtomicInteger();
        IllegalStateException failure = new IllegalStateException("second run fails");
        ScheduledTask<?> task = loop.scheduleAtFixedRate(() -> {
            if (runs.incrementAndGet() == 2) {
                throw failure;
            }
        }, 1, 1, TimeUnit.MILLISECONDS);
        loop.advanceTimeBy(100, TimeUnit.MILLISECONDS);
        assertEquals(2, runs.get());
        assertTrue(task.isDone());
        assertFalse(task.isCancelled());
        ExecutionException reported = assertThrows(ExecutionException.class, task::get);
        assertSame(failure, reported.getCause());
    }

    @Test
    void submittedTasksRunWithThePendingTasksAndReportThroughTheirFuture() throws Exception {
        Future<String> result = loop.submit(() -> "ran");
        Future<?> failing = loop.submit(() -> {
            throw new UnsupportedOperationException("no");
        });
        Future<?> cancelled = loop.submit(() -> fail());
        assertTrue(cancelled.cancel(false));
        assertThrows(BlockingOperationException.class, result::get, "pending on this loop's own thread");
        loop.runPendingTasks();
        assertEquals("ran", result.get());
        assertEquals(UnsupportedOperationException.class,
                assertThrows(ExecutionException.class, failing::get).getCause().getClass());
        assertThrows(CancellationException.class, cancelled::get);
    }

    @Test
    void shuttingDownCancelsTimersNotYetDueAndRefusesNewOnes() {
        ScheduledTask<?> pending = loop.schedule(() -> { }, 1, TimeUnit.HOURS);
        ScheduledTask<?> periodic = loop.scheduleAtFixedRate(() -> { }, 0, 1, TimeUnit.SECONDS);
        loop.shutdown();
        assertTrue(loop.isShutdown());
        assertTrue(loop.isTerminated());
        assertTrue(pending.isCancelled());
        assertTrue(periodic.isCancelled());
        assertThrows(RejectedExecutionException.class, () -> loop.schedule(() -> { }, 1, TimeUnit.SECONDS));
        assertThrows(RejectedExecutionException.class, () -> loop.submit(() -> { }));
    }

    @Test
    void periodsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> loop.scheduleAtFixedRate(() -> { }, 0, 0, TimeUnit.SECONDS));
        assertThrows(IllegalArgumentException.class, () -> loop.scheduleWithFixedDelay(() -> { }, 0, -1, TimeUnit.SECONDS));
    }

    private static void fail() {
        throw new AssertionError("a cancelled task ran");
    }
}
