package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.FileIo;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.internal.AbstractChannel;
import io.panamanetty.channel.internal.ChannelSetup;
import io.panamanetty.channel.internal.LoopInternals;
import io.panamanetty.channel.internal.SafeLog;
import io.panamanetty.transport.socket.ChannelSocketOptions;
import io.panamanetty.transport.socket.SocketCall;
import io.panamanetty.transport.socket.SocketOwner;
import io.panamanetty.transport.socket.SocketQueries;

import java.io.IOException;

/**
 * What epoll's channels share: the fd, the registration with the loop's
 * {@link EpollIoHandler} (slot token, interest, parking), socket options on the fd, and
 * closing the fd. The {@code do*} and {@code *Now} methods run on the event loop only.
 */
abstract class AbstractEpollChannel extends AbstractChannel implements SocketOwner {
    static final LoopInternals.Access LOOPS = LoopInternals.access();

    /** The socket; -1 before it exists. Never used once {@link #open} is false. */
    int fd = -1;
    /**
     * True for a Unix domain socket (set before its socket exists): the options of the TCP and
     * IP levels do not apply, and its addresses are {@code DomainSocketAddress}es.
     */
    boolean unix;
    private EpollRegistration registration;
    /** The loop's handler, looked up once. */
    private EpollIoHandler io;
    /** The socket options on their way to the fd, across connect attempts. */
    final ChannelSocketOptions socketOptions = new ChannelSocketOptions(this);

    AbstractEpollChannel(EventLoop loop) {
        super(loop);
    }

    @Override
    public final int fd() {
        return fd;
    }

    /** The loop's epoll handler; on the loop's thread. */
    final EpollIoHandler io() {
        EpollIoHandler handler = io;
        if (handler == null) {
            handler = (EpollIoHandler) LOOPS.ioHandler(loop);
            io = handler;
        }
        return handler;
    }

    /** Handles the ready events epoll reported for this channel. */
    abstract void handleEvents(int events);

    // ----------------------------------------------------- reads on request

    /** A read asked for with auto-read off ({@code read()}) and not done yet. */
    boolean readRequested;

    /** True if a {@code read()} may be asked for now: false by default (a listener does not read on request). */
    boolean readsOnRequest() {
        return false;
    }

    /** Sets the epoll interest the channel's state asks for; by default it does not change. */
    void refreshInterest() {
    }

    @Override
    protected void readNow() {
        if (!open || !readsOnRequest()) {
            return;
        }
        readRequested = true;
        refreshInterest();
    }

    /** Auto-read was switched (from any thread): turned off, it ends a pending read request; the interest follows. */
    final void autoReadChanged(boolean on) {
        if (loop.inEventLoop()) {
            if (!on) {
                readRequested = false;
            }
            refreshInterest();
        } else {
            loop.execute(() -> autoReadChanged(config().isAutoRead()));
        }
    }

    /** Releases what the subclass holds (queued writes...) as the channel closes, after the fd is closed. */
    abstract void releaseResourcesOnClose();

    /** Adds this channel's fd to the loop's epoll with {@code initialInterest}. */
    final void register(int initialInterest) throws NativeIoException {
        registration = io().register(this, initialInterest);
    }

    /**
     * Swaps in a new socket (a connect attempt to the next address): the old fd is
     * removed from epoll and closed; the new one is not registered yet.
     */
    final void replaceFd(int newFd) {
        if (registration != null) {
            registration.cancel(() -> { });
            registration = null;
        }
        if (fd >= 0) {
            FileIo.close(fd);
        }
        fd = newFd;
        socketOptions.socketReplaced();   // the MD5 keys were the old socket's
    }

    /**
     * Takes the fd out of epoll until {@link #resumeEvents()}, for a level-triggered
     * hang-up that cannot be acted on yet (auto-read off, or a splice source whose pipe is
     * full), which epoll would otherwise report on every wake-up. The channel stays
     * registered; interest changes meanwhile are remembered and applied on resume.
     */
    final void suspendEvents() {
        if (registration != null && open) {
            try {
                registration.park();
            } catch (NativeIoException e) {
                failed(e);
            }
        }
    }

