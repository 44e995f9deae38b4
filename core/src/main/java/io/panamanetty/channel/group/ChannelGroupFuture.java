package io.panamanetty.channel.group;

import io.panamanetty.channel.BlockingOperationException;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;

import java.util.concurrent.TimeUnit;

/**
 * The outcome of one operation on several channels of a {@link ChannelGroup}: done once
 * every channel's own future is, a success if all of them succeeded, otherwise failed with a
 * {@link ChannelGroupException} listing each channel that failed and why. Iterating it gives
 * the channels' own futures.
 * <pre>{@code
 * group.writeAndFlush(buffer).addListener(f -> {
 *     if (!f.isSuccess()) f.cause().failures().forEach(e -> e.getKey().close());
 * });
 * }</pre>
 * Waiting on an event-loop thread for a future one of whose channels lives on that loop
 * would deadlock, so it throws {@link BlockingOperationException} at once.
 */
public interface ChannelGroupFuture extends Iterable<ChannelFuture> {

    /** The group the operation was on. */
    ChannelGroup group();

    /** The future of {@code channel}'s part of the operation, or null if it had no part. */
    ChannelFuture find(Channel channel);

    /** The number of channels the operation was on. */
    int size();

    /** True once every channel's operation is done. */
    boolean isDone();

    /** True once every channel's operation is done and all succeeded (also when there were none). */
    boolean isSuccess();

    /** True once done, if some channels' operations succeeded and some failed. */
    boolean isPartialSuccess();

    /** True once done, if at least one channel's operation failed (all may have). */
    boolean isPartialFailure();

    /** The failures, once done and if any failed; else null. */
    ChannelGroupException cause();

    /** Calls {@code listener} once done: at once on this thread if done already, else on the thread that completes the last part. */
    ChannelGroupFuture addListener(ChannelGroupFutureListener listener);

    /** Takes back {@code listener} (the same instance) if it has not been called yet. */
    ChannelGroupFuture removeListener(ChannelGroupFutureListener listener);

    /**
     * Waits until done and throws the {@link ChannelGroupException} if any part failed.
     *
     * @throws InterruptedException if this thread is interrupted while waiting
     * @throws BlockingOperationException on the event loop of a channel whose part is pending
     */
    ChannelGroupFuture sync() throws InterruptedException;

    /** Waits until done, without throwing a failure. */
    ChannelGroupFuture await() throws InterruptedException;

    /** Waits until done or the timeout passes; returns {@link #isDone()}. */
    boolean await(long timeout, TimeUnit unit) throws InterruptedException;
}
