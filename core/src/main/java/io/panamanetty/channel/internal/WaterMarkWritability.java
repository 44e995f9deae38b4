package io.panamanetty.channel.internal;

import io.panamanetty.channel.ChannelConfig;

/**
 * A channel's writability against its config's water marks, and what its
 * {@code channelWritabilityChanged} events have told handlers so far.
 * {@link io.panamanetty.channel.Channel#isWritable()} follows the bytes at once. An event is
 * owed when the state differs from the last one announced, or when a writer has read
 * {@code false} from {@link #isWritable()} since the last event and the channel is writable
 * again: a writer that stops on {@code false} and waits for the event to go on is always
 * woken. So each event matches {@code isWritable()} when it fires, two events in a row never
 * both report unwritable, and a change nobody saw (one caused by bytes a handler holds, its
 * event put off to a later task, and undone before that task ran with no {@code isWritable()}
 * call in between) announces nothing. Event-loop confined, except {@link #isWritable()}.
 */
public final class WaterMarkWritability {
    private volatile boolean writable = true;
    /** A writer read false since the last event; set from any thread, cleared by the loop. */
    private volatile boolean seenUnwritable;
    private boolean announced = true;

    /** Writable: only its loop's thread changes it. */
    public WaterMarkWritability() {
    }

    /**
     * As writers see it (any thread): true below the high water mark, or once above it, until
     * below the low one. Returning false counts as seen: an event follows once writable again.
     */
    public boolean isWritable() {
        if (writable) {
            return true;
        }
        do {
            if (!seenUnwritable) {   // no store while it is set: a polling writer keeps the line shared
                seenUnwritable = true;
            }
            // read again after the mark: a change back that the loop announced without seeing
            // the mark is seen here instead (both fields are volatile: one side sees the other)
            if (writable) {
                return true;
            }
            // the loop may have cleared the mark meanwhile (announcing, then flipping back);
            // false is only returned with the mark still set, so an event is owed for it
        } while (!seenUnwritable);
        return false;
    }

    /** The state, for the transport's own checks: reading it counts as nobody's view. */
    public boolean peek() {
        return writable;
    }

    /**
     * Follows {@code total} (queued plus held bytes) against {@code config}'s water marks.
     *
     * @return whether an event is owed now (see {@link #announce()})
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

    /**
     * Whether an event is owed: the state differs from the last announced one, or it is writable
     * and a writer read false since the last event. If so it counts as announced now.
     */
    public boolean announce() {
        boolean now = writable;
        if (announced != now || now && seenUnwritable) {
            announced = now;
            seenUnwritable = false;
            return true;
        }
        return false;
    }

    private boolean flip(long total, ChannelConfig config) {
        boolean flip = writable ? total > config.writeBufferHighWaterMark() : total < config.writeBufferLowWaterMark();
        if (flip) {
            writable = !writable;
        }
        return flip;
    }
}
