package io.panamanetty.channel;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A channel's identity: a number unique within this JVM.
 *
 * @param value the number
 */
public record ChannelId(long value) {
    private static final AtomicLong NEXT = new AtomicLong();

    /** A new id, unique within the JVM (for transports making channels). */
    public static ChannelId next() {
        return new ChannelId(NEXT.incrementAndGet());
    }

    /** A short text form, e.g. {@code #42}. */
    public String asShortText() {
        return "#" + value;
    }

    @Override
    public String toString() {
        return asShortText();
    }
}
