package io.panamanetty.channel;

import java.io.IOException;

/**
 * Makes the {@link IoHandler} of one {@link EventLoop}: it picks the transport a group's
 * loops run (see {@link EventLoopGroup#EventLoopGroup(int, String, IoHandlerFactory)}).
 * Called on the new loop's own thread, before it runs anything else (a completion ring
 * may be tied to the thread that made it).
 *
 * <p>{@link EventLoopGroup#EventLoopGroup(int, String)} takes the first factory that
 * {@link java.util.ServiceLoader} finds, which is epoll's unless another transport's
 * module is asked for; this package itself names no transport.
 */
@FunctionalInterface
public interface IoHandlerFactory {

    /**
     * A new handler for the calling loop thread.
     *
     * @throws IOException if the kernel refuses (out of descriptors, an old kernel)
     */
    IoHandler newHandler() throws IOException;
}
