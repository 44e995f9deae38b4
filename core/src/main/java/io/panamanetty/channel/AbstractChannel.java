package io.panamanetty.channel;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.FileIo;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.Sockets;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What connected and listening channels share: the fd, the loop, the pipeline, the
 * epoll registration and interest, closing, attributes. The {@code do*} and
 * {@code *Now} methods run on the event loop only.
 */
abstract class AbstractChannel implements Channel {

    private final ChannelId id = ChannelId.next();
    final EventLoop loop;
    final DefaultChannelPipeline pipeline;
    final ChannelConfig config;
    private final DefaultChannelPromise closeFuture;
    /** The one promise of this channel for writes nobody waits on. */
    final VoidChannelPromise voidPromise = new VoidChannelPromise(this);
    private final Map<AttributeKey<?>, Attribute<?>> attributes = new ConcurrentHashMap<>(4);

    /** The socket; -1 before it exists. Never used once {@link #open} is false. */
    int fd = -1;
    volatile boolean open = true;
    volatile boolean active;
    private boolean registered;
    /** Out of epoll, though registered: see {@link #suspendEvents()}. */
    private boolean parked;
    private long token;
    private int interest;
    volatile InetSocketAddress localAddress;
    volatile InetSocketAddress remoteAddress;

    AbstractChannel(EventLoop loop) {
        this.loop = loop;
        this.config = new ChannelConfig(this);
        this.pipeline = new DefaultChannelPipeline(this);
        this.closeFuture = new DefaultChannelPromise(this);
    }

    int fd() {
        return fd;
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
    public ChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open && active;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public InetSocketAddress remoteAddress() {
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
        return (Attribute<T>) attributes.computeIfAbsent(key, Attribute::new);
    }

    @Override
    public <T> boolean hasAttr(AttributeKey<T> key) {
        return attributes.containsKey(key);
    }

    DefaultChannelPromise newPromise() {
        return new DefaultChannelPromise(this);
    }

    // ----------------------------------------------------- event-loop side

    /** Handles the ready events epoll reported for this channel. */
    abstract void handleEvents(int events);

    /** A message reached the head: queue it for the socket. */
    abstract void writeNow(Object message, ChannelPromise promise);

    /** A flush reached the head. */
    abstract void flushNow();

    /** Flushes what this turn wrote, as the loop's turn ends. */
    abstract void flushAtEndOfTurn();

    /** A read request reached the head. */
    abstract void readNow();

    /** Auto-read was turned on or off (any thread). */
    abstract void autoReadChanged(boolean on);

    /** Releases what the subclass holds (queued writes...) as the channel closes. */
    abstract void releaseResourcesOnClose();

    /** Handling this channel's events threw {@code cause}: a connection is closed. */
    void eventHandlingFailed(Throwable cause) {
        closeNow(null);
    }

    /** A message reached the end of the pipeline: nobody consumed it, so it is released. */
    void unhandledInbound(Object message) {
        if (message instanceof io.panamanetty.buffer.Buffer buffer) {
            buffer.release();
        }
    }

    /** An exception reached the end of the pipeline unhandled. */
    void unhandledException(Throwable cause) {
        SafeLog.warning(AbstractChannel.class, () -> "an exception reached the end of the pipeline of " + this
                + " unhandled; add exceptionCaught to a handler", cause);
    }

    /** Adds this channel's fd to the loop's epoll with {@code initialInterest}. */
    void register(int initialInterest) throws NativeIoException {
        token = loop.io().register(this, initialInterest);
        interest = initialInterest;
        registered = true;
        parked = false;
    }

    /**
     * Swaps in a new socket (a connect attempt to the next address): the old fd is
     * removed from epoll and closed; the new one is not registered yet.
     */
    void replaceFd(int newFd) {
        if (registered) {
            loop.io().deregister(this, token);
            registered = false;
        }
        if (fd >= 0) {
            FileIo.close(fd);
        }
        fd = newFd;
    }


    /**
     * Takes the fd out of epoll until {@link #resumeEvents()}, for a level-triggered
     * hang-up that cannot be acted on yet (auto-read off, or a splice source whose pipe is
     * full), which epoll would otherwise report on every wake-up. The channel stays
     * registered; interest changes meanwhile are remembered and applied on resume.
     */
    void suspendEvents() {
        if (registered && open && !parked) {
            try {
                loop.io().park(this);
                parked = true;
            } catch (NativeIoException e) {
                pipeline.fireExceptionCaught(e);
                closeNow(null);
            }
        }
    }

    /** {@return whether the fd is out of epoll (see {@link #suspendEvents()})} */
    boolean isSuspended() {
        return parked;
    }

    /** Puts the fd back into epoll with the interest last set; no-op unless suspended. */
    void resumeEvents() {
        if (!parked || !open) {
            return;
        }
        parked = false;
        try {
            loop.io().unpark(this, token, interest);
        } catch (NativeIoException e) {
            pipeline.fireExceptionCaught(e);
            closeNow(null);
        }
    }

    /** Sets the epoll interest; on failure the channel is closed. */
    void setInterest(int newInterest) {
        if (newInterest == interest || !registered || !open) {
            return;
        }
        if (parked) {
            interest = newInterest;   // applied by resumeEvents()
            return;
        }
        try {
            loop.io().modify(this, token, newInterest);
            interest = newInterest;
        } catch (NativeIoException e) {
            pipeline.fireExceptionCaught(e);
            closeNow(null);
        }
    }

    void applySocketOption(ChannelOption<?> option, Object value) throws NativeIoException {
        if (fd >= 0 && open) {
            SocketOptions.apply(fd, option, value);
        }
    }

    Object readSocketOption(ChannelOption<?> option) throws NativeIoException {
        if (fd < 0 || !open) {
            throw Errno.exception(Errno.EBADF, "getsockopt", option + " on closed " + this);
        }
        return SocketOptions.read(fd, option);
    }

    /**
     * Closes the fd now; the pending work fails, and the callbacks
     * ({@code channelInactive}, {@code channelUnregistered}), the close future and then
     * {@code promise} follow in a later task, so a handler closing its channel from a
     * callback is not re-entered.
     */
    void closeNow(ChannelPromise promise) {
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
        if (registered) {
            loop.io().deregister(this, token);
            registered = false;
        }
        if (fd >= 0) {
            int result = FileIo.close(fd);
            if (result < 0) {
                SafeLog.debug(AbstractChannel.class, () -> "close " + this + ": " + Errno.symbol(-result));
            }
        }
        releaseResourcesOnClose();
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
        try {
            loop.execute(callbacks);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            callbacks.run();
        }
    }

    /** Fills in the local address from the socket. */
    void cacheLocalAddress() {
        try {
            localAddress = Sockets.localAddress(fd);
        } catch (NativeIoException e) {
            SafeLog.debug(AbstractChannel.class, () -> "getsockname on " + this + " failed: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        InetSocketAddress local = localAddress;
        InetSocketAddress remote = remoteAddress;
        StringBuilder text = new StringBuilder("Channel(").append(id);
        if (local != null) {
            text.append(", L:").append(io.panamanetty.bindings.SockAddr.describe(local));
        }
        if (remote != null) {
            text.append(open ? " - R:" : " ! R:").append(io.panamanetty.bindings.SockAddr.describe(remote));
        }
        return text.append(')').toString();
    }
}
