package io.panamanetty.channel;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What the threaded and the embedded loop share: submitting and scheduling on a
 * {@link TimerQueue} read on the loop's own clock, and the {@code ExecutorService} life
 * cycle in terms of {@link #shutdownGracefully}.
 */
abstract sealed class AbstractEventLoop extends AbstractExecutorService implements EventLoop
        permits SingleThreadEventLoop, EmbeddedEventLoop {
    /** Delays are capped so that deadlines never overflow the clock: about 146 years. */
    private static final long MAX_DELAY_NANOS = Long.MAX_VALUE / 2;

    /** The timers, confined to the loop's thread but for cancellation. */
    final TimerQueue timers = new TimerQueue();

    @Override
    protected final <T> RunnableFuture<T> newTaskFor(Runnable task, T value) {
        return new LoopTask<>(this, Executors.callable(task, value));
    }

    @Override
    protected final <T> RunnableFuture<T> newTaskFor(Callable<T> task) {
        return new LoopTask<>(this, task);
    }

    @Override
    public final ScheduledTask<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return schedule(Executors.callable(Objects.requireNonNull(task, "task"), (Void) null), delay, unit);
    }

    @Override
    public final <V> ScheduledTask<V> schedule(Callable<V> task, long delay, TimeUnit unit) {
        return add(task, delay, unit, 0);
    }

    @Override
    public final ScheduledTask<?> scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
        return add(Executors.callable(Objects.requireNonNull(task, "task"), (Void) null), initialDelay, unit,
                positiveNanos(period, unit, "period"));
    }

    @Override
    public final ScheduledTask<?> scheduleWithFixedDelay(Runnable task, long initialDelay, long delay, TimeUnit unit) {
        return add(Executors.callable(Objects.requireNonNull(task, "task"), (Void) null), initialDelay, unit,
                -positiveNanos(delay, unit, "delay"));
    }

    private <V> ScheduledTask<V> add(Callable<V> task, long delay, TimeUnit unit, long periodNanos) {
        if (isTerminated()) {
            throw new RejectedExecutionException(name() + " has terminated");
        }
        long deadline = nanoTime() + Math.clamp(unit.toNanos(delay), 0, MAX_DELAY_NANOS);
        return timers.schedule(this, new ScheduledTask<>(timers, this, task, deadline, periodNanos));
    }

    private static long positiveNanos(long amount, TimeUnit unit, String what) {
        if (amount <= 0) {
            throw new IllegalArgumentException(what + " must be positive: " + amount + " " + unit);
        }
        return Math.clamp(unit.toNanos(amount), 1, MAX_DELAY_NANOS);
    }

    /**
     * Starts a graceful shutdown with no quiet period (tasks already queued still run, and so
     * do the ones the closing channels queue) and the default timeout.
     */
    @Override
    public final void shutdown() {
        shutdownGracefully(0, EventLoopGroup.DEFAULT_SHUTDOWN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * {@link #shutdown()} with no timeout either. Queued tasks are not taken away (a closing
     * channel needs its own to finish), so the list is always empty.
     */
    @Override
    public final List<Runnable> shutdownNow() {
        shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        return List.of();
    }

    /** The same as {@link #isShuttingDown()}. */
    @Override
    public final boolean isShutdown() {
        return isShuttingDown();
    }

    /**
     * Waits up to {@code timeout} for termination.
     *
     * @throws BlockingOperationException on this loop's own thread
     */
    @Override
    public final boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminationFuture().await(timeout, unit);
    }

    /**
     * Shuts down gracefully and waits, uninterruptibly, for termination; on the loop's own
     * thread it only starts the shutdown.
     */
    @Override
    public void close() {
        shutdownGracefully();
        if (!inEventLoop()) {
            terminationFuture().syncUninterruptibly();
        }
    }
}
