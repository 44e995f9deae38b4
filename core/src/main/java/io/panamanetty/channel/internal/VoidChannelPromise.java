package io.panamanetty.channel.internal;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFutureListener;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;

import java.util.concurrent.TimeUnit;

/**
 * The promise to pass when nobody will look at the outcome (see
 * {@link ChannelHandlerContext#voidPromise()}): one per channel, so a write allocates no
 * future. A failure goes to the pipeline's {@code exceptionCaught}; listening or waiting
 * on it is an error.
 */
final class VoidChannelPromise implements ChannelPromise {
    private final AbstractChannel channel;

    VoidChannelPromise(AbstractChannel channel) {
        this.channel = channel;
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public boolean isDone() {
        return false;
    }

    @Override
    public boolean isSuccess() {
        return false;
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public Throwable cause() {
        return null;
    }

    @Override
    public boolean trySuccess() {
        return true;
    }

    @Override
    public boolean tryFailure(Throwable cause) {
        if (channel.isOpen() || !(cause instanceof java.nio.channels.ClosedChannelException)) {
            channel.pipeline.fireExceptionCaught(cause);
        }
        return true;
    }

    @Override
    public boolean isVoid() {
        return true;
    }

    @Override
    public ChannelPromise addListener(ChannelFutureListener listener) {
        throw unsupported();
    }

    @Override
    public ChannelPromise sync() {
        throw unsupported();
    }

    @Override
    public ChannelPromise await() {
        throw unsupported();
    }

    @Override
    public boolean await(long timeout, TimeUnit unit) {
        throw unsupported();
    }

    private static IllegalStateException unsupported() {
        return new IllegalStateException("the void promise has no outcome to wait for or listen to;"
                + " pass newPromise() instead");
    }

    @Override
    public String toString() {
        return "VoidChannelPromise(" + channel + ")";
    }
}
