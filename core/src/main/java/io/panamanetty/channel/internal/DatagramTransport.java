package io.panamanetty.channel.internal;

import io.panamanetty.channel.EventLoop;

/**
 * What the bootstrap needs of a transport to make UDP channels: a transport registers one
 * with {@link Transports}, keyed like its {@link TcpTransport}. The channel opens its socket
 * when the bootstrap's bind or connect reaches the head of its pipeline
 * ({@link AbstractChannel#bindNow}, {@link AbstractChannel#connectNow}), as TCP's channels do.
 */
public interface DatagramTransport {

    /** A datagram channel on {@code loop}, without a socket yet. */
    AbstractChannel newDatagramChannel(EventLoop loop);
}
