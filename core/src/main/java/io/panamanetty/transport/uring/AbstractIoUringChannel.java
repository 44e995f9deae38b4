package io.panamanetty.transport.uring;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.FileIo;
import io.panamanetty.bindings.IoUringSqe;
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
 * What io_uring's channels share: the fd, the registration with the loop's
 * {@link IoUringIoHandler} (operations submitted with its {@code user_data}), socket options
 * on the fd, and closing: the registration is cancelled and the fd closed, and what the
 * operations in flight use released, only once their last completion has arrived.
 * Event-loop confined except where noted.
 */
abstract class AbstractIoUringChannel extends AbstractChannel implements IoUringHandle {
    static final LoopInternals.Access LOOPS = LoopInternals.access();

    /** The socket; -1 before it exists. */
    int fd = -1;
    private IoUringRegistration registration;
    private IoUringIoHandler io;
    /** Socket options set before the socket existed or while connecting; null if none. */
    private Map<ChannelOption<?>, Object> earlyOptions;

    AbstractIoUringChannel(EventLoop loop) {
        super(loop);
    }

    @Override
    public final int fd() {
        return fd;
    }

    /** The loop's io_uring handler; on the loop's thread. */
    final IoUringIoHandler io() {
        IoUringIoHandler handler = io;
        if (handler == null) {
            handler = (IoUringIoHandler) LOOPS.ioHandler(loop);
            io = handler;
        }
        return handler;
    }

    /** Registers with the loop's ring (before any operation is submitted). */
    final void register() throws IOException {
        registration = (IoUringRegistration) io().register(this);
    }

    final boolean isRegistered() {
        return registration != null && registration.isValid();
    }

    /**
     * Fills an SQE for operation {@code op} on the fd and counts it in flight; returns its
     * offset in {@link IoUringSubmitter#sqes()} for further fields. Submitted with the loop's next poll.
     */
    final long submit(int op, int opcode, long address, int length, long offset) {
        IoUringSubmitter submitter = io().submitter();
        long sqe = submitter.sqe();
        IoUringSqe.prepare(submitter.sqes(), sqe, opcode, fd, address, length, offset, registration.userData(op));
        registration.started();
        return sqe;
    }

    /** The {@code user_data} of this channel's operation {@code op} (to cancel it by). */
    final long userData(int op) {
        return registration.userData(op);
    }

    final IoUringSubmitter submitter() {
        return io().submitter();
    }

    /**
     * Lets go of the fd's registration (cancelling what is in flight on it) and runs
     * {@code whenQuiet} once nothing is; a new registration may follow (a connect's next attempt).
     */
    final void cancelRegistration(Runnable whenQuiet) {
        IoUringRegistration current = registration;
        registration = null;
        if (current == null) {
            whenQuiet.run();
        } else {
            current.cancel(whenQuiet);
        }
    }

    /** Releases what the subclass holds once its operations are quiet and the fd closed. */
    abstract void releaseWhenQuiet();

    /** Releases at once what needs no waiting (promises of a connect...); nothing by default. */
    void releaseAtClose() {
    }

    @Override
    protected final void closeTransport() {
        closeTransport(() -> { });
    }

    /** Runs {@code whenClosed} once the fd is closed: after the cancellation of what is in flight on it. */
    @Override
    protected final void closeTransport(Runnable whenClosed) {
        releaseAtClose();
        int closing = fd;
        IoUringRegistration current = registration;
        registration = null;
        Runnable whenQuiet = () -> {
            if (closing >= 0) {
                int result = FileIo.close(closing);
                if (result < 0) {
                    SafeLog.debug(AbstractIoUringChannel.class, () -> "close " + this + ": " + Errno.symbol(-result));
                }
            }
            releaseWhenQuiet();
            whenClosed.run();
        };
        if (current == null) {
            whenQuiet.run();
        } else {
            current.cancelDelivering(whenQuiet);   // a write in flight still says what it sent
        }
    }

    // ------------------------------------------------------------ options

    /**
     * Applies a socket option to the fd, on the loop. Before the socket exists, and while
     * connecting (each attempt has a socket of its own), it is also kept for each attempt's
     * socket ({@link #applyEarlyOptions()}).
     */
    final void applySocketOption(ChannelOption<?> option, Object value) throws IOException {
        checkSocketOption(option);
        onLoop(() -> {
            if (!open) {
                throw Errno.exception(Errno.EBADF, "setsockopt", option + " on closed " + this);
            }
            if (fd >= 0) {
                IoUringSocketOptions.apply(fd, option, value);   // first: a refused value is not kept
            }
            if (fd < 0 || isConnecting()) {
                if (earlyOptions == null) {
                    earlyOptions = new LinkedHashMap<>();
                }
                earlyOptions.put(option, value);
            }
            return null;
        });
    }

    /** True while a connect runs (its attempts replace the socket); false by default. */
    boolean isConnecting() {
        return false;
    }

    /** For a connect attempt's new socket: the options set through the config before it existed. */
    final void applyEarlyOptions() throws NativeIoException {
        if (earlyOptions != null) {
            for (Map.Entry<ChannelOption<?>, Object> early : earlyOptions.entrySet()) {
                IoUringSocketOptions.apply(fd, early.getKey(), early.getValue());
            }
        }
    }

    /** Connected: the options set early are on the socket and need not be kept. */
    final void forgetEarlyOptions() {
        earlyOptions = null;
    }

    final Object readSocketOption(ChannelOption<?> option) throws IOException {
        checkSocketOption(option);
        return onLoop(() -> {
            if (fd < 0 || !open) {
                throw Errno.exception(Errno.EBADF, "getsockopt", option + " on " + (open ? "unconnected " : "closed ") + this);
            }
            return IoUringSocketOptions.read(fd, option);
        });
    }

    /** The bootstrap's options on a new socket: its config's, then its socket options. */
    final void applySetup(ChannelSetup setup) throws IOException {
        if (setup != null) {
            setup.applyConfigOptions(this);
            setup.applySocketOptions(this);
        }
    }

    /** The bootstrap's socket options only, on a connect attempt's new socket (its config ones were set once). */
    final void applySetupSocketOptions(ChannelSetup setup) throws IOException {
        if (setup != null) {
            setup.applySocketOptions(this);
        }
    }

    private void checkSocketOption(ChannelOption<?> option) {
        if (!IoUringSocketOptions.isSocketOption(option)) {
            throw new IllegalArgumentException(option + " does not apply to " + this);
        }
    }

    /** A call on the socket that may fail. */
    interface SocketCall<T> {
        T call() throws IOException;
    }

    /** Runs {@code call} on the loop: at once there, else as a task the caller waits for. */
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
            if (cause instanceof IOException failure) {
                throw failure;
            } else if (cause instanceof RuntimeException runtime) {
                throw runtime;
            } else if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
        }
    }

    /** Fills in the local address from the socket. */
    final void cacheLocalAddress() {
        try {
            localAddress = Sockets.localAddress(fd);
        } catch (NativeIoException e) {
            SafeLog.debug(AbstractIoUringChannel.class, () -> "getsockname on " + this + " failed: " + e.getMessage());
        }
    }
}
