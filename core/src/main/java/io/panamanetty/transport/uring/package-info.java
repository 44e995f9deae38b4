/**
 * The io_uring transport (issue 18), being built: {@link io.panamanetty.transport.uring.IoUringIoHandler}
 * runs an event loop on one io_uring instance (wake-ups through an eventfd read posted on
 * the ring, poll timeouts through {@code IORING_OP_TIMEOUT}); channels are to follow.
 * {@code new EventLoopGroup(n, name, new IoUringIoHandlerFactory())} asks for it; the
 * default transport stays epoll.
 */
package io.panamanetty.transport.uring;
