package io.panamanetty.transport.uring;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.IoUring;
import io.panamanetty.bindings.IoUringRing;
import io.panamanetty.bindings.IoUringSqe;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.channel.IoHandle;
import io.panamanetty.channel.IoHandler;
import io.panamanetty.channel.IoRegistration;
import io.panamanetty.channel.internal.SafeLog;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The io_uring {@link IoHandler}: one ring per event loop, created on the loop's own thread
 * (IORING_SETUP_SINGLE_ISSUER and DEFER_TASKRUN where the kernel has them: completions
 * are processed only when the loop asks for them, never by interrupting it).
 *
 * <p>{@link #poll} submits what is queued and waits in one {@code io_uring_enter}: for a
 * completion, for the {@link RingTimer} the loop's next timer needs, or for a
 * {@link RingWakeup} another thread set off; then it hands each completion to its owner.
 * The handler's own operations have negative {@code user_data} ({@link Tokens}); channels'
 * will have the rest.
 *
 * <p>No channels run on this transport yet: {@link #register} refuses every handle.
 */
public final class IoUringIoHandler implements IoHandler, IoUringSubmitter {
    static final int SQ_ENTRIES = 256;
    static final int CQ_ENTRIES = 4096;
    /** Bounds how long {@link #close()} waits for its cancelled operations. */
    private static final int CLOSE_WAITS = 100;
    private static final long CLOSE_WAIT_NANOS = 10_000_000L;
    private static final int SQE_ATTEMPTS = 100;

    private final Arena arena = Arena.ofConfined();
    private final IoUringRing ring;
    private final RingWakeup wakeup;
    private final RingTimer timer;
    private final IoUringRing.CompletionConsumer dispatcher = this::complete;
    /** Completions handed to owners other than the handler in the current poll. */
    private int dispatched;
    /** True while completions are being handed out (no reaping from inside). */
    private boolean dispatching;
    private boolean closed;

    IoUringIoHandler(int setupFlags) throws NativeIoException {
        try {
            ring = IoUringRing.open(SQ_ENTRIES, CQ_ENTRIES, setupFlags);
        } catch (NativeIoException | RuntimeException e) {
            arena.close();
            throw e;
        }
        try {
            wakeup = new RingWakeup(arena.allocate(8, 8));
        } catch (NativeIoException | RuntimeException e) {
            ring.close();
            arena.close();
            throw e;
        }
        timer = new RingTimer(arena.allocate(16, 8));
    }

    /** The {@code IORING_SETUP_*} flags of this loop's ring. */
    public int setupFlags() {
        return ring.setupFlags();
    }

    /**
     * No io_uring channels exist yet.
     *
     * @throws IllegalArgumentException always
     */
    @Override
    public IoRegistration register(IoHandle handle) throws IOException {
        throw new IllegalArgumentException(handle + " is not a channel of the io_uring transport"
                + " (it has no channels yet)");
    }

    /**
     * A free SQE. When the SQ is full it is submitted first; if the kernel refuses that for
     * want of CQ room (EBUSY) or memory (EAGAIN), the completions are reaped and it tries
     * again, a bounded number of times.
     */
    @Override
    public long sqe() {
        long sqe = ring.nextSqe();
        for (int attempt = 0; sqe < 0; attempt++) {
            int submitted = ring.submit();
            if (submitted < 0 && (attempt == SQE_ATTEMPTS
                    || (submitted != -Errno.EBUSY && submitted != -Errno.EAGAIN))) {
                throw new IllegalStateException(Errno.exception(-submitted, "io_uring_enter",
                        "submitting a full SQ").getMessage());
            }
            if (submitted < 0 && !dispatching) {
                ring.reap(dispatcher, Integer.MAX_VALUE);
            }
            sqe = ring.nextSqe();
        }
        return sqe;
    }

    @Override
    public MemorySegment sqes() {
        return ring.sqes();
    }

    /**
     * Submits what is queued and waits up to {@code timeoutNanos} (negative: no limit;
     * 0: not at all) for completions, then dispatches them.
     */
    @Override
    public boolean poll(long timeoutNanos) throws IOException {
        wakeup.post(this);
        int minComplete = 1;
        if (timeoutNanos == 0) {
            minComplete = 0;
        } else if (timeoutNanos > 0) {
            timer.arm(this, System.nanoTime(), timeoutNanos);
        }
        int result = ring.submitAndWait(minComplete);
        if (result < 0 && result != -Errno.EBUSY && result != -Errno.EAGAIN) {
            throw Errno.exception(-result, "io_uring_enter", "GETEVENTS min_complete=" + minComplete);
        }
        dispatched = 0;
        reap();
        return dispatched > 0;
    }

    private void reap() {
        dispatching = true;
        try {
            ring.reap(dispatcher, Integer.MAX_VALUE);
        } finally {
            dispatching = false;
        }
    }

    private void complete(long userData, int res, int flags) {
        if (userData == Tokens.WAKEUP) {
            wakeup.completed();
        } else if (userData == Tokens.TIMEOUT) {
            timer.completed();
        } else if (userData == Tokens.TIMEOUT_UPDATE || userData == Tokens.CANCEL_ALL) {
            return;   // -ENOENT when the timeout had fired meanwhile: nothing to do
        } else {
            dispatched++;
            SafeLog.warning(IoUringIoHandler.class, () -> "a completion for no known operation: user_data "
                    + userData + ", res " + res + ", flags 0x" + Integer.toHexString(flags), null);
        }
    }

    @Override
    public void wakeup() {
        wakeup.wakeup();
    }

    @Override
    public void closeAll() {
        // no channels yet
    }

    /**
     * Cancels the handler's own operations and waits (briefly) for their completions, so
     * that no completion writes into memory freed here; then closes the ring, the eventfd
     * and the memory.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            long sqe = sqe();
            IoUringSqe.prepare(ring.sqes(), sqe, IoUringSqe.IORING_OP_ASYNC_CANCEL, -1, 0, 0, 0, Tokens.CANCEL_ALL);
            IoUringSqe.setOpFlags(ring.sqes(), sqe, IoUringSqe.IORING_ASYNC_CANCEL_ANY);
            for (int i = 0; i < CLOSE_WAITS && (wakeup.isPosted() || timer.isArmed()); i++) {
                ring.submitAndWait(1, CLOSE_WAIT_NANOS);
                reap();
            }
        } catch (RuntimeException e) {
            SafeLog.warning(IoUringIoHandler.class, () -> "cancelling the operations of an io_uring loop failed", e);
        }
        boolean quiet = !wakeup.isPosted() && !timer.isArmed();
        ring.close();        // the kernel cancels whatever is left
        wakeup.close();
        if (quiet) {
            arena.close();
        }
        // else (a kernel that would not cancel in a second): the 24 bytes stay allocated
        // rather than risk a late completion writing into freed memory
    }

    @Override
    public String toString() {
        return "io_uring(fd " + ring.fd() + ", flags 0x" + Integer.toHexString(ring.setupFlags()) + ")";
    }

    /** The flags this kernel takes, best first: SINGLE_ISSUER|DEFER_TASKRUN, then fewer. */
    static int setupFlags(int accepted) {
        int wanted = IoUring.IORING_SETUP_SINGLE_ISSUER | IoUring.IORING_SETUP_DEFER_TASKRUN
                | IoUring.IORING_SETUP_SUBMIT_ALL;
        int flags = accepted & wanted;
        if ((flags & IoUring.IORING_SETUP_SINGLE_ISSUER) == 0) {
            flags &= ~IoUring.IORING_SETUP_DEFER_TASKRUN;
        }
        if ((flags & IoUring.IORING_SETUP_DEFER_TASKRUN) == 0) {
            flags |= accepted & IoUring.IORING_SETUP_COOP_TASKRUN;
        }
        return flags;
    }
}