    /** {@return whether the fd is out of epoll (see {@link #suspendEvents()})} */
    final boolean isSuspended() {
        return registration != null && registration.isParked();
    }

    /** Puts the fd back into epoll with the interest last set; no-op unless suspended. */
    final void resumeEvents() {
        if (registration != null && open) {
            try {
                registration.unpark();
            } catch (NativeIoException e) {
                failed(e);
            }
        }
    }

    /** Sets the epoll interest; on failure the channel is closed. */
    final void setInterest(int newInterest) {
        if (registration == null || !open) {
            return;
        }
        try {
            registration.interest(newInterest);
        } catch (NativeIoException e) {
            failed(e);
        }
    }

    private void failed(NativeIoException e) {
        pipeline.fireExceptionCaught(e);
        closeNow(null);
    }

    /**
     * Applies a socket option to the fd, on the loop (waiting for it from another thread);
     * before the socket exists and while connecting it is also kept for each attempt's socket.
     *
     * @throws NativeIoException if the kernel refuses, or the channel is closed ({@code EBADF})
     */
    final void applySocketOption(ChannelOption<?> option, Object value) throws IOException {
        socketOptions.set(option, value);
    }

    /**
     * Reads a socket option from the fd as the kernel reports it, on the loop.
     *
     * @throws NativeIoException if the kernel refuses, or there is no open socket ({@code EBADF})
     */
    final Object readSocketOption(ChannelOption<?> option) throws IOException {
        return socketOptions.get(option);
    }

    /** Applies all the bootstrap's options to a new listening or accepted socket (see {@link ChannelSocketOptions}). */
    final void applySetup(ChannelSetup setup) throws IOException {
        socketOptions.applySetup(setup);
    }

    /** Applies the bootstrap's socket options to a new socket without keeping them as early options. */
    final void applySetupOptions(ChannelSetup setup) throws IOException {
        socketOptions.applySetupOptions(setup);
    }

    /** For a connect attempt's new socket: the options set through the config before it existed. */
    final void applyEarlyOptions() throws NativeIoException {
        socketOptions.applyEarly();
    }

    /** Connected: the options set early are on the socket and need not be kept. */
    final void forgetEarlyOptions() {
        socketOptions.forgetEarly();
    }

    /** True while a connect runs (its attempts replace the socket); false by default. */
    @Override
    public boolean isConnecting() {
        return false;
    }

    @Override
    public final boolean isUnixDomain() {
        return unix;
    }

    /**
     * Runs {@code call} on this channel's loop: at once on the loop, else as a task the
     * calling thread waits for (so that no fd is used from a thread racing with its close).
     */
    final <T> T onLoop(SocketCall<T> call) throws IOException {
        return SocketCall.onLoop(loop, this, call);
    }

    /** {@return the socket's pending error ({@code SO_ERROR}, read and cleared), or the errno of reading it; 0 if none} */
    final int pendingSocketError() {
        try {
            return Sockets.getInt(fd, Sockets.SOL_SOCKET, Sockets.SO_ERROR);
        } catch (NativeIoException e) {
            return e.errno();
        }
    }

    /** Leaves epoll, closes the fd, then lets the subclass release what it holds. */
    @Override
    protected final void closeTransport() {
        if (registration != null) {
            registration.cancel(this::closeFd);   // epoll: at once
            registration = null;
        } else {
            closeFd();
        }
        releaseResourcesOnClose();
    }

    private void closeFd() {
        if (fd >= 0) {
            int result = FileIo.close(fd);
            if (result < 0) {
                SafeLog.debug(AbstractEpollChannel.class, () -> "close " + this + ": " + Errno.symbol(-result));
            }
        }
    }

    /** Fills in the local address from the socket. */
    final void cacheLocalAddress() {
        localAddress = SocketQueries.localAddress(this, localAddress);
    }
}
