package io.panamanetty.channel.internal;

import io.panamanetty.channel.ChannelConfig;

/**
 * A channel's writability against its config's water marks, and which value its last
 * {@code channelWritabilityChanged} announced. {@link io.panamanetty.channel.Channel#isWritable()}
 * follows the bytes at once; an event is owed only when the state differs from the last
 * one announced. So a change whose event is put off to a later task (one caused by bytes a
 * handler holds, announced outside that handler's own {@code write}) and a change back
 * before that task runs announce nothing, and handlers always see the events alternate
 * (unwritable, writable, unwritable, ...), each matching {@code isWritable()} when it fires.
 * Event-loop confined, except {@link #isWritable()}.
 */
public final class WaterMarkWritability {
    private volatile boolean writable = true;
    private boolean announced = true;

    /** Writable: only its loop's thread changes it. */
    public WaterMarkWritability() {
    }

    /** True below the high water mark, or once above it, until below the low one. */
    public boolean isWritable() {
        return writable;
    }

    /**
     * Follows {@code total} (queued plus held bytes) against {@code config}'s water marks.
     *
     * @return whether an event is owed now: the state flipped and differs from the last announced
     */
    public boolean update(long total, ChannelConfig config) {
        return flip(total, config) && announce();
    }

    /**
     * Follows {@code total} like {@link #update}, the event (if any) left for a later task,
     * which calls {@link #announce()}.
     *
     * @return whether the state flipped (a later task should call {@link #announce()})
     */
    public boolean updateLater(long total, ChannelConfig config) {
        return flip(total, config);
    }

    /** Whether the state differs from the last announced one; if so it counts as announced now. */
    public boolean announce() {
        if (announced == writable) {
            return false;
        }
        announced = writable;
        return true;
    }

    private boolean flip(long total, ChannelConfig config) {
        boolean flip = writable ? total > config.writeBufferHighWaterMark() : total < config.writeBufferLowWaterMark();
        if (flip) {
            writable = !writable;
        }
        return flip;
    }
}
