package io.panamanetty.transport.uring;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.FileIo;
import io.panamanetty.bindings.IoUringCqe;
import io.panamanetty.bindings.IoUringSqe;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.channel.ChannelPromise;
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

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;

/**
 * A listening TCP socket on io_uring: socket, bind and listen are plain system calls, then
 * one multishot {@code IORING_OP_ACCEPT} delivers every connection (submitted again when the
 * kernel ends it). Each accepted fd goes to a new {@link IoUringSocketChannel} on the next
 * loop of the child group (io_uring loops), or on this loop for a listener per loop. Out of
 * descriptors ({@code EMFILE}/{@code ENFILE}) it stops accepting for a second.
 */
final class IoUringServerChannel extends AbstractIoUringChannel implements ServerChannel {
    static final int OP_ACCEPT = 1;
    static final long ACCEPT_PAUSE_MILLIS = 1_000;

    private final SocketServerConfig config = new SocketServerConfig(socketOptions);
    private final EventLoopGroup childGroup;
    private final ChannelSetup childSetup;
    private boolean accepting;
    private boolean acceptPaused;

    IoUringServerChannel(EventLoop loop, EventLoopGroup childGroup, ChannelSetup childSetup) {
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

    @Override
    protected void bindNow(SocketAddress localAddress, ChannelPromise promise) {
        Exception refused = ListeningSockets.refusal(localAddress, "an io_uring server binds to an InetSocketAddress");
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
        try {
            fd = ListeningSockets.open(address);
            socketOptions.applySetup(setup());
            ListeningSockets.bindAndListen(fd, address, config.backlog());
            cacheLocalAddress();
            register();
        } catch (IOException | RuntimeException e) {
            promise.tryFailure(e);
            closeNow(null);
            return;
        }
        fireRegistered();
        active = true;
        pipeline.fireChannelActive();
        promise.trySuccess();
        if (open) {
            startAccepting();
        }
    }

    private void startAccepting() {
        if (accepting || acceptPaused || !open) {
            return;
        }
        accepting = true;
        long sqe = submit(OP_ACCEPT, IoUringSqe.IORING_OP_ACCEPT, 0, 0, 0);
        IoUringSqe.setIoprio(submitter().sqes(), sqe, IoUringSqe.IORING_ACCEPT_MULTISHOT);
        // Accepted sockets stay blocking: the ring then waits for a full socket itself (an
        // O_NONBLOCK file makes io_uring answer a send or receive with -EAGAIN instead).
        IoUringSqe.setOpFlags(submitter().sqes(), sqe, Sockets.SOCK_CLOEXEC);
    }

    @Override
    public void complete(int op, int res, int flags) {
        if ((flags & IoUringCqe.IORING_CQE_F_MORE) == 0) {
            accepting = false;
        }
        if (!open) {   // closing: an fd accepted meanwhile goes, the accept's ending says nothing
            if (res >= 0) {
                FileIo.close(res);
            }
            return;
        }
        if (res >= 0) {
            handOver(res);
        } else {
            int errno = -res;
            if (ListeningSockets.outOfResources(errno)) {
                pauseAccepting(errno);
            } else if (!ListeningSockets.peerOrInterrupt(errno) && errno != Errno.ECANCELED && errno != Errno.EAGAIN) {
                pipeline.fireExceptionCaught(Errno.exception(errno, "accept (io_uring)", Addresses.describe(localAddress)));
            }
        }
        if (open && !accepting) {
            startAccepting();
        }
    }

    private void handOver(int child) {
        if (!open) {
            FileIo.close(child);
            return;
        }
        AcceptedHandOver.handOver(child, loop, childGroup, childLoop -> new IoUringSocketChannel(childLoop)::initAccepted,
                childSetup, pipeline);
    }

    private void pauseAccepting(int errno) {
        SafeLog.warning(IoUringServerChannel.class, () -> "accept on " + this + " failed: " + Errno.symbol(errno)
                + " (" + Errno.strerror(errno) + "); pausing accepts for " + ACCEPT_PAUSE_MILLIS + " ms", null);
        if (acceptPaused) {
            return;
        }
        acceptPaused = true;
        loop.schedule(() -> {
            acceptPaused = false;
            startAccepting();
        }, ACCEPT_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void ioFailed(Throwable cause) {
        if (!acceptPaused && open) {
            pauseAccepting(Errno.EMFILE);
        }
    }

    /**
     * Closing: the socket stops listening now ({@code shutdown} of a listening socket refuses
     * new connections and ends the accept in flight), although its fd is closed only once the
     * accept's last completion has come.
     */
    @Override
    void releaseAtClose() {
        if (fd >= 0) {
            Sockets.shutdown(fd, Sockets.SHUT_RDWR);
        }
    }

    @Override
    void releaseWhenQuiet() {
    }

    @Override
    protected String kind() {
        return "ServerChannel";
    }
}
