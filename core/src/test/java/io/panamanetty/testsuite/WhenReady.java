package io.panamanetty.testsuite;

import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;

/**
 * A server handler that starts writing once its channel carries application data: when it
 * becomes active in clear, when the handshake is done under TLS.
 */
abstract class WhenReady extends ChannelHandlerAdapter {
    private final boolean tls;

    WhenReady(boolean tls) {
        this.tls = tls;
    }

    /** The channel can carry application data now. */
    abstract void ready(ChannelHandlerContext ctx);

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!tls) {
            ready(ctx);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelHandshakeComplete(ChannelHandlerContext ctx) {
        ready(ctx);
        ctx.fireChannelHandshakeComplete();
    }
}
