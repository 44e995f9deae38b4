package io.panamanetty.channel;

import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What runs a channel's I/O and callbacks: one thread at a time, in order. A group's
 * loops ({@link EventLoopGroup}) are each one platform thread driving an
 * {@link IoHandler}; an {@link EmbeddedEventLoop} has no thread and runs its tasks and
 * timers on the calling thread when asked, for tests.
 *
 * <p>Each channel stays on one loop for life, so its callbacks never run concurrently.
 *
 * <p>A loop is a {@link ScheduledExecutorService} (Netty's {@code EventExecutor}):
 * <pre>{@code
 * Future<Integer> size = loop.submit(() -> queue.size());             // on the loop's thread
 * ScheduledTask<?> tick = loop.scheduleAtFixedRate(this::tick, 0, 250, TimeUnit.MICROSECONDS);
 * tick.cancel();
 * }</pre>
 * Delays are on the loop's clock ({@link #nanoTime()}) and kept to the nanosecond: a
 * threaded loop wakes for a timer with the kernel's precision, not rounded to a
 * millisecond. Waiting on a loop's future from that loop's own thread before it is done
 * throws {@link BlockingOperationException}. {@link #shutdown()} and {@link #shutdownNow()}
 * are forms of {@link #shutdownGracefully}.
 */
public interface EventLoop extends ScheduledExecutorService {

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
     * Runs {@code task} on this loop, after the tasks queued before it; an exception it throws
     * is logged.
     *
     * @throws RejectedExecutionException once the loop has terminated
     */
    @Override
    void execute(Runnable task);

    /**
     * Runs {@code task} once {@code delay} has passed on this loop's clock; cancel it through
     * the returned handle. An exception it throws is reported through the handle.
     *
     * @throws RejectedExecutionException once the loop has terminated
     */
    @Override
    ScheduledTask<?> schedule(Runnable task, long delay, TimeUnit unit);

    /** Calls {@code task} once {@code delay} has passed on this loop's clock; its result is the handle's. */
    @Override
    <V> ScheduledTask<V> schedule(Callable<V> task, long delay, TimeUnit unit);

    /**
     * Runs {@code task} after {@code initialDelay}, then every {@code period} after that first
     * deadline (a late run is followed by the missed ones at once), until cancelled or until
     * it throws.
     *
     * @throws IllegalArgumentException if {@code period} is not positive
     */
    @Override
    ScheduledTask<?> scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit);

    /**
     * Runs {@code task} after {@code initialDelay}, then again {@code delay} after each run
     * ends, until cancelled or until it throws.
     *
     * @throws IllegalArgumentException if {@code delay} is not positive
     */
    @Override
    ScheduledTask<?> scheduleWithFixedDelay(Runnable task, long initialDelay, long delay, TimeUnit unit);

    /**
     * This loop's clock in nanoseconds, which its timers follow: {@link System#nanoTime()},
     * or a clock that moves only when a test says so ({@link EmbeddedEventLoop#advanceTimeBy}).
     * Handlers that measure time against the loop's timers read it here.
     */
    long nanoTime();

    /** True once {@link #shutdownGracefully} was called. */
    boolean isShuttingDown();

    /** True once the loop has ended and its resources are freed. */
    @Override
    boolean isTerminated();

    /** Done when the loop has terminated. */
    TerminationFuture terminationFuture();

    /**
     * Closes this loop's channels, runs tasks until none arrived for {@code quietPeriod}
     * (or {@code timeout} has passed), then ends the loop. Timers still pending then are
     * cancelled.
     */
    TerminationFuture shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit);

    /** {@link #shutdownGracefully(long, long, TimeUnit)} with the group's default quiet period and timeout. */
    default TerminationFuture shutdownGracefully() {
        return shutdownGracefully(EventLoopGroup.DEFAULT_QUIET_PERIOD_MILLIS,
                EventLoopGroup.DEFAULT_SHUTDOWN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }
}
