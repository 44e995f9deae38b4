package io.panamanetty.transport.epoll;

import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.PassableDescriptor;
import io.panamanetty.channel.internal.AbstractChannel;
import io.panamanetty.channel.internal.ChannelSetup;
import io.panamanetty.channel.internal.TcpTransport;

/** Epoll's TCP channels, for the bootstraps: registered by {@link EpollIoHandlerFactory}. */
final class EpollTcpTransport implements TcpTransport {

    @Override
    public AbstractChannel newSocketChannel(EventLoop loop) {
        return new EpollSocketChannel(loop);
    }

    @Override
    public AbstractChannel newServerChannel(EventLoop loop, EventLoopGroup childGroup, ChannelSetup childSetup) {
        return new EpollServerChannel(loop, childGroup, childSetup);
    }

    @Override
    public AbstractChannel newLoopListener(EventLoop loop, ChannelSetup childSetup) {
        return new EpollServerChannel(loop, null, childSetup);
    }

    @Override
    public void adopt(AbstractChannel channel, PassableDescriptor socket, ChannelSetup setup, ChannelPromise promise) {
        SocketAdoption.adopt((EpollSocketChannel) channel, socket, setup, promise);
    }
}
