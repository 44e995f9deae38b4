package io.panamanetty.bootstrap;

import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.tls.TlsHandler;

import java.util.concurrent.CompletableFuture;

/**
 * The last handler of a client channel that {@link Bootstrap#tls} set up: a failed handshake
 * is reported once, through the connect future (its {@code sync()} throws it), so the same
 * exception reaching the end of the pipeline is dropped here instead of being logged as
 * unhandled. Handlers before it still see it in {@code exceptionCaught}; any other exception
 * passes on.
 */
@ChannelHandler.Sharable
final class HandshakeFailureSink implements ChannelHandler {
    private final TlsHandler tls;

    HandshakeFailureSink(TlsHandler tls) {
        this.tls = tls;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        CompletableFuture<?> handshake = tls.handshakeFuture();
        if (!(handshake.isCompletedExceptionally() && handshake.exceptionNow() == cause)) {
            ctx.fireExceptionCaught(cause);
        }
    }
}
