package io.panamanetty.channel;

/**
 * The user event fired when the peer has shut down its output (sent FIN) and the
 * channel allows half-closure ({@link ChannelOption#ALLOW_HALF_CLOSURE}): no more
 * bytes will be read, but the channel may still write.
 */
public final class ChannelInputShutdownEvent {
    /** The one instance. */
    public static final ChannelInputShutdownEvent INSTANCE = new ChannelInputShutdownEvent();

    private ChannelInputShutdownEvent() {
    }

    @Override
    public String toString() {
        return "ChannelInputShutdownEvent";
    }
}
