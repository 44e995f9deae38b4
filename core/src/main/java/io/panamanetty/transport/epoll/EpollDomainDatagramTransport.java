package io.panamanetty.transport.epoll;

import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.DomainSocketAddress;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.internal.AbstractChannel;
import io.panamanetty.channel.internal.ChannelSetup;
import io.panamanetty.channel.internal.DomainDatagramTransport;

import java.nio.channels.ClosedChannelException;

/** Epoll's Unix domain datagram channels, for the bootstrap: registered by {@link EpollIoHandler}. */
final class EpollDomainDatagramTransport implements DomainDatagramTransport {

    @Override
    public AbstractChannel newDomainDatagramChannel(EventLoop loop) {
        return new EpollDomainDatagramChannel(loop);
    }

    @Override
    public void open(AbstractChannel channel, ChannelSetup setup, DomainSocketAddress local, DomainSocketAddress remote,
                     ChannelPromise promise) {
        if (!channel.isOpen()) {
            promise.tryFailure(new ClosedChannelException());
            return;
        }
        ((EpollDomainDatagramChannel) channel).open(setup, local, remote, promise);
    }
}
