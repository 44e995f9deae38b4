package io.panamanetty.channel.internal;

import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.EventLoop;

import java.net.InetSocketAddress;

/**
 * What the bootstrap needs of a transport to make UDP channels: a transport registers one
 * with {@link Transports}, keyed like its {@link TcpTransport}. {@link #open} runs on the
 * channel's loop.
 */
public interface DatagramTransport {

    /** A datagram channel on {@code loop}, without a socket yet. */
    AbstractChannel newDatagramChannel(EventLoop loop);

    /**
     * Opens {@code channel}'s socket (of the family of {@code local}, else of {@code remote}),
     * applies {@code setup}'s socket options, binds it to {@code local} (null: the kernel
     * picks when connecting) and connects it to {@code remote} (null: unconnected), then
     * registers it and makes it active; completes {@code promise} either way.
     */
    void open(AbstractChannel channel, ChannelSetup setup, InetSocketAddress local, InetSocketAddress remote,
              ChannelPromise promise);
}
