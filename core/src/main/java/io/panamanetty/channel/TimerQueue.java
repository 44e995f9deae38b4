package io.panamanetty.channel;

import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The timers of one loop, by deadline on the loop's clock; confined to the loop's thread
 * except {@link #cancelled()}. Cancelled timers stay until they are many, then are purged
 * (one connect timeout per connection, cancelled on connect, must not keep its channel
 * reachable until its deadline).
 */
final class TimerQueue {
    private final PriorityQueue<ScheduledTask<?>> timers = new PriorityQueue<>();
    private final AtomicInteger cancelledTimers = new AtomicInteger();
    private long sequence;

    /** Adds {@code timer} on {@code loop}: at once on the loop's thread, through a task of the loop from any other. */
    <V> ScheduledTask<V> schedule(EventLoop loop, ScheduledTask<V> timer) {
        if (loop.inEventLoop()) {
            add(timer);
        } else {
            loop.execute(() -> add(timer));
        }
        return timer;
    }

    /** Adds {@code timer}; runs after the timers added before it with the same deadline. */
    void add(ScheduledTask<?> timer) {
        timer.sequence = sequence++;
        timers.add(timer);
    }

    /** A timer was cancelled (any thread); its entry is dropped at the next purge. */
    void cancelled() {
        cancelledTimers.incrementAndGet();
    }

    boolean isEmpty() {
        return timers.isEmpty();
    }

    /** The deadline of the next timer not cancelled, or {@link Long#MAX_VALUE} if none. */
    long nextDeadline() {
        ScheduledTask<?> next = head();
        return next == null ? Long.MAX_VALUE : next.deadlineNanos();
    }

    /** True if a timer not cancelled is due at {@code now}. */
    boolean hasDue(long now) {
        ScheduledTask<?> next = head();
        return next != null && next.deadlineNanos() - now <= 0;
    }

    /** The first timer, after dropping the cancelled ones before it: the loop need not wake for those. */
    private ScheduledTask<?> head() {
        ScheduledTask<?> next;
        while ((next = timers.peek()) != null && next.isCancelled()) {
            timers.poll();
            cancelledTimers.decrementAndGet();
        }
        return next;
    }

    /**
     * Runs, through {@code runner}, every timer due at {@code now}, in deadline order; timers
     * those add (periodic ones coming back included) wait for the next call, so one
     * rescheduling itself with no delay cannot keep the loop here for ever.
     */
    void runDue(long now, Consumer<Runnable> runner) {
        if (timers.isEmpty()) {
            return;
        }
        int cancelled = cancelledTimers.get();
        if (cancelled > 64 && cancelled > timers.size() / 2) {
            timers.removeIf(ScheduledTask::isCancelled);
            cancelledTimers.addAndGet(-cancelled);
        }
        long addedBefore = sequence;
        ScheduledTask<?> next;
        while ((next = timers.peek()) != null && next.deadlineNanos() - now <= 0 && next.sequence < addedBefore) {
            timers.poll();
            runner.accept(next::run);
        }
    }

    /** The loop has terminated: every timer left is cancelled, so nobody waits on it for ever. */
    void abandonAll() {
        ScheduledTask<?> timer;
        while ((timer = timers.poll()) != null) {
            timer.abandon();
        }
    }
}
