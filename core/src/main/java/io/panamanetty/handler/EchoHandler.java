package io.panamanetty.handler;

import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;

/**
 * Writes back everything it reads, without copying. While the channel is not
 * writable (the peer reads slower than it sends) it stops reading, so a client that
 * sends without ever reading cannot grow the server's memory: TCP flow control
 * holds it back instead.
 */
@ChannelHandler.Sharable
public class EchoHandler extends ChannelHandlerAdapter {

    /** A new echo handler (keeps no state; one per channel or shared, as you like). */
    public EchoHandler() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        ctx.write(message, ctx.voidPromise());   // nobody waits on an echo: no future per message
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
