package io.panamanetty.channel;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Done when an {@link EventLoop} or an {@link EventLoopGroup} has terminated; it never
 * fails and cannot be cancelled. Wait for it as for a {@link ChannelFuture}:
 * <pre>{@code
 * group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
 * }</pre>
 * Waiting for it on one of the terminating loops' own threads would deadlock, so it throws
 * {@link BlockingOperationException} there. {@link #toCompletableFuture()} gives a
 * {@link CompletableFuture} for composing.
 */
public final class TerminationFuture implements Future<Void> {
    private final String what;
    private final BooleanSupplier onTerminatingThread;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    /**
     * @param what what terminates, for messages
     * @param onTerminatingThread true on a thread that must end for this future to complete
     */
    TerminationFuture(String what, BooleanSupplier onTerminatingThread) {
        this.what = what;
        this.onTerminatingThread = onTerminatingThread;
    }

    /** Completes the future; later calls do nothing. */
    void terminated() {
        terminated.complete(null);
    }

    /** True once terminated. */
    @Override
    public boolean isDone() {
        return terminated.isDone();
    }

    /** The same as {@link #isDone()}: termination cannot fail. */
    public boolean isSuccess() {
        return isDone();
    }

    /** Does nothing: termination cannot be cancelled. */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return false;
    }

    /** False: termination cannot be cancelled. */
    @Override
    public boolean isCancelled() {
        return false;
    }

    /**
     * Waits until terminated.
     *
     * @throws InterruptedException if this thread is interrupted while waiting
     * @throws BlockingOperationException if called on a thread that must end first
     */
    public TerminationFuture sync() throws InterruptedException {
        return await();
    }

    /** The same as {@link #sync()}: there is no failure to rethrow. */
    public TerminationFuture await() throws InterruptedException {
        get();
        return this;
    }

    /**
     * Waits until terminated or {@code timeout} has passed.
     *
     * @return {@link #isDone()}
     * @throws BlockingOperationException if called on a thread that must end first
     */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return isDone();
        }
    }

    /** Waits until terminated, not giving up if interrupted (the interrupt is kept for later). */
    public TerminationFuture syncUninterruptibly() {
        boolean interrupted = false;
        while (!isDone()) {
            try {
                await();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return this;
    }

    /** Waits until terminated; always null. */
    @Override
    public Void get() throws InterruptedException {
        checkWaitable();
        try {
            return terminated.get();
        } catch (ExecutionException e) {
            throw new AssertionError("termination cannot fail", e);
        }
    }

    /** Waits until terminated or {@code timeout} has passed; always null. */
    @Override
    public Void get(long timeout, TimeUnit unit) throws InterruptedException, TimeoutException {
        checkWaitable();
        try {
            return terminated.get(timeout, unit);
        } catch (ExecutionException e) {
            throw new AssertionError("termination cannot fail", e);
        }
    }

    /**
     * Calls {@code listener} once terminated: at once, on this thread, if it is already; else
     * on the last thread to end.
     */
    public TerminationFuture addListener(Consumer<? super TerminationFuture> listener) {
        Objects.requireNonNull(listener, "listener");
        terminated.thenRun(() -> listener.accept(this));
        return this;
    }

    /** A {@link CompletableFuture} completed on termination; completing it does not affect this one. */
    public CompletableFuture<Void> toCompletableFuture() {
        return terminated.copy();
    }

    private void checkWaitable() {
        if (!isDone() && onTerminatingThread.getAsBoolean()) {
            throw new BlockingOperationException("waiting for " + what + " to terminate on its own thread"
                    + " would deadlock");
        }
    }

    @Override
    public String toString() {
        return "TerminationFuture(" + what + (isDone() ? ", terminated)" : ")");
    }
}
