package io.panamanetty.transport.epoll;

import io.panamanetty.channel.IoHandler;
import io.panamanetty.channel.IoHandlerFactory;

import java.io.IOException;

/**
 * Makes {@link EpollIoHandler}s: the epoll transport's loops.
 * <pre>{@code
 * EventLoopGroup workers = new EventLoopGroup(2, "Worker", new EpollIoHandlerFactory());
 * }</pre>
 * Also the default transport: the module provides it to {@link java.util.ServiceLoader}, so
 * {@code new EventLoopGroup(n, name)} runs epoll.
 */
public final class EpollIoHandlerFactory implements IoHandlerFactory {


    /** A factory (they hold no state: any instance will do). */
    public EpollIoHandlerFactory() {
    }

    /**
     * A new epoll instance with its wake-up eventfd.
     *
     * @throws IOException naming {@code epoll_create1} or {@code eventfd} and the errno
     */
    @Override
    public IoHandler newHandler() throws IOException {
        return new EpollIoHandler();
    }

    @Override
    public String toString() {
        return "epoll";
    }
}
