package io.panamanetty.channel;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * What runs a channel's I/O and callbacks: one thread at a time, in order. A group's
 * loops ({@link EventLoopGroup}) are each one platform thread driving an
 * {@link IoHandler}; an {@link EmbeddedEventLoop} has no thread and runs its tasks and
 * timers on the calling thread when asked, for tests.
 *
 * <p>Each channel stays on one loop for life, so its callbacks never run concurrently.
 */
public interface EventLoop extends Executor {

    /** The group this loop belongs to, or null for a loop of no group ({@link EmbeddedEventLoop}). */
    EventLoopGroup parent();

    /** True if the calling thread is this loop's thread (the one that runs its tasks). */
    boolean inEventLoop();

    /** The name of this loop's thread. */
    String name();

    /**
     * The factory that made this loop's I/O handler: it tells the loop's transport; null
     * for a loop without I/O.
     */
    IoHandlerFactory ioHandlerFactory();

    /**
     * Runs {@code task} on this loop, after the tasks queued before it.
     *
     * @throws RejectedExecutionException once the loop has terminated
     */
    @Override
    void execute(Runnable task);

    /** Runs {@code task} once {@code delay} has passed on this loop's clock; cancel it through the returned handle. */
    ScheduledTask schedule(Runnable task, long delay, TimeUnit unit);

    /**
     * This loop's clock in nanoseconds, which its timers follow: {@link System#nanoTime()},
     * or a clock that moves only when a test says so ({@link EmbeddedEventLoop#advanceTimeBy}).
     * Handlers that measure time against the loop's timers read it here.
     */
    long nanoTime();

    /** True once {@link #shutdownGracefully} was called. */
    boolean isShuttingDown();

    /** True once the loop has ended and its resources are freed. */
    boolean isTerminated();

    /** Completes when the loop has terminated. */
    CompletableFuture<Void> terminationFuture();

    /**
     * Closes this loop's channels, runs tasks until none arrived for {@code quietPeriod}
     * (or {@code timeout} has passed), then ends the loop.
     */
    CompletableFuture<Void> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit);
}
