package io.panamanetty.channel;

/** The options of a {@link StreamChannel}: those of every channel, and half-closure. */
public class StreamChannelConfig extends ChannelConfig {
    /** The kernel's limit of descriptors per message ({@code SCM_MAX_FD}). */
    static final int MAX_DESCRIPTORS_PER_READ = 253;

    private volatile boolean allowHalfClosure;
    private volatile int receiveDescriptors;

    /** For transports: a config with the defaults (half-closure off). */
    protected StreamChannelConfig() {
    }

    /** True if a FIN from the peer is reported as {@link ChannelInputShutdownEvent} instead of closing. */
    public boolean isAllowHalfClosure() {
        return allowHalfClosure;
    }

    /** The most descriptors one read takes ({@link ChannelOption#UNIX_RECEIVE_DESCRIPTORS}); 0: none. */
    public int receiveDescriptors() {
        return receiveDescriptors;
    }

    @Override
    ChannelOption.AppliesTo kind() {
        return ChannelOption.AppliesTo.CONNECTIONS;
    }

    @Override
    public boolean isConfigOption(ChannelOption<?> option) {
        return option == ChannelOption.ALLOW_HALF_CLOSURE || option == ChannelOption.UNIX_RECEIVE_DESCRIPTORS
                || super.isConfigOption(option);
    }

    @Override
    boolean setKindOption(ChannelOption<?> option, Object value) {
        if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
            allowHalfClosure = (Boolean) value;
            return true;
        }
        if (option == ChannelOption.UNIX_RECEIVE_DESCRIPTORS) {
            int most = (Integer) value;
            if (most < 0 || most > MAX_DESCRIPTORS_PER_READ) {
                throw new IllegalArgumentException(option + " takes 0 (off) to " + MAX_DESCRIPTORS_PER_READ
                        + " descriptors per read, not " + most);
            }
            receiveDescriptors = most;
            return true;
        }
        return false;
    }

    @Override
    Object getKindOption(ChannelOption<?> option) {
        if (option == ChannelOption.UNIX_RECEIVE_DESCRIPTORS) {
            return receiveDescriptors;
        }
        return option == ChannelOption.ALLOW_HALF_CLOSURE ? allowHalfClosure : null;
    }
}
