package io.panamanetty.bootstrap;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.IoHandlerFactory;
import io.panamanetty.channel.internal.AbstractChannel;
import io.panamanetty.channel.internal.ChannelSetup;
import io.panamanetty.channel.internal.DefaultChannelPromise;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The first steps of opening a datagram channel, UDP ({@link UdpDatagrams}) or Unix
 * ({@link DomainDatagrams}) alike: a loop of the group, or of a group of the bootstrap's own
 * that shuts down with the channel; the group's transport checked; the channel made, its
 * options (less TCP's default {@code TCP_NODELAY}) and initializer applied.
 *
 * @param channel the new channel
 * @param loop    its loop
 * @param setup   the options and initializer it was given
 * @param promise the bootstrap's future for it; failed already if the setup failed
 * @param transportSide the group's datagram side of its transport, which made the channel
 * @param <T>     the transport's datagram factory
 */
record DatagramChannelStart<T>(AbstractChannel channel, EventLoop loop, ChannelSetup setup,
                               DefaultChannelPromise promise, T transportSide) {

    /** True if options or initializer failed: the promise says why and the channel is closing. */
    boolean failed() {
        return promise.isDone();
    }

    /**
     * Makes the channel with {@code factory} (from the group's transport side {@code side}).
     *
     * @throws IllegalArgumentException if the loop has no group or the group runs another transport
     */
    static <T> DatagramChannelStart<T> begin(EventLoopGroup group, EventLoop loop, IoHandlerFactory transport,
                                             Map<ChannelOption<?>, Object> options, Consumer<Channel> initializer,
                                             String ownGroupName, Function<EventLoopGroup, T> side,
                                             BiFunction<T, EventLoop, AbstractChannel> factory) {
        EventLoopGroup ownGroup = group == null && loop == null ? Bootstrap.ownGroup(transport, 1, ownGroupName) : null;
        EventLoop target = loop != null ? loop : (ownGroup != null ? ownGroup : group).next();
        T transportSide;
        try {
            if (target.parent() == null) {
                throw new IllegalArgumentException("a loop of no group (an EmbeddedEventLoop) has no transport");
            }
            Bootstrap.transportOf(target.parent(), transport);   // the same checks as for TCP
            transportSide = side.apply(target.parent());
        } catch (RuntimeException e) {
            if (ownGroup != null) {
                ownGroup.shutdownGracefully();
            }
            throw e;
        }
        AbstractChannel channel = factory.apply(transportSide, target);
        if (ownGroup != null) {
            channel.closeFuture().addListener(f -> ownGroup.shutdownGracefully());
        }
        DefaultChannelPromise promise = new DefaultChannelPromise(channel, true);
        Map<ChannelOption<?>, Object> datagramOptions = new LinkedHashMap<>(options);
        datagramOptions.remove(ChannelOption.TCP_NODELAY);   // the TCP default, no datagram socket option
        ChannelSetup setup = new ChannelSetup(datagramOptions, initializer);
        try {
            setup.applyConfigOptions(channel);
            setup.initPipeline(channel);
        } catch (RuntimeException e) {
            promise.tryFailure(e);
            target.execute(() -> channel.closeNow(null));
        }
        return new DatagramChannelStart<>(channel, target, setup, promise, transportSide);
    }
}
