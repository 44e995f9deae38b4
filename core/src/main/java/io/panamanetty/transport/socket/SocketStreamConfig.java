package io.panamanetty.transport.socket;

import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.StreamChannelConfig;

import java.io.IOException;

/**
 * The config of a socket transport's connection: the options of {@link StreamChannelConfig},
 * and socket options, which go to the socket through {@link ChannelSocketOptions}.
 */
public final class SocketStreamConfig extends StreamChannelConfig {
    private final ChannelSocketOptions socketOptions;
    private final AutoReadSwitch autoReadSwitch;

    /** What the channel does when auto-read is switched (from any thread). */
    @FunctionalInterface
    public interface AutoReadSwitch {
        /** Auto-read is now {@code on}. */
        void switched(boolean on);
    }

    /** A config whose socket options go to {@code socketOptions}, telling {@code autoReadSwitch} of auto-read. */
    public SocketStreamConfig(ChannelSocketOptions socketOptions, AutoReadSwitch autoReadSwitch) {
        this.socketOptions = socketOptions;
        this.autoReadSwitch = autoReadSwitch;
    }

    @Override
    protected void autoReadChanged(boolean on) {
        autoReadSwitch.switched(on);
    }

    @Override
    protected void setTransportOption(ChannelOption<?> option, Object value) throws IOException {
        socketOptions.set(option, value);
    }

    @Override
    protected Object getTransportOption(ChannelOption<?> option) throws IOException {
        return socketOptions.get(option);
    }
}
