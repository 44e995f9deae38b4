package io.panamanetty.channel.internal;

import io.panamanetty.channel.BlockingOperationException;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelException;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelFutureListener;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.EventLoop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

/** The promise of one channel operation. Thread-safe; listeners run once each. */
public class DefaultChannelPromise implements ChannelPromise {
    private static final Object SUCCESS = new Object();

    private final Channel channel;
    /** For bind and connect: a failure is also the end of the channel's life, see {@link #closeFuture()}. */
    private final boolean failureEndsChannel;
    /** null while pending, then {@link #SUCCESS} or the failure's Throwable. */
    private volatile Object result;
    private List<ChannelFutureListener> listeners;   // guarded by this
    private int waiters;                             // guarded by this
    /** Set for a connect: {@link #cancel} may end it, closing the channel. */
    private volatile boolean cancellable;

    /** A promise of {@code channel}. */
    public DefaultChannelPromise(Channel channel) {
        this(channel, false);
    }

    /**
     * A promise of {@code channel}; with {@code failureEndsChannel} (a bind or connect), its
     * {@link #closeFuture()} after a failure is the promise itself, so that {@code closeFuture().sync()} rethrows.
     */
    public DefaultChannelPromise(Channel channel, boolean failureEndsChannel) {
        this.channel = channel;
        this.failureEndsChannel = failureEndsChannel;
    }

    /**
     * The channel's close future; for a bind or connect that failed, this future
     * itself, so that {@code bind(port).closeFuture().sync()} reports the failure.
     */
    @Override
    public ChannelFuture closeFuture() {
        return failureEndsChannel && isDone() && !isSuccess() ? this : channel.closeFuture();
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public boolean isDone() {
        return result != null;
    }

    @Override
    public boolean isSuccess() {
        return result == SUCCESS;
    }

    @Override
    public boolean isCancelled() {
        return result instanceof CancellationException;
    }

    /**
     * Lets {@link #cancel} end this operation by closing the channel (a connect: closing
     * the channel aborts it); returns this promise.
     */
    public DefaultChannelPromise cancelClosesChannel() {
        cancellable = true;
        return this;
    }

    /**
     * Cancels the operation if it is pending and {@linkplain #cancelClosesChannel cancellable}:
     * completes it with a {@link CancellationException}, then closes the channel.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (!cancellable || !complete(new CancellationException("cancelled: " + channel))) {
            return false;
        }
        channel.close();
        return true;
    }

    @Override
    public Throwable cause() {
        return result instanceof Throwable t ? t : null;
    }

    @Override
    public boolean trySuccess() {
        return complete(SUCCESS);
    }

    @Override
    public boolean tryFailure(Throwable cause) {
        return complete(cause == null ? new NullPointerException("failure without a cause") : cause);
    }

    private boolean complete(Object outcome) {
        List<ChannelFutureListener> toNotify;
        synchronized (this) {
            if (result != null) {
                return false;
            }
            result = outcome;
            toNotify = listeners;
            listeners = null;
            if (waiters > 0) {
                notifyAll();
            }
        }
        if (toNotify != null) {
            for (ChannelFutureListener listener : toNotify) {
                notify(listener);
            }
        }
        return true;
    }

    @Override
    public ChannelPromise addListener(ChannelFutureListener listener) {
        synchronized (this) {
            if (result == null) {
                if (listeners == null) {
                    listeners = new ArrayList<>(2);
                }
                listeners.add(listener);
                return this;
            }
        }
        notify(listener);
        return this;
    }

    @Override
    public ChannelPromise removeListener(ChannelFutureListener listener) {
        synchronized (this) {
            if (listeners != null) {
                int index = listeners.lastIndexOf(listener);
                if (index >= 0) {
                    listeners.remove(index);
                }
            }
        }
        return this;
    }

    private void notify(ChannelFutureListener listener) {
        try {
            listener.operationComplete(this);
        } catch (Throwable t) {
            SafeLog.warning(DefaultChannelPromise.class, () -> "a future listener threw; ignored", t);
        }
    }

    @Override
    public ChannelPromise sync() throws InterruptedException {
        await();
        Throwable cause = cause();
        if (cause == null) {
            return this;
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        throw new ChannelException(cause);
    }

    @Override
    public ChannelPromise await() throws InterruptedException {
        if (isDone()) {
            return this;
        }
        checkDeadlock();
        synchronized (this) {
            waiters++;
            try {
                while (result == null) {
                    wait();
                }
            } finally {
                waiters--;
            }
        }
        return this;
    }

    @Override
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        if (isDone()) {
            return true;
        }
        checkDeadlock();
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (this) {
            waiters++;
            try {
                long left;
                while (result == null && (left = deadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            } finally {
                waiters--;
            }
        }
        return isDone();
    }

    private void checkDeadlock() {
        EventLoop loop = channel.eventLoop();
        if (loop != null && loop.inEventLoop()) {
            throw new BlockingOperationException("waiting on " + this + " from its own event loop "
                    + Thread.currentThread().getName() + " would deadlock; add a listener instead");
        }
    }

    @Override
    public String toString() {
        Object r = result;
        String state = r == null ? "pending" : r == SUCCESS ? "success"
                : r instanceof CancellationException ? "cancelled" : "failed: " + r;
        return "ChannelFuture(" + channel + ", " + state + ")";
    }
}
