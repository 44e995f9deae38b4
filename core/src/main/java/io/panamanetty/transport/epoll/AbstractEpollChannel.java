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

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * What epoll's channels share: the fd, the registration with the loop's
 * {@link EpollIoHandler} (slot token, interest, parking), socket options on the fd, and
 * closing the fd. The {@code do*} and {@code *Now} methods run on the event loop only.
 */
abstract class AbstractEpollChannel extends AbstractChannel {
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
    /** The TCP_MD5SIG keys set through the option on the current socket, made on first use. */
    private Md5Keys md5Keys;
    /** Socket options set through the config before the socket existed or while connecting; null if none. */
    private Map<ChannelOption<?>, Object> earlyOptions;
    /** Set while the bootstrap's options go onto a new socket: they are not kept as early options. */
    private boolean applyingSetup;

    AbstractEpollChannel(EventLoop loop) {
        super(loop);
    }

    int fd() {
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
        md5Keys = null;   // the keys were the old socket's
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
     * Applies a socket option to the fd, on the loop (waiting for it from another thread).
     * Before the socket exists, and while connecting (each attempt has a socket of its own),
     * the option is also kept and applied to each attempt's socket by {@link #applyEarlyOptions()}.
     *
     * @throws NativeIoException if the kernel refuses, or the channel is closed ({@code EBADF})
     */
    final void applySocketOption(ChannelOption<?> option, Object value) throws IOException {
        checkSocketOption(option);
        onLoop(() -> {
            if (!open) {
                throw Errno.exception(Errno.EBADF, "setsockopt", option + " on closed " + this);
            }
            if (unix && SocketOptions.isInternetOption(option)) {
                if (applyingSetup) {
                    return null;   // a bootstrap's (TCP_NODELAY by default) left out on a Unix socket
                }
                throw notForUnix(option);
            }
            if (fd >= 0) {
                applyNow(option, value);   // first: a value the kernel refuses is not kept for later sockets
            }
            if ((fd < 0 || isConnecting()) && !applyingSetup) {
                if (earlyOptions == null) {
                    earlyOptions = new LinkedHashMap<>();
                }
                earlyOptions.put(option, value);
            }
            return null;
        });
    }

    /**
     * Applies all the bootstrap's options to a new listening or accepted socket: its config's,
     * then its socket options as by {@link #applySetupOptions}.
     */
    final void applySetup(ChannelSetup setup) throws IOException {
        setup.applyConfigOptions(this);
        applySetupOptions(setup);
    }

    /**
     * Applies the bootstrap's socket options to a new socket (a connect attempt's, a datagram
     * channel's) without keeping them as early options: they are the defaults, which options
     * set through the config since then override ({@link #applyEarlyOptions()} comes after).
     * On a Unix domain socket those of the TCP and IP levels are left out.
     */
    final void applySetupOptions(ChannelSetup setup) throws IOException {
        if (setup == null) {
            return;
        }
        applyingSetup = true;
        try {
            setup.applySocketOptions(this);
        } finally {
            applyingSetup = false;
        }
    }

    /** For a connect attempt's new socket: the options set through the config before it existed. */
    final void applyEarlyOptions() throws NativeIoException {
        if (earlyOptions != null) {
            for (Map.Entry<ChannelOption<?>, Object> early : earlyOptions.entrySet()) {
                applyNow(early.getKey(), early.getValue());
            }
        }
    }

    /** Connected: the options set early are on the socket and need not be kept. */
    final void forgetEarlyOptions() {
        earlyOptions = null;
    }

    /** True while a connect runs (its attempts replace the socket); false by default. */
    boolean isConnecting() {
        return false;
    }

    private void applyNow(ChannelOption<?> option, Object value) throws NativeIoException {
        if (unix && SocketOptions.isInternetOption(option)) {
            throw notForUnix(option);   // set on the config before the connect said which family
        }
        if (option == EpollChannelOption.TCP_MD5SIG) {
            md5Keys().set(fd, (Map<?, ?>) value);
        } else {
            SocketOptions.apply(fd, option, value);
            optionApplied(option, value);
        }
    }

    /** After {@code option} went to the socket: a subclass may set more (a dual-stack socket's IPv4 level). */
    void optionApplied(ChannelOption<?> option, Object value) throws NativeIoException {
    }

    /**
     * Reads a socket option from the fd as the kernel reports it, on the loop.
     *
     * @throws NativeIoException if the kernel refuses, or there is no open socket ({@code EBADF})
     */
    final Object readSocketOption(ChannelOption<?> option) throws IOException {
        checkSocketOption(option);
        return onLoop(() -> {
            if (fd < 0 || !open) {
                throw Errno.exception(Errno.EBADF, "getsockopt",
                        option + " on " + (open ? "unconnected " : "closed ") + this);
            }
            if (unix && SocketOptions.isInternetOption(option)) {
                throw notForUnix(option);
            }
            return option == EpollChannelOption.TCP_MD5SIG ? md5Keys().get() : SocketOptions.read(fd, option);
        });
    }

    private void checkSocketOption(ChannelOption<?> option) {
        if (!SocketOptions.isSocketOption(option)) {
            throw new IllegalArgumentException(option + " does not apply to " + this);
        }
    }

    private IllegalArgumentException notForUnix(ChannelOption<?> option) {
        return new IllegalArgumentException(option + " is an option of TCP/IP sockets, not of the Unix domain socket "
                + this);
    }

    private Md5Keys md5Keys() {
        if (md5Keys == null) {
            md5Keys = new Md5Keys();
        }
        return md5Keys;
    }

    /** A call on the socket that may fail. */
    interface SocketCall<T> {
        T call() throws IOException;
    }

    /**
     * Runs {@code call} on this channel's loop: at once on the loop, else as a task the
     * calling thread waits for (so that no fd is used from a thread racing with its close).
     */
    final <T> T onLoop(SocketCall<T> call) throws IOException {
        if (loop.inEventLoop()) {
            return call.call();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                try {
                    result.complete(call.call());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            throw Errno.exception(Errno.EBADF, "socket call", "on " + this + ", whose loop has shut down");
        }
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("interrupted waiting for " + loop);
            interrupted.initCause(e);
            throw interrupted;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            } else if (cause instanceof RuntimeException runtime) {
                throw runtime;
            } else if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
        }
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
        try {
            localAddress = unix ? UnixAddresses.local(fd) : Sockets.localAddress(fd);
        } catch (NativeIoException e) {
            SafeLog.debug(AbstractEpollChannel.class, () -> "getsockname on " + this + " failed: " + e.getMessage());
        }
    }
}
