package io.panamanetty.channel;

/**
 * A task scheduled on an {@link EventLoop} to run after a delay. Cancelling it before
 * it runs keeps it from running.
 */
public final class ScheduledTask implements Comparable<ScheduledTask> {
    private final Runnable task;
    final long deadlineNanos;
    private final long sequence;
    private volatile boolean cancelled;
    private volatile boolean done;

    private final EventLoop loop;

    ScheduledTask(EventLoop loop, Runnable task, long deadlineNanos, long sequence) {
        this.loop = loop;
        this.task = task;
        this.deadlineNanos = deadlineNanos;
        this.sequence = sequence;
    }

    /** Keeps the task from running if it has not run yet; returns false if it already ran. */
    public boolean cancel() {
        if (done) {
            return false;
        }
        if (!cancelled) {
            cancelled = true;
            loop.timerCancelled();
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
