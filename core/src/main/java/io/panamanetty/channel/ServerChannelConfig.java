package io.panamanetty.channel;

/**
 * The options of a {@link ServerChannel}: those of every channel, the listen backlog, and
 * whether a stale Unix socket file is removed on bind.
 */
public class ServerChannelConfig extends ChannelConfig {
    /** The default backlog, capped by the kernel's {@code net.core.somaxconn}. */
    public static final int DEFAULT_BACKLOG = 4096;

    private volatile int backlog = DEFAULT_BACKLOG;
    private volatile boolean removeStaleSocket;

    /** For transports: a config with the defaults. */
    protected ServerChannelConfig() {
    }

    /** The listen backlog. */
    public int backlog() {
        return backlog;
    }

    /** True if a bind to a Unix socket file replaces a stale one ({@link ChannelOption#UNIX_REMOVE_STALE_SOCKET}). */
    public boolean removesStaleSocket() {
        return removeStaleSocket;
    }

    @Override
    ChannelOption.AppliesTo kind() {
        return ChannelOption.AppliesTo.LISTENERS;
    }

    @Override
    public boolean isConfigOption(ChannelOption<?> option) {
        return option == ChannelOption.SO_BACKLOG || option == ChannelOption.UNIX_REMOVE_STALE_SOCKET
                || super.isConfigOption(option);
    }

    @Override
    boolean setKindOption(ChannelOption<?> option, Object value) {
        if (option == ChannelOption.SO_BACKLOG) {
            backlog = nonNegative(option, (Integer) value);
            return true;
        }
        if (option == ChannelOption.UNIX_REMOVE_STALE_SOCKET) {
            removeStaleSocket = (Boolean) value;
            return true;
        }
        return false;
    }

    @Override
    Object getKindOption(ChannelOption<?> option) {
        if (option == ChannelOption.SO_BACKLOG) {
            return backlog;
        }
        return option == ChannelOption.UNIX_REMOVE_STALE_SOCKET ? removeStaleSocket : null;
    }
}
