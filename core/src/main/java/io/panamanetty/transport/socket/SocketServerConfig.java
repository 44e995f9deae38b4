package io.panamanetty.transport.socket;

import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.ServerChannelConfig;

import java.io.IOException;

/**
 * The config of a socket transport's listener: the options of {@link ServerChannelConfig},
 * and socket options, which go to the listening socket through {@link ChannelSocketOptions}.
 */
public final class SocketServerConfig extends ServerChannelConfig {
    private final ChannelSocketOptions socketOptions;

    /** A config whose socket options go to {@code socketOptions}. */
    public SocketServerConfig(ChannelSocketOptions socketOptions) {
        this.socketOptions = socketOptions;
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
