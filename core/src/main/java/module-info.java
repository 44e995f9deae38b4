/**
 * panama-netty's core: event loops, channels, bootstraps, futures, handlers, buffers,
 * TLS and codecs, and the epoll transport, on the bindings.
 *
 * <p>The transport-neutral API is {@code io.panamanetty.channel}; transports sit beside it
 * ({@code io.panamanetty.transport.epoll}, and io_uring's in {@code io.panamanetty.transport.uring}) and the bootstraps above both. What channels
 * and transports share behind the API ({@code io.panamanetty.channel.internal},
 * {@code io.panamanetty.internal}, and the two transports' common socket code in
 * {@code io.panamanetty.transport.socket}) is not exported.
 */
module io.panamanetty.core {
    requires io.panamanetty.bindings;

    exports io.panamanetty.bootstrap;
    exports io.panamanetty.buffer;
    exports io.panamanetty.channel;
    exports io.panamanetty.channel.embedded;
    exports io.panamanetty.channel.group;
    exports io.panamanetty.codec;
    exports io.panamanetty.file;
    exports io.panamanetty.handler;
    exports io.panamanetty.handler.stream;
    exports io.panamanetty.handler.traffic;
    exports io.panamanetty.tls;
    exports io.panamanetty.transport.epoll;
    exports io.panamanetty.transport.uring;

    uses io.panamanetty.channel.IoHandlerFactory;
    provides io.panamanetty.channel.IoHandlerFactory with io.panamanetty.transport.epoll.EpollIoHandlerFactory;
}
