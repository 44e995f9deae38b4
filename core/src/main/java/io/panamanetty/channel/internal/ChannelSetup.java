package io.panamanetty.channel.internal;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelConfig;
import io.panamanetty.channel.ChannelOption;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a bootstrap applies to each new channel: its options, then its handlers.
 *
 * @param options the options, applied in insertion order
 * @param initializer adds the handlers to the channel's pipeline
 */
public record ChannelSetup(Map<ChannelOption<?>, Object> options, Consumer<Channel> initializer) {

    /** Copies {@code options}, so that later changes to the bootstrap do not reach it. */
    public ChannelSetup {
        options = new LinkedHashMap<>(options);
    }

    /** Applies every option to {@code channel}: its config's, and the socket options to its socket. */
    public void applyOptions(Channel channel) throws IOException {
        applyConfigOptions(channel);
        applySocketOptions(channel);
    }

    /** Applies the options that live in the channel's config (auto-read, water marks...). */
    public void applyConfigOptions(Channel channel) {
        apply(channel, true);
    }

    /**
     * Applies the options the transport keeps on the socket (through the config's transport
     * hook) to the channel's current socket: again for each connect attempt's socket.
     *
     * @throws IOException if the kernel refuses one
     */
    public void applySocketOptions(Channel channel) throws IOException {
        try {
            apply(channel, false);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void apply(Channel channel, boolean configOptions) {
        ChannelConfig config = channel.config();
        for (Map.Entry<ChannelOption<?>, Object> option : options.entrySet()) {
            if (config.isConfigOption(option.getKey()) == configOptions) {
                config.setOption((ChannelOption) option.getKey(), option.getValue());
            }
        }
    }

    /** Adds the handlers. */
    public void initPipeline(Channel channel) {
        initializer.accept(channel);
    }
}
