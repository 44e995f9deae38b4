package io.panamanetty.channel.internal;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandlerContext;

import java.nio.channels.ClosedChannelException;

/**
 * The promise to pass when nobody will look at the outcome (see
 * {@link ChannelHandlerContext#voidPromise()}): one per channel, so a write allocates no
 * future. A failure goes to the pipeline's {@code exceptionCaught}; listening or waiting
 * on it is an error.
 */
final class VoidChannelPromise extends OutcomelessPromise {
    private final AbstractChannel channel;

    VoidChannelPromise(AbstractChannel channel) {
        this.channel = channel;
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public boolean tryFailure(Throwable cause) {
        if (channel.isOpen() || !(cause instanceof ClosedChannelException)) {
            channel.pipeline.fireExceptionCaught(cause);
        }
        return true;
    }

    @Override
    IllegalStateException unsupported() {
        return new IllegalStateException("the void promise has no outcome to wait for or listen to;"
                + " pass newPromise() instead");
    }

    @Override
    public String toString() {
        return "VoidChannelPromise(" + channel + ")";
    }
}
