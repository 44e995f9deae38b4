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

    /** Applies every option to {@code channel} (socket options to its fd). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void applyOptions(AbstractChannel channel) throws NativeIoException {
        for (Map.Entry<ChannelOption<?>, Object> option : options.entrySet()) {
            try {
                channel.config().setOption((ChannelOption) option.getKey(), option.getValue());
            } catch (java.io.UncheckedIOException e) {
                if (e.getCause() instanceof NativeIoException nativeFailure) {
                    throw nativeFailure;
                }
                throw e;
            }
        }
    }

    /** Adds the handlers. */
    void initPipeline(Channel channel) {
        initializer.accept(channel);
    }
}
