package io.panamanetty.channel;

import io.panamanetty.bindings.Epoll;
import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.FileIo;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.SockAddr;
import io.panamanetty.bindings.Sockets;

import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * A listening TCP socket on epoll. Accepts in a loop until {@code EAGAIN} or a cap
 * per wake-up, handing each new fd to the bootstrap's acceptor; when the process runs
 * out of descriptors ({@code EMFILE}/{@code ENFILE}) it stops accepting for a second
 * instead of spinning.
 */
final class EpollServerChannel extends AbstractChannel {
    private static final int MAX_ACCEPTS_PER_WAKEUP = 64;
    static final long ACCEPT_PAUSE_MILLIS = 1_000;

    private final IntConsumer acceptor;
    private boolean acceptPaused;

    /** @param acceptor receives each accepted fd, which it must own from then on */
    EpollServerChannel(EventLoop loop, IntConsumer acceptor) {
        super(loop);
        this.acceptor = acceptor;
    }

    @Override
    public boolean isWritable() {
        return false;
    }

    /** Binds and listens (on the loop); completes {@code promise} either way. */
    void bind(InetSocketAddress address, ChannelSetup setup, ChannelPromise promise) {
        try {
            fd = Sockets.openTcp(address);
            Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_REUSEADDR, 1);
            if (address.getAddress() instanceof Inet6Address && address.getAddress().isAnyLocalAddress()) {
                Sockets.setInt(fd, Sockets.IPPROTO_IPV6, Sockets.IPV6_V6ONLY, 0);   // dual stack
            }
            setup.applyOptions(this);
            Sockets.bind(fd, address);
            int listened = Sockets.listen(fd, config.backlog());
            if (listened < 0) {
                throw Errno.exception(-listened, "listen", SockAddr.describe(address));
            }
            cacheLocalAddress();
            register(Epoll.EPOLLIN);
        } catch (NativeIoException | RuntimeException e) {
            promise.tryFailure(e);
            closeNow(null);
            return;
        }
        pipeline.fireChannelRegistered();
        active = true;
        pipeline.fireChannelActive();
        promise.trySuccess();
    }

    @Override
    void handleEvents(int events) {
        for (int i = 0; i < MAX_ACCEPTS_PER_WAKEUP && open && !acceptPaused; i++) {
            int child = Sockets.accept4(fd, MemorySegment.NULL, MemorySegment.NULL,
                    Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC);
            if (child >= 0) {
                handOver(child);
                continue;
            }
            int errno = -child;
            if (errno == Errno.EAGAIN) {
                return;
            }
            if (errno == Errno.EMFILE || errno == Errno.ENFILE || errno == Errno.ENOBUFS || errno == Errno.ENOMEM) {
                pauseAccepting(errno);
                return;
            }
            if (errno != Errno.ECONNABORTED && errno != Errno.EINTR && errno != Errno.EPERM) {
                pipeline.fireExceptionCaught(Errno.exception(errno, "accept4", SockAddr.describe(localAddress)));
                return;
            }
        }
    }

    private void handOver(int child) {
        try {
            acceptor.accept(child);
        } catch (Throwable t) {
            FileIo.close(child);
            pipeline.fireExceptionCaught(t);
        }
    }

    private void pauseAccepting(int errno) {
        // Logging itself may need a descriptor (a time zone file, a log file): it must not fail here.
        SafeLog.warning(EpollServerChannel.class, () -> "accept4 on " + this + " failed: " + Errno.symbol(errno)
                + " (" + Errno.strerror(errno) + "); pausing accepts for " + ACCEPT_PAUSE_MILLIS + " ms", null);
        acceptPaused = true;
        setInterest(0);
        loop.schedule(() -> {
            acceptPaused = false;
            setInterest(Epoll.EPOLLIN);
        }, ACCEPT_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Accepting threw (say, a class could not be loaded for lack of descriptors): the
     * listening socket stays open and accepting pauses, as for {@code EMFILE}.
     */
    @Override
    void eventHandlingFailed(Throwable cause) {
        if (!acceptPaused && open) {
            pauseAccepting(Errno.EMFILE);
        }
    }

    @Override
    void writeNow(Object message, ChannelPromise promise) {
        if (message instanceof io.panamanetty.buffer.Buffer buffer) {
            buffer.release();
        }
        promise.tryFailure(new UnsupportedOperationException("a listening channel cannot write"));
    }

    @Override
    void flushNow() {
    }

    @Override
    void flushAtEndOfTurn() {
    }

    @Override
    void readNow() {
    }

    @Override
    void autoReadChanged(boolean on) {
    }

    @Override
    public ChannelFuture shutdownOutput() {
        ChannelPromise promise = newPromise();
        promise.tryFailure(new UnsupportedOperationException("a listening channel has no output"));
        return promise;
    }

    @Override
    void releaseResourcesOnClose() {
        // nothing queued on a listening socket
    }

    @Override
    public String toString() {
        return super.toString().replace("Channel(", "ServerChannel(");
    }
}
