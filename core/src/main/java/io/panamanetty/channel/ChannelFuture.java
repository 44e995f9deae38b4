package io.panamanetty.channel;

import java.util.concurrent.TimeUnit;

/**
 * The result of an operation on a {@link Channel}: a bind, a connect, a write, a close.
 *
 * <p>Listen rather than wait where you can:
 * <pre>{@code
 * channel.writeAndFlush(bytes).addListener(f -> {
 *     if (!f.isSuccess()) f.channel().close();
 * });
 * }</pre>
 * Waiting with {@link #sync()} or {@link #await()} is fine from a plain thread. On an
 * event-loop thread, waiting for a future that only that same loop can complete would
 * deadlock, so it throws {@link BlockingOperationException} at once; waiting for
 * another loop's future is allowed.
 */
public interface ChannelFuture {

    /** The channel the operation is for. */
    Channel channel();

    /** True once the operation has finished, successfully or not. */
    boolean isDone();

    /** True if the operation finished successfully. */
    boolean isSuccess();

    /**
     * True if the operation was cancelled: by {@link #cancel}, or (for a connect) by closing
     * the channel while it was connecting. A cancelled future is done and not a success; its
     * {@link #cause()} is a {@link java.util.concurrent.CancellationException}.
     */
    boolean isCancelled();

    /**
     * Cancels the operation if it can still be cancelled: a pending connect can (the
     * connecting socket is closed, and with it the channel); writes, binds and closes
     * cannot, and return false.
     *
     * @param mayInterruptIfRunning ignored: nothing is interrupted, the socket is closed
     * @return true if this call cancelled the operation
     */
    default boolean cancel(boolean mayInterruptIfRunning) {
        return false;
    }

    /** Why the operation failed, or null if it has not failed (yet). */
    Throwable cause();

    /**
     * Calls {@code listener} once the operation is done: at once, on this thread, if it
     * already is; else on the thread that completes it (usually the channel's event loop).
     */
    ChannelFuture addListener(ChannelFutureListener listener);

    /**
     * Takes back {@code listener} (the same instance) if it has not been called yet, so that a
     * long-lived future (a close future) does not keep listeners that are no longer wanted.
     * Removes one registration; does nothing if it is not registered.
     */
    ChannelFuture removeListener(ChannelFutureListener listener);

    /**
     * Waits until done and rethrows the failure: unchecked causes as they are, checked
     * ones (such as a {@link java.net.ConnectException}) wrapped in a {@link ChannelException}
     * carrying the same message.
     *
     * @throws InterruptedException if this thread is interrupted while waiting
     * @throws BlockingOperationException if called on the only thread that could complete it
     */
    ChannelFuture sync() throws InterruptedException;

    /** Waits until done, without rethrowing a failure. */
    ChannelFuture await() throws InterruptedException;

    /** Waits until done or the timeout passes; returns {@link #isDone()}. */
    boolean await(long timeout, TimeUnit unit) throws InterruptedException;

    /** The channel's close future: done when the channel has closed. */
    default ChannelFuture closeFuture() {
        return channel().closeFuture();
    }
}
