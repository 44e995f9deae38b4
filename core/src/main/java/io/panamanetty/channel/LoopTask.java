package io.panamanetty.channel;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A task submitted to an {@link EventLoop} ({@link EventLoop#submit}) and its future:
 * cancelling it before it starts keeps it from running; waiting for it on its own loop
 * throws {@link BlockingOperationException}.
 */
final class LoopTask<V> implements RunnableFuture<V> {
    private final Callable<V> callable;
    private final TaskOutcome<V> outcome;

    LoopTask(EventLoop loop, Callable<V> callable) {
        this.callable = Objects.requireNonNull(callable, "task");
        this.outcome = new TaskOutcome<>(loop, this);
    }

    @Override
    public void run() {
        if (!outcome.start()) {
            return;
        }
        try {
            outcome.succeed(callable.call());
        } catch (Throwable t) {   // reported through the future, as the executor contract says
            outcome.fail(t);
        }
    }

    /** @param mayInterruptIfRunning ignored: a task that started runs to its end */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return outcome.cancel();
    }

    @Override
    public boolean isCancelled() {
        return outcome.isCancelled();
    }

    @Override
    public boolean isDone() {
        return outcome.isDone();
    }

    @Override
    public V get() throws InterruptedException, ExecutionException {
        return outcome.get();
    }

    @Override
    public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        return outcome.get(timeout, unit);
    }

    @Override
    public String toString() {
        return "LoopTask(" + callable + ")";
    }
}
