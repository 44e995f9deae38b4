/**
 * panama-netty's core: event loops, channels, bootstraps, futures, handlers and
 * buffers, on the epoll bindings.
 */
module io.panamanetty.core {
    requires transitive io.panamanetty.bindings;

    exports io.panamanetty.buffer;
    exports io.panamanetty.channel;
    exports io.panamanetty.codec;
    exports io.panamanetty.handler;
    exports io.panamanetty.tls;
}
