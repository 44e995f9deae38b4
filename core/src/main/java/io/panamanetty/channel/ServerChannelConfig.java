package io.panamanetty.channel;

/** The options of a {@link ServerChannel}: those of every channel, and the listen backlog. */
public class ServerChannelConfig extends ChannelConfig {
    /** The default backlog, capped by the kernel's {@code net.core.somaxconn}. */
    public static final int DEFAULT_BACKLOG = 4096;

    private volatile int backlog = DEFAULT_BACKLOG;

    /** For transports: a config with the defaults. */
    protected ServerChannelConfig() {
    }

    /** The listen backlog. */
    public int backlog() {
        return backlog;
    }

    @Override
    ChannelOption.AppliesTo kind() {
        return ChannelOption.AppliesTo.LISTENERS;
    }

    @Override
    public boolean isConfigOption(ChannelOption<?> option) {
        return option == ChannelOption.SO_BACKLOG || super.isConfigOption(option);
    }

    @Override
    boolean setKindOption(ChannelOption<?> option, Object value) {
        if (option == ChannelOption.SO_BACKLOG) {
            backlog = nonNegative(option, (Integer) value);
            return true;
        }
        return false;
    }

    @Override
    Object getKindOption(ChannelOption<?> option) {
        return option == ChannelOption.SO_BACKLOG ? backlog : null;
    }
}
