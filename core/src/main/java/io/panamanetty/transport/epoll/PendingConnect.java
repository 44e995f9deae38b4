package io.panamanetty.transport.epoll;

/**
 * A connect an {@link EpollSocketChannel} is waiting for ({@link SocketConnector} for TCP,
 * {@link UnixConnector} for a Unix domain socket): it gets the channel's epoll events and
 * hears of its close. Event-loop confined.
 */
interface PendingConnect {

    /** EPOLLOUT, EPOLLERR or EPOLLHUP arrived for the connecting socket. */
    void socketReady();

    /** The channel was closed while connecting: the connect is cancelled. */
    void channelClosed();
}
