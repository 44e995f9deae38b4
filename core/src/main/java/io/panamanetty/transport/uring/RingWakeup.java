package io.panamanetty.transport.uring;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.EventFd;
import io.panamanetty.bindings.FileIo;
import io.panamanetty.bindings.IoUringSqe;
import io.panamanetty.bindings.NativeIoException;

import java.lang.foreign.MemorySegment;

/**
 * How other threads wake a loop waiting in {@code io_uring_enter}: an eventfd they add to,
 * and an 8-byte {@code IORING_OP_READ} of it kept posted on the ring, whose completion ends
 * the wait. The read is posted again on the next poll after it completed. (The loop itself
 * only asks for a wake-up while it is about to wait, so an awake loop costs no syscall.)
 *
 * <p>The eventfd is blocking: io_uring then waits for it inside the kernel (a read of a
 * non-blocking file would complete at once with {@code -EAGAIN}); the writers never block,
 * as the counter cannot reach its limit.
 */
final class RingWakeup {
    private final int eventFd;
    private final MemorySegment counter;
    private boolean posted;
    private boolean closed;   // guarded by this

    /** @param counter 8 bytes, kept by the caller until {@link #isPosted()} is false */
    RingWakeup(MemorySegment counter) throws NativeIoException {
        this.counter = counter;
        this.eventFd = Errno.check(EventFd.create(0, EventFd.EFD_CLOEXEC), "eventfd");
    }

    /** Posts the read unless it is in flight; {@code ring} supplies the SQE. */
    void post(IoUringSubmitter ring) {
        if (!posted) {
            long sqe = ring.sqe();
            IoUringSqe.prepare(ring.sqes(), sqe, IoUringSqe.IORING_OP_READ, eventFd, counter.address(), 8, 0,
                    Tokens.WAKEUP);
            posted = true;
        }
    }

    /** The read completed (a wake-up, or its cancellation at close). */
    void completed() {
        posted = false;
    }

    /** Whether the read is in flight (its buffer in use by the kernel). */
    boolean isPosted() {
        return posted;
    }

    /** Adds to the eventfd; safe from any thread, a no-op once closed. */
    synchronized void wakeup() {
        if (!closed) {   // after close the fd number may belong to someone else
            EventFd.add(eventFd, 1);
        }
    }

    /** Closes the eventfd; the read must have completed (or the ring be closed). */
    synchronized void close() {
        if (!closed) {
            closed = true;
            FileIo.close(eventFd);
        }
    }
}
