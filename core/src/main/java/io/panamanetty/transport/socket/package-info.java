/**
 * What the socket transports (epoll's and io_uring's) do alike on a socket, kept once: the
 * table of socket options and how each goes to {@code setsockopt} and back
 * ({@link io.panamanetty.transport.socket.SocketOptionTable}), a channel's option state
 * across connect attempts ({@link io.panamanetty.transport.socket.ChannelSocketOptions}),
 * {@code TCP_INFO} and the other questions a socket answers
 * ({@link io.panamanetty.transport.socket.SocketQueries}), the walk of a connect over the
 * resolved addresses ({@link io.panamanetty.transport.socket.AddressWalk}) and a listening
 * socket's setup ({@link io.panamanetty.transport.socket.ListeningSockets}).
 *
 * <p>It sits beside {@code io.panamanetty.channel}, below both transports, and names
 * neither: a transport gives it its channel as a {@link io.panamanetty.transport.socket.SocketOwner}.
 * Not exported: users name the options through a transport's public classes.
 */
package io.panamanetty.transport.socket;
