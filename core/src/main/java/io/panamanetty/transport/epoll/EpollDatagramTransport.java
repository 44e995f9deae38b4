package io.panamanetty.transport.epoll;

import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.internal.AbstractChannel;
import io.panamanetty.channel.internal.ChannelSetup;
import io.panamanetty.channel.internal.DatagramTransport;

import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;

/** Epoll's UDP channels, for the bootstrap: registered by {@link EpollIoHandler}. */
final class EpollDatagramTransport implements DatagramTransport {

    @Override
    public AbstractChannel newDatagramChannel(EventLoop loop) {
        return new EpollDatagramChannel(loop);
    }

    @Override
    public void open(AbstractChannel channel, ChannelSetup setup, InetSocketAddress local, InetSocketAddress remote,
                     ChannelPromise promise) {
        if (!channel.isOpen()) {
            promise.tryFailure(new ClosedChannelException());
            return;
        }
        ((EpollDatagramChannel) channel).open(setup, local, remote, promise);
    }
}
