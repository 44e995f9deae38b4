package io.panamanetty.transport.epoll;

import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.internal.AbstractChannel;
import io.panamanetty.channel.internal.ChannelSetup;
import io.panamanetty.channel.internal.TcpTransport;

import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.List;

/** Epoll's TCP channels, for the bootstraps: registered by {@link EpollIoHandlerFactory}. */
final class EpollTcpTransport implements TcpTransport {

    @Override
    public AbstractChannel newSocketChannel(EventLoop loop) {
        return new EpollSocketChannel(loop);
    }

    @Override
    public void connect(AbstractChannel channel, ChannelSetup setup, InetSocketAddress localAddress,
                        List<InetSocketAddress> addresses, String target, ChannelPromise promise) {
        if (!channel.isOpen()) {
            promise.tryFailure(new ClosedChannelException());
            return;
        }
        new SocketConnector((EpollSocketChannel) channel, setup, localAddress, addresses, target, promise).start();
    }

    @Override
    public AbstractChannel newServerChannel(EventLoop loop, EventLoopGroup childGroup, ChannelSetup childSetup) {
        return new EpollServerChannel(loop, childGroup, childSetup);
    }

    @Override
    public void bind(AbstractChannel server, InetSocketAddress address, ChannelSetup setup, ChannelPromise promise) {
        ((EpollServerChannel) server).bind(address, setup, promise);
    }
}
