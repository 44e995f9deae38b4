package io.panamanetty.channel.internal;

import io.panamanetty.buffer.ReferenceCounted;
import io.panamanetty.channel.Attribute;
import io.panamanetty.channel.AttributeKey;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelConfig;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelId;
import io.panamanetty.channel.ChannelPipeline;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.IoHandle;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;

/**
 * What every channel shares, whatever its kind and transport: the loop, the pipeline,
 * the config, closing and its callbacks, attributes, addresses. A transport's channels
 * extend it and fill in the I/O ({@code *Now} methods, {@link #closeTransport()}).
 * The {@code *Now} methods run on the event loop only.
 */
public abstract class AbstractChannel implements Channel, IoHandle {
    private static final LoopInternals.Access LOOPS = LoopInternals.access();
    private static final VarHandle ATTRIBUTES;

    static {
        try {
            ATTRIBUTES = MethodHandles.lookup().findVarHandle(AbstractChannel.class, "attributes", Map.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ChannelId id = ChannelId.next();
    /** The loop this channel lives on. */
    protected final EventLoop loop;
    /** The channel's pipeline. */
    protected final DefaultChannelPipeline pipeline;
    private final DefaultChannelPromise closeFuture;
    /** The one promise of this channel for writes nobody waits on. */
    final VoidChannelPromise voidPromise = new VoidChannelPromise(this);
    /** Made on the first {@link #attr}: most connections never have an attribute. */
    private volatile Map<AttributeKey<?>, Attribute<?>> attributes;
    private final Runnable endOfTurnFlush = this::runEndOfTurnFlush;
    private boolean flushScheduled;
    private volatile Predicate<Throwable> reportedElsewhere;
    private volatile ChannelSetup setup;

    /** False once closed; the transport uses no descriptor of this channel after that. */
    protected volatile boolean open = true;
    /** True while connected (bound, for a listening channel). */
    protected volatile boolean active;
    /** True between {@code channelRegistered} and the close that fires {@code channelUnregistered}. */
    private boolean registered;
    /** Set by the transport once known. */
    protected volatile SocketAddress localAddress;
    /** Set by the transport once connected. */
    protected volatile SocketAddress remoteAddress;

    /** A channel on {@code loop}; its config must be made by {@link #config()} without touching I/O. */
    protected AbstractChannel(EventLoop loop) {
        this.loop = loop;
        this.pipeline = new DefaultChannelPipeline(this);
        this.closeFuture = new DefaultChannelPromise(this);
    }

    // ------------------------------------------------------------ public API

    @Override
    public ChannelId id() {
        return id;
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    public ChannelPipeline pipeline() {
        return pipeline;
    }

    @Override
    public abstract ChannelConfig config();

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open && active;
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public ChannelFuture closeFuture() {
        return closeFuture;
    }

    @Override
    public ChannelFuture write(Object message) {
        return pipeline.write(message);
    }

    @Override
    public Channel flush() {
        pipeline.flush();
        return this;
    }

    @Override
    public ChannelFuture writeAndFlush(Object message) {
        return pipeline.writeAndFlush(message);
    }

    @Override
    public ChannelFuture close() {
        return pipeline.close();
    }

    @Override
    public Channel read() {
        pipeline.read();
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> Attribute<T> attr(AttributeKey<T> key) {
        Map<AttributeKey<?>, Attribute<?>> map = attributes;
        if (map == null) {
            Map<AttributeKey<?>, Attribute<?>> fresh = new ConcurrentHashMap<>(4);
            map = (Map<AttributeKey<?>, Attribute<?>>) ATTRIBUTES.compareAndExchange(this, null, fresh);
            if (map == null) {
                map = fresh;   // ours won the race
            }
        }
        return (Attribute<T>) map.computeIfAbsent(key, Attribute::new);
    }

    @Override
    public <T> boolean hasAttr(AttributeKey<T> key) {
        Map<AttributeKey<?>, Attribute<?>> map = attributes;
        return map != null && map.containsKey(key);
    }

    /** A new promise of this channel. */
    public DefaultChannelPromise newPromise() {
        return new DefaultChannelPromise(this);
    }

    // ----------------------------------------------------- event-loop side

    /**
     * A message reached the head: queue it for the socket. By default the channel does not
     * write (a listening channel): the message is released and the promise fails.
     */
    protected void writeNow(Object message, ChannelPromise promise) {
        if (message instanceof ReferenceCounted counted) {
            counted.release();
        }
        promise.tryFailure(new UnsupportedOperationException(this + " does not write messages"));
    }

    /** A flush reached the head; by default there is nothing to flush. */
    protected void flushNow() {
    }

    /** Flushes what this turn wrote, as the loop's turn ends (see {@link #flushAtEndOfTurn()}); by default nothing. */
    protected void flushWrittenThisTurn() {
    }

    /**
     * A bind reached the head of the pipeline. By default the channel cannot bind (an
     * accepted connection, say) and the promise fails.
     */
    protected void bindNow(SocketAddress localAddress, ChannelPromise promise) {
        promise.tryFailure(new UnsupportedOperationException(this + " cannot be bound"));
    }

    /**
     * A connect reached the head of the pipeline, {@code remoteAddress} as the handlers left
     * it (see {@link io.panamanetty.channel.ChannelHandler#connect}). By default the channel
     * cannot connect and the promise fails.
     */
    protected void connectNow(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
        promise.tryFailure(new UnsupportedOperationException(this + " cannot connect"));
    }

    /** A disconnect reached the head; a channel that cannot forget its peer and stay open closes. */
    protected void disconnectNow(ChannelPromise promise) {
        closeNow(promise);
    }

    /** The bootstrap's options and handlers for this channel, which a connect or bind applies; null if none was set. */
    protected final ChannelSetup setup() {
        return setup;
    }

    /** Sets what {@link #setup()} returns: by the bootstrap, before the channel binds or connects. */
    public final void setup(ChannelSetup setup) {
        this.setup = setup;
    }

    /** A read request reached the head; by default there is nothing to read on request. */
    protected void readNow() {
    }

    /**
     * Releases what the transport holds for the channel as it closes: removes it from its
     * I/O handler, fails queued writes, and closes its descriptor (now, or once the handler
     * has nothing in flight for it: see {@link #closeTransport(Runnable)}).
     */
    protected abstract void closeTransport();

    /**
     * {@link #closeTransport()}, then {@code whenClosed} once the descriptor is really closed:
     * the close future waits for it, so that a closed listener's port can be bound again and a
     * closed connection holds no descriptor once the future is done. By default the descriptor
     * closes within {@code closeTransport()}, and {@code whenClosed} runs at once; a transport
     * that must first wait for operations in flight on the descriptor (io_uring's cancellations)
     * runs it when it has closed it, on the channel's loop.
     */
    protected void closeTransport(Runnable whenClosed) {
        closeTransport();
        whenClosed.run();
    }

    /**
     * Adds {@code delta} (negative: subtracts) to the outbound bytes handlers hold before
     * they reach the outbound queue (see {@code PendingOutboundBytes}); channels without a
     * queue ignore it.
     */
    public void adjustHeldBytes(long delta) {
    }

    /**
     * The outbound bytes queued and not yet written, plus those handlers hold (see
     * {@code PendingOutboundBytes}); 0 for channels without a queue. Event loop only.
     */
    public long pendingOutboundBytes() {
        return 0;
    }

    /** The bytes written to the transport since the channel opened (only grows); 0 for channels without a queue. Event loop only. */
    public long writtenOutboundBytes() {
        return 0;
    }

    /** Asks for {@link #flushWrittenThisTurn()} when the loop's current turn ends, once per turn. */
    protected final void flushAtEndOfTurn() {
        if (!flushScheduled) {
            flushScheduled = true;
            LOOPS.flushAtEndOfTurn(loop, endOfTurnFlush);
        }
    }

    private void runEndOfTurnFlush() {
        flushScheduled = false;
        try {
            flushWrittenThisTurn();
        } catch (Throwable t) {   // this channel's problem, not the loop's
            SafeLog.warning(AbstractChannel.class, () -> "flushing " + this + " failed", t);
            ioFailed(t);
        }
    }

    /** Handling this channel's I/O threw {@code cause}: by default the channel closes. */
    @Override
    public void ioFailed(Throwable cause) {
        try {
            closeNow(null);
        } catch (Throwable ignored) {
            // nothing more can be done for this channel; the loop goes on
        }
    }

    /** A message reached the end of the pipeline: nobody consumed it, so it is released. */
    protected void unhandledInbound(Object message) {
        if (message instanceof ReferenceCounted counted) {
            counted.release();
        }
    }

    /**
     * Exceptions that reach the end of the pipeline but were reported to the user another way
     * (a bootstrap's TLS handshake failure, through the connect future): they are not logged
     * again as unhandled. Whatever the handlers' order, handlers still see them.
     */
    public void reportedElsewhere(Predicate<Throwable> reported) {
        this.reportedElsewhere = reported;
    }

    /** An exception reached the end of the pipeline unhandled. */
    protected void unhandledException(Throwable cause) {
        Predicate<Throwable> reported = reportedElsewhere;
        if (reported != null && reported.test(cause)) {
            SafeLog.debug(AbstractChannel.class, () -> this + ": " + cause + " (reported to the user already)");
            return;
        }
        SafeLog.warning(AbstractChannel.class, () -> "an exception reached the end of the pipeline of " + this
                + " unhandled; add exceptionCaught to a handler", cause);
    }

    /** The channel is registered with its loop: fires {@code channelRegistered} (once). */
    protected final void fireRegistered() {
        if (!registered) {
            registered = true;
            pipeline.fireChannelRegistered();
        }
    }

    @Override
    public void closeNow() {
        closeNow(null);
    }

    /**
     * Closes now: the transport lets go of the channel ({@link #closeTransport(Runnable)}); once
     * its descriptor is closed the callbacks ({@code channelInactive}, {@code channelUnregistered}),
     * the close future and {@code promise} follow in a later task, so a handler closing its
     * channel from a callback is not re-entered.
     */
    public void closeNow(ChannelPromise promise) {
        if (!open) {
            if (promise != null) {
                closeFuture.addListener(f -> promise.trySuccess());
            }
            return;
        }
        open = false;
        boolean wasActive = active;
        active = false;
        boolean wasRegistered = registered;
        registered = false;
        Runnable callbacks = () -> {
            if (wasActive) {
                pipeline.fireChannelInactive();
            }
            if (wasRegistered) {
                pipeline.fireChannelUnregistered();
            }
            pipeline.destroy();
            closeFuture.trySuccess();
            if (promise != null) {
                promise.trySuccess();   // after the close future: close().sync() implies both
            }
        };
        closeTransport(() -> {
            try {
                loop.execute(callbacks);
            } catch (RejectedExecutionException e) {
                callbacks.run();
            }
        });
    }

    /** The kind of channel in {@link #toString()}: "Channel", "ServerChannel"... */
    protected String kind() {
        return "Channel";
    }

    @Override
    public String toString() {
        SocketAddress local = localAddress;
        SocketAddress remote = remoteAddress;
        StringBuilder text = new StringBuilder(kind()).append('(').append(id);
        if (local != null) {
            text.append(", L:").append(Addresses.describe(local));
        }
        if (remote != null) {
            text.append(open ? " - R:" : " ! R:").append(Addresses.describe(remote));
        }
        return text.append(')').toString();
    }
}
