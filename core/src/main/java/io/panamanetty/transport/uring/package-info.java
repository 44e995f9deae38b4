/**
 * The io_uring transport (issue 18): {@link io.panamanetty.transport.uring.IoUringIoHandler}
 * runs an event loop on one io_uring instance (wake-ups through an eventfd read posted on
 * the ring, poll timeouts through {@code IORING_OP_TIMEOUT}), with TCP server and client
 * channels. They take the socket options epoll's TCP channels take (the same option objects,
 * {@code EpollChannelOption}'s and raw ones) and answer {@code tcpInfo()}: that code is
 * shared with epoll in {@code io.panamanetty.transport.socket}.
 * {@code new EventLoopGroup(n, name, new IoUringIoHandlerFactory())} asks for it; the
 * default transport stays epoll.
 */
package io.panamanetty.transport.uring;
