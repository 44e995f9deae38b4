package io.panamanetty.channel.internal;

import io.panamanetty.channel.ChannelFutureListener;
import io.panamanetty.channel.ChannelPromise;

import java.util.concurrent.TimeUnit;

/**
 * A promise whose outcome nobody observes: never done, completing it does nothing a caller
 * sees, and listening or waiting on it is an error. Subclasses say what becomes of a failure
 * and how the error reads.
 */
abstract class OutcomelessPromise implements ChannelPromise {

    /** The exception thrown by {@link #addListener}, {@link #sync} and {@link #await}. */
    abstract RuntimeException unsupported();

    @Override
    public boolean trySuccess() {
        return true;
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
    public boolean isVoid() {
        return true;
    }

    @Override
    public ChannelPromise addListener(ChannelFutureListener listener) {
        throw unsupported();
    }

    @Override
    public ChannelPromise removeListener(ChannelFutureListener listener) {
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
}
