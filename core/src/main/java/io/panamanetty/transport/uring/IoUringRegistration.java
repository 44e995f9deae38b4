package io.panamanetty.transport.uring;

import io.panamanetty.bindings.IoUringCqe;
import io.panamanetty.channel.IoRegistration;

/**
 * One {@link IoUringHandle}'s place in its handler: a slot and generation, which with an
 * operation tag make the {@code user_data} of its operations, and the count of its
 * operations in flight (a multishot one counts until its last CQE, the one without
 * IORING_CQE_F_MORE). Event-loop confined.
 *
 * <p>{@link #cancel} stops completions from reaching the handle at once; if operations are
 * in flight it asks the kernel to cancel every request on the handle's fd, and runs
 * {@code whenQuiet} when the last of them has completed: only then may the fd be closed (its
 * number reused) or the operations' buffers be freed.
 */
final class IoUringRegistration implements IoRegistration {
    /** Operation tags are 7 bits of the {@code user_data}. */
    static final int MAX_OP = 127;

    private final IoUringRegistrations table;
    private final IoUringHandle handle;
    private final int slot;
    private final long base;
    private int inFlight;
    private boolean valid = true;
    /** Cancelled by {@link #cancelDelivering}: the completions still reach the handle. */
    private boolean delivering;
    private Runnable whenQuiet;
    /** Cancelled with operations in flight: the table counts it until quiet. */
    private boolean waiting;
    /** Cancelled and nothing in flight any more: the slot is free. */
    private boolean quiet;
    /** A completion is being handed to the handle (a cancel from its callback waits for it to return). */
    private boolean dispatching;

    IoUringRegistration(IoUringRegistrations table, IoUringHandle handle, int slot, int generation) {
        this.table = table;
        this.handle = handle;
        this.slot = slot;
        this.base = IoUringRegistrations.userData(slot, generation, 0);
    }

    /** The {@code user_data} for this handle's operation {@code op} (0 to {@value #MAX_OP}). */
    long userData(int op) {
        if (op < 0 || op > MAX_OP) {
            throw new IllegalArgumentException("operation tag " + op + " is not in 0.." + MAX_OP);
        }
        return base | ((long) op << IoUringRegistrations.OP_SHIFT);
    }

    /** An operation was queued (its SQE filled): one more final completion to wait for. */
    void started() {
        if (!valid) {
            throw new IllegalStateException("operation started on a cancelled registration of " + handle);
        }
        inFlight++;
        table.operationStarted();
    }

    /** Operations whose final completion has not arrived. */
    int inFlight() {
        return inFlight;
    }

    IoUringHandle handle() {
        return handle;
    }

    int slot() {
        return slot;
    }

    /** A completion of operation {@code op}: to the handle while valid; counted always. */
    void completed(int op, int res, int flags) {
        if ((flags & IoUringCqe.IORING_CQE_F_MORE) == 0) {
            inFlight--;
            table.operationEnded();
        }
        if (valid) {
            dispatching = true;
            try {
                handle.complete(op, res, flags);
            } finally {
                dispatching = false;
                if (!valid && inFlight == 0 && !quiet) {
                    quiet();   // cancelled by this completion's own callback: quiet once it has returned
                }
            }
            return;
        }
        try {
            if (delivering) {
                handle.complete(op, res, flags);
            }
        } finally {
            if (inFlight == 0 && !quiet) {
                quiet();
            }
        }
    }

    /** Completion-based: what the handle waits for is the operations it submitted, so there is no interest to set. */
    @Override
    public void interest(int ops) {
        if (ops != 0) {
            throw new UnsupportedOperationException("an io_uring registration has no interest set; submit operations");
        }
    }

    @Override
    public void cancel(Runnable whenQuiet) {
        if (quiet) {   // cancelled before, and nothing in flight since
            whenQuiet.run();
            return;
        }
        if (!valid) {   // cancelled before, still waiting: run both when quiet
            Runnable earlier = this.whenQuiet;
            this.whenQuiet = () -> {
                earlier.run();
                whenQuiet.run();
            };
            return;
        }
        valid = false;
        this.whenQuiet = whenQuiet;
        if (inFlight == 0) {
            if (!dispatching) {   // else the completion being handed out finishes first (its queue, its promises)
                quiet();
            }
        } else {
            waiting = true;
            table.cancelling(this);
        }
    }

    /**
     * As {@link #cancel}, except that the completions of the operations in flight still reach
     * the handle, up to the last: a closing channel learns what its write in flight sent
     * (the bytes the kernel took before the cancellation have left) and frees the rest.
     */
    void cancelDelivering(Runnable whenQuiet) {
        if (valid) {
            delivering = true;
        }
        cancel(whenQuiet);
    }

    /** The ring is gone: no completion will come, so this is quiet now if it was waiting. */
    void abandon() {
        if (!valid && !quiet && whenQuiet != null) {
            inFlight = 0;
            quiet();
        }
    }

    private void quiet() {
        quiet = true;
        table.release(this, waiting);
        Runnable action = whenQuiet;
        whenQuiet = null;
        action.run();
    }

    @Override
    public boolean isValid() {
        return valid;
    }

    @Override
    public String toString() {
        return "IoUringRegistration(" + handle + ", slot " + slot + ", " + inFlight + " in flight"
                + (valid ? "" : ", cancelled") + ")";
    }
}
