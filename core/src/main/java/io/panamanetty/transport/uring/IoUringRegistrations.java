package io.panamanetty.transport.uring;

import io.panamanetty.bindings.IoUringSqe;
import io.panamanetty.channel.internal.SafeLog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The handles registered with one {@link IoUringIoHandler}, by slot, and the routing of
 * completions to them. A channel operation's {@code user_data} is
 * {@code op << 56 | generation << 32 | slot} (never negative: the handler's own tokens are);
 * a slot's generation changes when it is freed, so a completion that names a freed slot is
 * recognised as stray instead of reaching the slot's next owner. Event-loop confined.
 */
final class IoUringRegistrations {
    static final int OP_SHIFT = 56;
    private static final int GENERATION_SHIFT = 32;
    private static final long GENERATION_MASK = 0xFF_FFFFL;

    private final IoUringSubmitter ring;
    private IoUringRegistration[] slots = new IoUringRegistration[64];
    private int[] generations = new int[64];
    private int[] freeSlots = new int[64];
    private int freeCount;
    private int nextUnused;
    private int registered;
    private long operationsInFlight;
    private int cancelling;

    IoUringRegistrations(IoUringSubmitter ring) {
        this.ring = ring;
    }

    static long userData(int slot, int generation, int op) {
        return ((long) op << OP_SHIFT) | ((generation & GENERATION_MASK) << GENERATION_SHIFT)
                | Integer.toUnsignedLong(slot);
    }

    IoUringRegistration register(IoUringHandle handle) {
        int slot = freeCount > 0 ? freeSlots[--freeCount] : nextUnused++;
        if (slot == slots.length) {
            slots = Arrays.copyOf(slots, slot * 2);
            generations = Arrays.copyOf(generations, slot * 2);
            freeSlots = Arrays.copyOf(freeSlots, slot * 2);
        }
        IoUringRegistration registration = new IoUringRegistration(this, handle, slot, generations[slot]);
        slots[slot] = registration;
        registered++;
        return registration;
    }

    /** Hands a channel operation's completion to its registration; a stray one is logged. */
    void dispatch(long userData, int res, int flags) {
        int slot = (int) userData;
        int generation = (int) ((userData >>> GENERATION_SHIFT) & GENERATION_MASK);
        int op = (int) (userData >>> OP_SHIFT);
        IoUringRegistration registration = slot >= 0 && slot < slots.length ? slots[slot] : null;
        if (registration == null || (generations[slot] & GENERATION_MASK) != generation) {
            SafeLog.warning(IoUringRegistrations.class, () -> "a completion for no registered operation: user_data 0x"
                    + Long.toHexString(userData) + ", res " + res + ", flags 0x" + Integer.toHexString(flags), null);
            return;
        }
        try {
            registration.completed(op, res, flags);
        } catch (Throwable t) {
            SafeLog.warning(IoUringRegistrations.class, () -> "handling a completion of " + registration.handle()
                    + " failed", t);
            try {
                registration.handle().ioFailed(t);
            } catch (Throwable ignored) {
                // nothing more can be done for this handle; the loop goes on
            }
        }
    }

    void operationStarted() {
        operationsInFlight++;
    }

    void operationEnded() {
        operationsInFlight--;
    }

    /**
     * {@code registration} was cancelled with operations in flight: ask the kernel to cancel
     * every request on its fd (queued after them, so the kernel has issued them by then).
     * The fd is read first and getting the SQE hands out no completion, so the registration's
     * {@code whenQuiet} (which closes the fd, freeing its number for another socket of this
     * ring) cannot run before the cancellation naming that fd is queued.
     */
    void cancelling(IoUringRegistration registration) {
        cancelling++;
        int fd = registration.handle().fd();
        long sqe = ring.sqe();
        IoUringSqe.prepare(ring.sqes(), sqe, IoUringSqe.IORING_OP_ASYNC_CANCEL, fd, 0, 0, 0, Tokens.CANCEL_FD);
        IoUringSqe.setOpFlags(ring.sqes(), sqe, IoUringSqe.IORING_ASYNC_CANCEL_FD | IoUringSqe.IORING_ASYNC_CANCEL_ALL);
    }

    /**
     * Frees a cancelled registration's slot once nothing is in flight for it;
     * {@code waited}: it was counted by {@link #cancelling}.
     */
    void release(IoUringRegistration registration, boolean waited) {
        int slot = registration.slot();
        if (slots[slot] != registration) {
            return;
        }
        if (waited) {
            cancelling--;
        }
        slots[slot] = null;
        generations[slot]++;
        freeSlots[freeCount++] = slot;
        registered--;
    }

    /**
     * After the ring is closed: the registrations still waiting for cancelled operations will
     * hear nothing more, so each runs what waits for it to be quiet (their channels close their
     * fds and complete their close futures). Memory those operations may still write into is not
     * freed by this: the handler keeps it when it closes unquiet.
     */
    void abandonWaiting() {
        for (IoUringRegistration registration : slots.clone()) {
            if (registration != null && !registration.isValid()) {
                registration.abandon();
            }
        }
    }

    /** Registrations cancelled whose operations are still in flight. */
    int cancelling() {
        return cancelling;
    }

    /** Operations of all registrations whose final completion has not arrived. */
    long operationsInFlight() {
        return operationsInFlight;
    }

    /** The handles of the registrations not cancelled, for closing them all. */
    List<IoUringHandle> validHandles() {
        List<IoUringHandle> handles = new ArrayList<>(registered);
        for (IoUringRegistration registration : slots) {
            if (registration != null && registration.isValid()) {
                handles.add(registration.handle());
            }
        }
        return handles;
    }
}
