/**
 * The epoll transport: {@link io.panamanetty.transport.epoll.EpollIoHandler} (one
 * level-triggered epoll instance per event loop) and its TCP and UDP channels (batched
 * {@code recvmmsg}/{@code sendmmsg}, GSO, multicast), and Unix domain stream and datagram
 * channels (descriptors passed with {@code SCM_RIGHTS};
 * {@link io.panamanetty.transport.epoll.EpollDescriptors} for a channel's own socket), made
 * through the bootstraps;
 * {@link io.panamanetty.transport.epoll.Splice} for zero-copy forwarding;
 * {@link io.panamanetty.transport.epoll.EpollChannelOption} and
 * {@link io.panamanetty.transport.epoll.RawSocketOption} for Linux's socket options.
 * It is the default transport: {@code new EventLoopGroup(n, name)} runs it, and
 * {@code new EventLoopGroup(n, name, new EpollIoHandlerFactory())} names it.
 */
package io.panamanetty.transport.epoll;
