package io.panamanetty.transport.uring;

import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.internal.AbstractChannel;
import io.panamanetty.channel.internal.ChannelSetup;
import io.panamanetty.channel.internal.LoopInternals;
import io.panamanetty.channel.internal.TcpTransport;

/**
 * io_uring's TCP channels, for the bootstraps: registered by {@link IoUringIoHandler}. A
 * server's accepted connections live on io_uring loops too: a child group of another
 * transport is refused at bind.
 */
final class IoUringTcpTransport implements TcpTransport {

    @Override
    public AbstractChannel newSocketChannel(EventLoop loop) {
        return new IoUringSocketChannel(loop);
    }

    @Override
    public AbstractChannel newServerChannel(EventLoop loop, EventLoopGroup childGroup, ChannelSetup childSetup) {
        Object childHandler = LoopInternals.access().ioHandler(childGroup.loops().get(0));
        if (!(childHandler instanceof IoUringIoHandler)) {
            throw new IllegalArgumentException("an io_uring server's child group must run io_uring loops too, not "
                    + childHandler + " (" + childGroup + ")");
        }
        return new IoUringServerChannel(loop, childGroup, childSetup);
    }

    @Override
    public AbstractChannel newLoopListener(EventLoop loop, ChannelSetup childSetup) {
        return new IoUringServerChannel(loop, null, childSetup);
    }
}
