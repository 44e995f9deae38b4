package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Epoll;
import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.SockAddr;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.bindings.UnixSockets;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.DomainSocketAddress;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.ServerChannel;
import io.panamanetty.channel.ServerChannelConfig;
import io.panamanetty.channel.internal.Addresses;
import io.panamanetty.channel.internal.ChannelSetup;
import io.panamanetty.channel.internal.SafeLog;
import io.panamanetty.transport.socket.AcceptedHandOver;
import io.panamanetty.transport.socket.ListeningSockets;
import io.panamanetty.transport.socket.SocketServerConfig;
import io.panamanetty.transport.socket.UnixAddresses;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;

/**
 * A listening TCP socket, or Unix domain stream socket, on epoll. Accepts in a loop until {@code EAGAIN} or a cap
 * per wake-up, handing each new fd to a new {@link EpollSocketChannel} on the next loop
 * of the child group (or, for one of a listener per loop, its own loop); when the process runs
 * out of descriptors ({@code EMFILE}/{@code ENFILE}) it stops accepting for a second
 * instead of spinning. A Unix listener bound to a socket file removes the file as it closes
 * ({@link UnixSocketFile}).
 */
final class EpollServerChannel extends AbstractEpollChannel implements ServerChannel {
    private static final int MAX_ACCEPTS_PER_WAKEUP = 64;
    static final long ACCEPT_PAUSE_MILLIS = 1_000;

    private final SocketServerConfig config = new SocketServerConfig(socketOptions);
    private final EventLoopGroup childGroup;
    private final ChannelSetup childSetup;
    private boolean acceptPaused;
    /** The socket file of a Unix listener, removed on close; null for TCP and abstract names. */
    private UnixSocketFile socketFile;

    /**
     * A server whose accepted channels live on {@code childGroup}'s (epoll) loops, or on its
     * own loop if {@code childGroup} is null (a listener per loop), set up by {@code childSetup}.
     */
    EpollServerChannel(EventLoop loop, EventLoopGroup childGroup, ChannelSetup childSetup) {
        super(loop);
        this.childGroup = childGroup;
        this.childSetup = childSetup;
    }

    @Override
    public ServerChannelConfig config() {
        return config;
    }

    @Override
    public boolean isWritable() {
        return false;
    }

    /**
     * A bind reached the head of the pipeline: binds and listens (on the loop) with the
     * bootstrap's options; completes {@code promise} either way, closing the channel on failure.
     */
    @Override
    protected void bindNow(SocketAddress localAddress, ChannelPromise promise) {
        if (UnixAddresses.isUnix(localAddress)) {
            bindUnix(UnixAddresses.of(localAddress), promise);
            return;
        }
        Exception refused = ListeningSockets.refusal(localAddress,
                "a stream server binds to an InetSocketAddress or a DomainSocketAddress");
        if (refused != null) {
            promise.tryFailure(refused);
            closeNow(null);
            return;
        }
        InetSocketAddress address = (InetSocketAddress) localAddress;
        if (fd >= 0 || !open) {
            promise.tryFailure(open ? new AlreadyBoundException() : new ClosedChannelException());
            return;
        }
        ChannelSetup setup = setup();
        try {
            fd = ListeningSockets.open(address);
            applySetup(setup);
            Sockets.bind(fd, address);
            listen(SockAddr.describe(address));
        } catch (IOException | RuntimeException e) {
            promise.tryFailure(e);
            closeNow(null);
            return;
        }
        becomeActive(promise);
    }

    /**
     * Binds a Unix domain stream socket to {@code address} and listens: the options of the TCP
     * and IP levels are left out ({@code SO_REUSEADDR} too: it means nothing for a socket file).
     */
    private void bindUnix(DomainSocketAddress address, ChannelPromise promise) {
        if (fd >= 0 || !open) {
            promise.tryFailure(open ? new AlreadyBoundException() : new ClosedChannelException());
            return;
        }
        ChannelSetup setup = setup();
        try {
            unix = true;
            fd = UnixSockets.open(Sockets.SOCK_STREAM);
            applySetup(setup);
            socketFile = UnixSocketFile.bind(fd, address, config.removesStaleSocket());
            listen(address.toString());
        } catch (IOException | RuntimeException e) {
            promise.tryFailure(e);
            closeNow(null);
            return;
        }
        becomeActive(promise);
    }

    private void listen(String address) throws NativeIoException {
        ListeningSockets.listen(fd, config.backlog(), address);
        cacheLocalAddress();
        register(Epoll.EPOLLIN);
    }

    private void becomeActive(ChannelPromise promise) {
        fireRegistered();
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
            if (ListeningSockets.outOfResources(errno)) {
                pauseAccepting(errno);
                return;
            }
            if (!ListeningSockets.peerOrInterrupt(errno)) {
                pipeline.fireExceptionCaught(Errno.exception(errno, "accept4", Addresses.describe(localAddress)));
                return;
            }
        }
    }

    private void handOver(int child) {
        AcceptedHandOver.handOver(child, loop, childGroup, childLoop -> {
            EpollSocketChannel channel = new EpollSocketChannel(childLoop);
            channel.unix = unix;   // published to the child loop by execute()
            return channel::initAccepted;
        }, childSetup, pipeline);
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
    public void ioFailed(Throwable cause) {
        if (!acceptPaused && open) {
            pauseAccepting(Errno.EMFILE);
        }
    }

    @Override
    void releaseResourcesOnClose() {
        if (socketFile != null) {   // nothing queued on a listening socket; its file goes
            socketFile.remove();
            socketFile = null;
        }
    }

    @Override
    protected String kind() {
        return "ServerChannel";
    }
}
