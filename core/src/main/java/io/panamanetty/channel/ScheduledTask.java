package io.panamanetty.channel;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A task scheduled on an {@link EventLoop} to run after a delay, once or periodically,
 * and its future. Cancelling it keeps it from running again (a one-shot task that has
 * started cannot be cancelled); a periodic task also stops at its first exception, which
 * {@link #get()} then reports. Waiting for it on its own loop's thread throws
 * {@link BlockingOperationException}, as a channel future does.
 *
 * <pre>{@code
 * ScheduledTask<?> tick = ctx.eventLoop().scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
 * ...
 * tick.cancel();
 * }</pre>
 *
 * @param <V> the result of a one-shot {@link Callable}; null for runnables and periodic tasks
 */
public final class ScheduledTask<V> implements ScheduledFuture<V> {
    private final TimerQueue queue;
    private final EventLoop loop;
    private final Callable<V> callable;
    /** 0: once; positive: at a fixed rate of that many ns; negative: with a fixed delay of minus that. */
    private final long periodNanos;
    private final TaskOutcome<V> outcome;
    /** On the loop's clock; changed only while the task is out of the queue (between runs). */
    private volatile long deadlineNanos;
    /** The order among timers of one deadline; set as the loop adds it. */
    long sequence;

    ScheduledTask(TimerQueue queue, EventLoop loop, Callable<V> callable, long deadlineNanos, long periodNanos) {
        this.queue = queue;
        this.loop = loop;
        this.callable = Objects.requireNonNull(callable, "task");
        this.deadlineNanos = deadlineNanos;
        this.periodNanos = periodNanos;
        this.outcome = new TaskOutcome<>(loop, this);
    }

    /**
     * Keeps the task from running (again); the same as {@code cancel(false)}.
     *
     * @return true if this call cancelled it; false if it was done already, or is a one-shot
     *         task that has started
     */
    public boolean cancel() {
        return cancel(false);
    }

    /**
     * Keeps the task from running (again), see {@link #cancel()}.
     *
     * @param mayInterruptIfRunning ignored: the loop's thread is never interrupted
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (!outcome.cancel()) {
            return false;
        }
        queue.cancelled();
        return true;
    }

    /** True if the task was cancelled before it finished. */
    @Override
    public boolean isCancelled() {
        return outcome.isCancelled();
    }

    /** True once the task has finished (a one-shot task has run), failed or was cancelled. */
    @Override
    public boolean isDone() {
        return outcome.isDone();
    }

    /** True for a task of {@link EventLoop#scheduleAtFixedRate} or {@link EventLoop#scheduleWithFixedDelay}. */
    public boolean isPeriodic() {
        return periodNanos != 0;
    }

    /**
     * The time left until the task's next run on its loop's clock ({@link EventLoop#nanoTime()});
     * negative when it is overdue.
     */
    @Override
    public long getDelay(TimeUnit unit) {
        return unit.convert(deadlineNanos - loop.nanoTime(), TimeUnit.NANOSECONDS);
    }

    /**
     * The result of a one-shot task, once it ran; a periodic task's only ends in a failure or
     * a cancellation.
     *
     * @throws BlockingOperationException if called on the task's own loop before it is done
     */
    @Override
    public V get() throws InterruptedException, ExecutionException {
        return outcome.get();
    }

    /** As {@link #get()}, giving up after {@code timeout}. */
    @Override
    public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        return outcome.get(timeout, unit);
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    /** Runs the task (on the loop's thread, once due); a periodic task then goes back into the queue. */
    void run() {
        if (periodNanos == 0) {
            if (outcome.start()) {
                try {
                    outcome.succeed(callable.call());
                } catch (Throwable t) {   // reported through the future
                    outcome.fail(t);
                }
            }
            return;
        }
        if (outcome.isDone()) {
            return;
        }
        try {
            callable.call();
        } catch (Throwable t) {   // stops the task; reported through the future
            outcome.fail(t);
            return;
        }
        if (!outcome.isDone()) {   // the run may have cancelled it
            deadlineNanos = periodNanos > 0 ? deadlineNanos + periodNanos : loop.nanoTime() - periodNanos;
            queue.add(this);
        }
    }

    /** Cancels the task because its loop has terminated. */
    void abandon() {
        outcome.cancel();
    }

    /** By deadline, then (among timers of one loop) by the order they were added. */
    @Override
    public int compareTo(Delayed other) {
        if (other == this) {
            return 0;
        }
        if (other instanceof ScheduledTask<?> timer) {
            int byDeadline = Long.compare(deadlineNanos - timer.deadlineNanos, 0);
            return byDeadline != 0 ? byDeadline : Long.compare(sequence, timer.sequence);
        }
        return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public String toString() {
        return "ScheduledTask(" + callable + (isPeriodic() ? ", periodic" : "") + ")";
    }
}
