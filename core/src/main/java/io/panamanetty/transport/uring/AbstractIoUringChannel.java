package io.panamanetty.transport.uring;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.FileIo;
import io.panamanetty.bindings.IoUringSqe;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.internal.AbstractChannel;
import io.panamanetty.channel.internal.LoopInternals;
import io.panamanetty.channel.internal.SafeLog;
import io.panamanetty.transport.socket.ChannelSocketOptions;
import io.panamanetty.transport.socket.SocketOwner;
import io.panamanetty.transport.socket.SocketQueries;

import java.io.IOException;

/**
 * What io_uring's channels share: the fd, the registration with the loop's
 * {@link IoUringIoHandler} (operations submitted with its {@code user_data}), socket options
 * on the fd, and closing: the registration is cancelled and the fd closed, and what the
 * operations in flight use released, only once their last completion has arrived.
 * Event-loop confined except where noted.
 */
abstract class AbstractIoUringChannel extends AbstractChannel implements IoUringHandle, SocketOwner {
    static final LoopInternals.Access LOOPS = LoopInternals.access();

    /** The socket; -1 before it exists. */
    int fd = -1;
    private IoUringRegistration registration;
    private IoUringIoHandler io;
    /** The socket options on their way to the fd, across connect attempts. */
    final ChannelSocketOptions socketOptions = new ChannelSocketOptions(this);

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

    /** True while a connect runs (its attempts replace the socket); false by default. */
    @Override
    public boolean isConnecting() {
        return false;
    }

    /** An io_uring channel is a TCP socket. */
    @Override
    public final boolean isUnixDomain() {
        return false;
    }

    /** Fills in the local address from the socket. */
    final void cacheLocalAddress() {
        localAddress = SocketQueries.localAddress(this, localAddress);
    }
}
