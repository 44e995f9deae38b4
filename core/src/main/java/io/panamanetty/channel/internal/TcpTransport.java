package io.panamanetty.channel.internal;

import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.EventLoopGroup;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What the bootstraps need of a transport to make TCP channels: a transport registers
 * one with {@link Transports}, keyed by its {@link io.panamanetty.channel.IoHandlerFactory}
 * class. The methods with a promise run on the channel's loop.
 */
public interface TcpTransport {

    /** A client channel on {@code loop}, not connected yet. */
    AbstractChannel newSocketChannel(EventLoop loop);

    /**
     * Connects {@code channel} (made by {@link #newSocketChannel}) to each address in turn
     * under its connect timeout, applying {@code setup}'s socket options to each attempt's
     * socket and binding it to {@code localAddress} unless that is null; {@code target} is the
     * host and port as the user gave them, for messages.
     */
    void connect(AbstractChannel channel, ChannelSetup setup, InetSocketAddress localAddress,
                 List<InetSocketAddress> addresses, String target, ChannelPromise promise);

    /** A listening channel on {@code loop} whose accepted channels go to {@code childGroup}, set up by {@code childSetup}. */
    AbstractChannel newServerChannel(EventLoop loop, EventLoopGroup childGroup, ChannelSetup childSetup);

    /** Binds and listens: {@code server} (made by {@link #newServerChannel}) on {@code address}, with {@code setup}'s options. */
    void bind(AbstractChannel server, InetSocketAddress address, ChannelSetup setup, ChannelPromise promise);
}
