package io.panamanetty.channel;

/** The options of a {@link StreamChannel}: those of every channel, and half-closure. */
public class StreamChannelConfig extends ChannelConfig {
    private volatile boolean allowHalfClosure;

    /** For transports: a config with the defaults (half-closure off). */
    protected StreamChannelConfig() {
    }

    /** True if a FIN from the peer is reported as {@link ChannelInputShutdownEvent} instead of closing. */
    public boolean isAllowHalfClosure() {
        return allowHalfClosure;
    }

    @Override
    ChannelOption.AppliesTo kind() {
        return ChannelOption.AppliesTo.CONNECTIONS;
    }

    @Override
    public boolean isConfigOption(ChannelOption<?> option) {
        return option == ChannelOption.ALLOW_HALF_CLOSURE || super.isConfigOption(option);
    }

    @Override
    boolean setKindOption(ChannelOption<?> option, Object value) {
        if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
            allowHalfClosure = (Boolean) value;
            return true;
        }
        return false;
    }

    @Override
    Object getKindOption(ChannelOption<?> option) {
        return option == ChannelOption.ALLOW_HALF_CLOSURE ? allowHalfClosure : null;
    }
}
