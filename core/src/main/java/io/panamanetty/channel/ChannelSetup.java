package io.panamanetty.channel;

import io.panamanetty.bindings.NativeIoException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a bootstrap applies to each new channel: its options, then its handlers.
 *
 * @param options the options, applied in insertion order
 * @param initializer adds the handlers to the channel's pipeline
 */
record ChannelSetup(Map<ChannelOption<?>, Object> options, Consumer<Channel> initializer) {

    ChannelSetup {
        options = new LinkedHashMap<>(options);
    }

    /** Applies every option to {@code channel}: its config, and the socket options to its fd. */
    void applyOptions(AbstractChannel channel) throws NativeIoException {
        applyConfigOptions(channel);
        applySocketOptions(channel);
    }

    /** Applies the options that live in the channel's config (auto-read, water marks...). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void applyConfigOptions(AbstractChannel channel) {
        for (Map.Entry<ChannelOption<?>, Object> option : options.entrySet()) {
            if (!SocketOptions.isSocketOption(option.getKey())) {
                channel.config().setOption((ChannelOption) option.getKey(), option.getValue());
            }
        }
    }

    /** Applies the socket options to the channel's current fd (again for each connect attempt). */
    void applySocketOptions(AbstractChannel channel) throws NativeIoException {
        for (Map.Entry<ChannelOption<?>, Object> option : options.entrySet()) {
            if (SocketOptions.isSocketOption(option.getKey())) {
                SocketOptions.apply(channel.fd(), option.getKey(), option.getValue());
            }
        }
    }

    /** Adds the handlers. */
    void initPipeline(Channel channel) {
        initializer.accept(channel);
    }
}
