package io.panamanetty.channel.internal;

import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.DomainSocketAddress;
import io.panamanetty.channel.EventLoop;

/**
 * What the bootstrap needs of a transport to make Unix domain datagram channels: a
 * transport registers one with {@link Transports}, keyed like its {@link TcpTransport}.
 * {@link #open} runs on the channel's loop.
 */
public interface DomainDatagramTransport {

    /** A Unix domain datagram channel on {@code loop}, without a socket yet. */
    AbstractChannel newDomainDatagramChannel(EventLoop loop);

    /**
     * Opens {@code channel}'s socket, applies {@code setup}'s socket options, binds it to
     * {@code local} (null: an abstract name the kernel picks) and connects it to
     * {@code remote} (null: unconnected), then registers it and makes it active; completes
     * {@code promise} either way.
     */
    void open(AbstractChannel channel, ChannelSetup setup, DomainSocketAddress local, DomainSocketAddress remote,
              ChannelPromise promise);
}
