package io.panamanetty.channel.group;

import io.panamanetty.channel.BlockingOperationException;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelFutureListener;
import io.panamanetty.channel.EventLoop;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The {@link ChannelGroupFuture} of the channels' futures given to it; thread-safe, listeners run once each. */
final class DefaultChannelGroupFuture implements ChannelGroupFuture {
    private static final System.Logger LOG = System.getLogger(DefaultChannelGroupFuture.class.getName());

    private final ChannelGroup group;
    private final Map<Channel, ChannelFuture> futures;
    private final List<Map.Entry<Channel, Throwable>> failures = new ArrayList<>();   // guarded by this
    private int pending;                                                            // guarded by this
    private int succeeded;                                                          // guarded by this
    private volatile boolean done;
    private volatile ChannelGroupException cause;
    private List<ChannelGroupFutureListener> listeners;                             // guarded by this

    /** Done when every future of {@code futures} is; the map is kept as given (not copied). */
    DefaultChannelGroupFuture(ChannelGroup group, LinkedHashMap<Channel, ChannelFuture> futures) {
        this.group = group;
        this.futures = Collections.unmodifiableMap(futures);
        this.pending = futures.size();
        if (pending == 0) {
            done = true;
            return;
        }
        ChannelFutureListener partDone = this::partDone;
        for (ChannelFuture future : futures.values()) {
            future.addListener(partDone);
        }
    }

    private void partDone(ChannelFuture part) {
        List<ChannelGroupFutureListener> toNotify;
        synchronized (this) {
            if (part.isSuccess()) {
                succeeded++;
            } else {
                failures.add(Map.entry(part.channel(), part.cause()));
            }
            if (--pending > 0) {
                return;
            }
            if (!failures.isEmpty()) {
                cause = new ChannelGroupException(failures);
            }
            done = true;
            notifyAll();
            toNotify = listeners;
            listeners = null;
        }
        if (toNotify != null) {
            toNotify.forEach(this::notify);
        }
    }

    @Override
    public ChannelGroup group() {
        return group;
    }

    @Override
    public ChannelFuture find(Channel channel) {
        return futures.get(channel);
    }

    @Override
    public int size() {
        return futures.size();
    }

    @Override
    public Iterator<ChannelFuture> iterator() {
        return futures.values().iterator();
    }

    @Override
    public boolean isDone() {
        return done;
    }

    @Override
    public boolean isSuccess() {
        return done && cause == null;
    }

    @Override
    public synchronized boolean isPartialSuccess() {
        return done && succeeded > 0 && !failures.isEmpty();
    }

    @Override
    public boolean isPartialFailure() {
        return done && cause != null;
    }

    @Override
    public ChannelGroupException cause() {
        return cause;
    }

    @Override
    public ChannelGroupFuture addListener(ChannelGroupFutureListener listener) {
        synchronized (this) {
            if (!done) {
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
    public synchronized ChannelGroupFuture removeListener(ChannelGroupFutureListener listener) {
        if (listeners != null) {
            int index = listeners.lastIndexOf(listener);
            if (index >= 0) {
                listeners.remove(index);
            }
        }
        return this;
    }

    private void notify(ChannelGroupFutureListener listener) {
        try {
            listener.operationComplete(this);
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "a group future listener threw; ignored", t);
        }
    }

    @Override
    public ChannelGroupFuture sync() throws InterruptedException {
        await();
        ChannelGroupException failed = cause;
        if (failed != null) {
            throw failed;
        }
        return this;
    }

    @Override
    public ChannelGroupFuture await() throws InterruptedException {
        if (done) {
            return this;
        }
        checkDeadlock();
        synchronized (this) {
            while (!done) {
                wait();
            }
        }
        return this;
    }

    @Override
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        if (done) {
            return true;
        }
        checkDeadlock();
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (this) {
            long left;
            while (!done && (left = deadline - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        return done;
    }

    private void checkDeadlock() {
        for (ChannelFuture future : futures.values()) {
            EventLoop loop = future.channel().eventLoop();
            if (!future.isDone() && loop != null && loop.inEventLoop()) {
                throw new BlockingOperationException("waiting on a group future from " + Thread.currentThread().getName()
                        + ", the event loop of its pending " + future.channel() + ", would deadlock; add a listener instead");
            }
        }
    }

    @Override
    public String toString() {
        String state = !done ? "pending" : cause == null ? "success" : "failed: " + cause.getMessage();
        return "ChannelGroupFuture(" + group.name() + ", " + futures.size() + " channel(s), " + state + ")";
    }
}
