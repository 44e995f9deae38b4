package io.panamanetty.channel.internal;

import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;

import java.net.SocketAddress;

/**
 * The head of every pipeline: where outbound operations leave the handlers and
 * become socket I/O, and where inbound events enter.
 */
final class HeadHandler implements ChannelHandler {
    private final AbstractChannel channel;

    HeadHandler(AbstractChannel channel) {
        this.channel = channel;
    }

    @Override
    public void bind(ChannelHandlerContext ctx, SocketAddress localAddress, ChannelPromise promise) {
        channel.bindNow(localAddress, promise);
    }

    @Override
    public void connect(ChannelHandlerContext ctx, SocketAddress remoteAddress, SocketAddress localAddress,
                        ChannelPromise promise) {
        channel.connectNow(remoteAddress, localAddress, promise);
    }

    @Override
    public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
        channel.disconnectNow(promise);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
        channel.writeNow(message, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        channel.flushNow();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        channel.closeNow(promise);
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        channel.readNow();
    }
}
