package io.panamanetty.channel;

/**
 * A task scheduled on an {@link EventLoop} to run after a delay. Cancelling it before
 * it runs keeps it from running.
 */
public final class ScheduledTask implements Comparable<ScheduledTask> {
    private final Runnable task;
    final long deadlineNanos;
    /** The order among timers of one deadline; set as the loop adds it. */
    long sequence;
    private volatile boolean cancelled;
    private volatile boolean done;

    private final TimerQueue queue;

    ScheduledTask(TimerQueue queue, Runnable task, long deadlineNanos) {
        this.queue = queue;
        this.task = task;
        this.deadlineNanos = deadlineNanos;
    }

    /** Keeps the task from running if it has not run yet; returns false if it already ran. */
    public boolean cancel() {
        if (done) {
            return false;
        }
        if (!cancelled) {
            cancelled = true;
            queue.cancelled();
        }
        return true;
    }

    /** True if {@link #cancel()} was called before the task ran. */
    public boolean isCancelled() {
        return cancelled;
    }

    /** True once the task has run or was cancelled. */
    public boolean isDone() {
        return done || cancelled;
    }

    void run() {
        if (!cancelled) {
            done = true;
            task.run();
        }
    }

    @Override
    public int compareTo(ScheduledTask other) {
        int byDeadline = Long.compare(deadlineNanos - other.deadlineNanos, 0);
        return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
    }
}
