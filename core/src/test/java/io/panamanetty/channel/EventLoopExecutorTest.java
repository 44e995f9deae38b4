package io.panamanetty.channel;

import io.panamanetty.testing.IdleIoHandler;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Threaded loops and groups as {@link ScheduledExecutorService}s: results, life cycle, threads. */
@ExtendWith(LeakCheck.class)
class EventLoopExecutorTest {
    private static final long TIMEOUT_SECONDS = 30;

    @Test
    void submittedTasksRunOnTheLoopsThreadAndReturnTheirResult() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "submit")) {
            EventLoop loop = group.next();
            assertEquals(loop.name(), loop.submit(() -> Thread.currentThread().getName()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertNull(loop.submit(() -> { }).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertEquals("given", loop.submit(() -> { }, "given").get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            ExecutionException failed = assertThrows(ExecutionException.class, () -> loop.submit(() -> {
                throw new IllegalStateException("thrown on the loop");
            }).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertEquals("thrown on the loop", failed.getCause().getMessage());
            assertEquals(7, loop.schedule(() -> 7, 200, TimeUnit.MICROSECONDS).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void waitingOnTheLoopsOwnFuturesFromItsThreadThrows() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "own-wait")) {
            EventLoop loop = group.next();
            List<Class<?>> thrown = loop.submit(() -> {
                List<Class<?>> kinds = new ArrayList<>();
                ScheduledTask<?> later = loop.schedule(() -> { }, 1, TimeUnit.HOURS);
                kinds.add(thrownBy(() -> later.get()));
                kinds.add(thrownBy(() -> later.get(1, TimeUnit.SECONDS)));
                kinds.add(thrownBy(() -> loop.submit(() -> { }).get()));
                kinds.add(thrownBy(() -> loop.awaitTermination(1, TimeUnit.SECONDS)));
                kinds.add(thrownBy(() -> group.terminationFuture().sync()));
                kinds.add(thrownBy(() -> loop.invokeAll(List.of(() -> 1))));
                later.cancel();
                return kinds;
            }).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals(List.of(BlockingOperationException.class, BlockingOperationException.class,
                    BlockingOperationException.class, BlockingOperationException.class,
                    BlockingOperationException.class, BlockingOperationException.class), thrown);
        }
    }

    @Test
    void invokeAllAndInvokeAnyRunOnTheLoop() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(2, "invoke")) {
            EventLoop loop = group.next();
            List<Callable<String>> tasks = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int n = i;
                tasks.add(() -> n + "@" + Thread.currentThread().getName());
            }
            List<String> results = new ArrayList<>();
            for (Future<String> f : loop.invokeAll(tasks)) {
                assertTrue(f.isDone());
                results.add(f.get());
            }
            for (int i = 0; i < 10; i++) {
                assertEquals(i + "@" + loop.name(), results.get(i));
            }
            String any = loop.invokeAny(tasks, TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertTrue(any.endsWith("@" + loop.name()), any);
            assertEquals(10, group.invokeAll(tasks).size());
            assertTrue(group.invokeAny(tasks).contains("@invoke-"));
        }
    }

    @Test
    void periodicTasksRunUntilCancelled() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "periodic")) {
            EventLoop loop = group.next();
            CountDownLatch fiveRuns = new CountDownLatch(5);
            CountDownLatch fiveDelayedRuns = new CountDownLatch(5);
            ScheduledTask<?> rate = loop.scheduleAtFixedRate(fiveRuns::countDown, 0, 100, TimeUnit.MICROSECONDS);
            ScheduledTask<?> delay = group.scheduleWithFixedDelay(fiveDelayedRuns::countDown, 0, 1, TimeUnit.MILLISECONDS);
            assertTrue(fiveRuns.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertTrue(fiveDelayedRuns.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertTrue(rate.cancel());
            assertTrue(delay.cancel(true));
            assertTrue(rate.isCancelled() && rate.isDone());
            // A run in progress as it was cancelled ends before the next task; none follows it,
            // not even by the time a later timer has fired.
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch running = new CountDownLatch(3);
            ScheduledTask<?> ticking = loop.scheduleAtFixedRate(() -> {
                runs.incrementAndGet();
                running.countDown();
            }, 0, 100, TimeUnit.MICROSECONDS);
            assertTrue(running.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertTrue(ticking.cancel());
            loop.submit(() -> { }).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            int afterCancel = runs.get();
            loop.schedule(() -> { }, 5, TimeUnit.MILLISECONDS).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals(afterCancel, runs.get(), "a cancelled periodic task ran again");
        }
    }

    @Test
    void shutdownEndsTheLoopsAndCancelsTheirTimers() throws Exception {
        EventLoopGroup group = new EventLoopGroup(2, "shutdown");
        ScheduledTask<?> pending = group.schedule(() -> { }, 1, TimeUnit.HOURS);
        ScheduledTask<?> periodic = group.scheduleAtFixedRate(() -> { }, 0, 1, TimeUnit.MILLISECONDS);
        CountDownLatch listened = new CountDownLatch(1);
        group.terminationFuture().addListener(f -> {
            assertTrue(f.isDone());
            listened.countDown();
        });
        group.shutdown();
        assertTrue(group.isShutdown());
        assertTrue(group.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertTrue(group.isTerminated());
        for (EventLoop loop : group) {
            assertTrue(loop.isTerminated());
            assertTrue(loop.awaitTermination(0, TimeUnit.SECONDS));
            assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> { }));
            assertThrows(RejectedExecutionException.class, () -> loop.schedule(() -> { }, 1, TimeUnit.SECONDS));
        }
        assertTrue(pending.isCancelled());
        assertTrue(periodic.isCancelled());
        assertTrue(listened.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertTrue(group.terminationFuture().toCompletableFuture().isDone());
        assertEquals(List.of(), group.shutdownNow());
        group.close();
    }

    @Test
    void shutdownGracefullyReturnsAFutureToSyncOn() throws Exception {
        EventLoopGroup group = new EventLoopGroup(1, "graceful");
        TerminationFuture terminated = group.shutdownGracefully(0, 10, TimeUnit.SECONDS);
        assertSame(terminated, terminated.sync());
        assertTrue(terminated.isSuccess());
        assertTrue(terminated.await(0, TimeUnit.SECONDS));
        assertFalse(terminated.cancel(true));
        group.close();
    }

    @Test
    void theDaemonChoiceIsTheLoopThreads() throws Exception {
        try (EventLoopGroup daemons = new EventLoopGroup(1, "daemons", true);
             EventLoopGroup users = new EventLoopGroup(1, "users", false)) {
            assertTrue(daemons.submit(() -> Thread.currentThread().isDaemon()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertFalse(users.submit(() -> Thread.currentThread().isDaemon()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertEquals("daemons-0", daemons.submit(() -> Thread.currentThread().getName()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void aThreadFactoryMakesTheLoopsThreads() throws Exception {
        AtomicInteger made = new AtomicInteger();
        ThreadFactory factory = body -> {
            Thread thread = new Thread(body, "custom-" + made.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
        try (EventLoopGroup group = new EventLoopGroup(2, factory)) {
            assertEquals(2, made.get());
            Set<String> names = new HashSet<>();
            for (EventLoop loop : group) {
                names.add(loop.submit(() -> {
                    assertTrue(loop.inEventLoop());
                    assertTrue(Thread.currentThread().isDaemon());
                    return Thread.currentThread().getName();
                }).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            assertEquals(Set.of("custom-0", "custom-1"), names);
        }
    }

    @Test
    void aThreadFactoryThatMakesNoThreadIsRefused() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> new EventLoopGroup(2, body -> null));
        assertTrue(refused.getMessage().contains("no thread"), refused.getMessage());
    }

    @Test
    void aGroupIteratesItsLoopsAndNextGoesRoundThem() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(3, "round")) {
            List<EventLoop> iterated = new ArrayList<>();
            group.forEach(iterated::add);
            assertEquals(group.loops(), iterated);
            assertEquals(3, new HashSet<>(iterated).size());
            for (EventLoop loop : iterated) {
                assertSame(group, loop.parent());
            }
            EventLoop first = group.next();
            int start = iterated.indexOf(first);
            for (int i = 1; i < 7; i++) {
                assertSame(iterated.get((start + i) % 3), group.next());
            }
            String ranOn = group.submit(() -> Thread.currentThread().getName()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals(iterated.get((start + 7) % 3).name(), ranOn, "the group hands tasks to next()");
            CountDownLatch executed = new CountDownLatch(1);
            group.execute(executed::countDown);
            assertTrue(executed.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void closingALoopFromItsOwnThreadOnlyStartsTheShutdown() throws Exception {
        EventLoopGroup group = new EventLoopGroup(1, "self-close");
        EventLoop loop = group.next();
        loop.submit(loop::close).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertTrue(group.terminationFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(TerminationFuture.class, loop.terminationFuture().syncUninterruptibly());
        group.close();
    }

    @Test
    void aMultiplexerFailingEveryTurnStillLetsTheShutdownEndAtItsDeadline() throws Exception {
        BrokenIoHandler handler = new BrokenIoHandler();
        EventLoopGroup group = new EventLoopGroup(1, "broken-poll", () -> handler);
        assertEquals(1, group.next().submit(() -> 1).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        handler.broken = true;
        group.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS);
        handler.wakeup();
        assertTrue(group.terminationFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                "a loop whose poll throws on every turn never finished its shutdown");
        assertTrue(handler.failedPolls.get() > 0);
        assertTrue(handler.isClosed());
        group.close();
    }

    /** An idle handler whose poll throws on every call once broken. */
    private static final class BrokenIoHandler extends IdleIoHandler {
        private final AtomicInteger failedPolls = new AtomicInteger();
        private volatile boolean broken;

        @Override
        public boolean poll(long timeoutNanos) throws java.io.IOException {
            if (broken) {
                failedPolls.incrementAndGet();
                throw new java.io.IOException("the multiplexer is gone");
            }
            return super.poll(timeoutNanos);
        }
    }

    /** The class of what {@code action} throws, or null. */
    private static Class<?> thrownBy(Callable<?> action) {
        try {
            action.call();
            return null;
        } catch (Exception e) {
            return e.getClass();
        }
    }
}
