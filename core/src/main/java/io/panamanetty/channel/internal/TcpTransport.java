package io.panamanetty.channel.internal;

import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.PassableDescriptor;

import java.io.IOException;

/**
 * What the bootstraps need of a transport to make TCP channels: a transport registers
 * one with {@link Transports}, keyed by its {@link io.panamanetty.channel.IoHandlerFactory}
 * class. The channels it makes bind and connect when those operations reach the head of
 * their pipelines ({@link AbstractChannel#bindNow}, {@link AbstractChannel#connectNow}).
 */
public interface TcpTransport {

    /** A client channel on {@code loop}, not connected yet. */
    AbstractChannel newSocketChannel(EventLoop loop);

    /** A listening channel on {@code loop} whose accepted channels go to {@code childGroup}, set up by {@code childSetup}. */
    AbstractChannel newServerChannel(EventLoop loop, EventLoopGroup childGroup, ChannelSetup childSetup);

    /**
     * A listening channel on {@code loop} whose accepted channels stay on {@code loop}, set up
     * by {@code childSetup}: one of several listeners sharing a port with {@code SO_REUSEPORT},
     * one per loop, among which the kernel spreads the connections.
     */
    AbstractChannel newLoopListener(EventLoop loop, ChannelSetup childSetup);

    /**
     * Makes {@code channel} (from {@link #newSocketChannel}) a channel on the connected stream
     * socket {@code socket} (a descriptor passed over a Unix domain socket, say), set up by
     * {@code setup} as an accepted one is; the descriptor's reference passes to the transport.
     * Runs on the channel's loop; completes {@code promise} once the channel is active.
     * By default the transport cannot, and the promise fails.
     */
    default void adopt(AbstractChannel channel, PassableDescriptor socket, ChannelSetup setup, ChannelPromise promise) {
        socket.release();
        promise.tryFailure(new IOException("this transport does not adopt sockets"));
    }
}
