package io.panamanetty.transport.uring;

import io.panamanetty.bindings.IoUringSqe;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The one {@code IORING_OP_TIMEOUT} that bounds a poll's wait. A poll that wants to wait
 * until a deadline arms it, or, if it is armed for later, moves it earlier with
 * {@code IORING_TIMEOUT_UPDATE}; one armed for earlier is left alone (it ends that wait
 * early, and the next poll arms it again). So at most one timeout is ever in flight, and
 * a loop whose timers do not change submits nothing for them.
 *
 * <p>The kernel copies the timespec when it takes the SQE (IORING_FEAT_SUBMIT_STABLE), so
 * one 16-byte buffer serves every arming.
 */
final class RingTimer {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final MemorySegment timespec;
    private boolean armed;
    private long armedDeadline;

    /** @param timespec 16 bytes for a {@code __kernel_timespec} */
    RingTimer(MemorySegment timespec) {
        this.timespec = timespec;
    }

    /** Makes sure the loop wakes by {@code now + timeoutNanos} (timeoutNanos > 0). */
    void arm(IoUringSubmitter ring, long now, long timeoutNanos) {
        long deadline = now + timeoutNanos;
        if (armed && deadline - armedDeadline >= 0) {
            return;   // the armed one fires first: that wait ends early, and the next poll re-arms
        }
        timespec.set(ValueLayout.JAVA_LONG, 0, timeoutNanos / NANOS_PER_SECOND);
        timespec.set(ValueLayout.JAVA_LONG, 8, timeoutNanos % NANOS_PER_SECOND);
        long sqe = ring.sqe();
        if (!armed) {
            // off = 0: a pure timer, not "after n completions"
            IoUringSqe.prepare(ring.sqes(), sqe, IoUringSqe.IORING_OP_TIMEOUT, -1, timespec.address(), 1, 0,
                    Tokens.TIMEOUT);
        } else {
            // TIMEOUT_REMOVE with IORING_TIMEOUT_UPDATE: addr names the timeout, addr2 (off) the new time
            IoUringSqe.prepare(ring.sqes(), sqe, IoUringSqe.IORING_OP_TIMEOUT_REMOVE, -1, Tokens.TIMEOUT, 0,
                    timespec.address(), Tokens.TIMEOUT_UPDATE);
            IoUringSqe.setOpFlags(ring.sqes(), sqe, IoUringSqe.IORING_TIMEOUT_UPDATE);
        }
        armed = true;
        armedDeadline = deadline;
    }

    /** The timeout completed: it expired ({@code -ETIME}) or was cancelled. */
    void completed() {
        armed = false;
    }

    /** Whether the timeout is in flight. */
    boolean isArmed() {
        return armed;
    }
}
