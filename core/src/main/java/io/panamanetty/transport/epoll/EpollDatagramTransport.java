package io.panamanetty.transport.epoll;

import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.internal.AbstractChannel;
import io.panamanetty.channel.internal.DatagramTransport;

/**
 * Epoll's UDP channels, for the bootstrap: registered by {@link EpollIoHandler}. The channel
 * opens its socket when the bootstrap's bind or connect reaches its pipeline's head.
 */
final class EpollDatagramTransport implements DatagramTransport {

    @Override
    public AbstractChannel newDatagramChannel(EventLoop loop) {
        return new EpollDatagramChannel(loop);
    }
}
