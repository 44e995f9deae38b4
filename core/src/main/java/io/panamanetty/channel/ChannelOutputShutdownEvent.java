package io.panamanetty.channel;

/**
 * The user event fired when a {@link StreamChannel}'s output has been shut down: the FIN
 * asked for by {@link StreamChannel#shutdownOutput()} has left, after every byte queued
 * before it. Reading may go on; the peer sees the end of its input.
 */
public final class ChannelOutputShutdownEvent {
    /** The one instance. */
    public static final ChannelOutputShutdownEvent INSTANCE = new ChannelOutputShutdownEvent();

    private ChannelOutputShutdownEvent() {
    }

    @Override
    public String toString() {
        return "ChannelOutputShutdownEvent";
    }
}
