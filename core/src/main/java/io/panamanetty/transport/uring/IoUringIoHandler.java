package io.panamanetty.transport.uring;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.IoUring;
import io.panamanetty.bindings.IoUringCqe;
import io.panamanetty.bindings.IoUringRing;
import io.panamanetty.bindings.IoUringSqe;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.channel.IoHandle;
import io.panamanetty.channel.IoHandler;
import io.panamanetty.channel.IoRegistration;
import io.panamanetty.channel.internal.SafeLog;
import io.panamanetty.channel.internal.Transports;

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
 * <p>Handles ({@link IoUringHandle}) submit their operations with {@code user_data} from
 * their {@link IoUringRegistration}; cancelling one cancels its requests in the kernel and
 * waits for their completions before its fd may be closed: the TCP channels
 * ({@link IoUringSocketChannel}, {@link IoUringServerChannel}) are registered with the
 * bootstraps as this class initializes.
 */
public final class IoUringIoHandler implements IoHandler {
    static {
        Transports.registerTcp(IoUringIoHandler.class, new IoUringTcpTransport());
    }

    static final int SQ_ENTRIES = 256;
    static final int CQ_ENTRIES = 4096;
    /** Bounds how long {@link #close()} waits for its cancelled operations. */
    private static final int CLOSE_WAITS = 100;
    private static final long CLOSE_WAIT_NANOS = 10_000_000L;
    private static final int SQE_ATTEMPTS = 100;
    /** The buffer group of the loop's receives. */
    static final int RECEIVE_GROUP = 0;
    /**
     * Receive buffers: 64 of 64 KiB, pooled buffers of the default allocator lent to the kernel
     * ({@link ReceiveBuffers}; 4 MiB of the pool per loop that receives).
     * Reads of up to 64 KiB measured about 1.5 times the pipelined 1 KiB echo throughput of 16 KiB ones.
     */
    private static final int RECEIVE_BUFFERS = 64;
    private static final int RECEIVE_BUFFER_SIZE = 64 * 1024;

    private final Arena arena = Arena.ofConfined();
    private final IoUringRing ring;
    private final RingWakeup wakeup;
    private final RingTimer timer;
    private final IoUringRing.CompletionConsumer dispatcher = this::complete;
    private final IoUringSubmitter submitter = new Submitter();
    /** Completions taken from the CQ to make room while submitting, not yet dispatched. */
    private final SetAsideCompletions aside = new SetAsideCompletions();
    private final IoUringRing.CompletionConsumer setAside = aside::add;
    private final IoUringRegistrations registrations = new IoUringRegistrations(submitter);
    /** Completions handed to owners other than the handler in the current poll. */
    private int dispatched;
    /** This turn's one direct send is taken ({@link #takeDirectSend}). */
    private boolean directSendTaken;
    /** True while completions are being handed out (no reaping from inside). */
    private boolean dispatching;
    private boolean closed;
    /** The provided buffers the channels' receives select from; made on first use. */
    private ReceiveBuffers receiveBuffers;
    /** How many receive buffers the ring gets (tests make a tiny one to run out of them). */
    private int receiveBufferCount = RECEIVE_BUFFERS;
    /** Receives that found the ring empty ({@code -ENOBUFS}) and were armed again later. */
    private long receiveBufferShortages;
    /** Polls that found the CQ overflowed (completions kept by the kernel until reaped). */
    private long cqOverflows;

    IoUringIoHandler(int setupFlags) throws NativeIoException {
        this(SQ_ENTRIES, CQ_ENTRIES, setupFlags);
    }

    /** A handler on a ring of the given sizes (tests make tiny ones to overflow them). */
    IoUringIoHandler(int sqEntries, int cqEntries, int setupFlags) throws NativeIoException {
        try {
            ring = IoUringRing.open(sqEntries, cqEntries, setupFlags);
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
     * Registers a handle of this transport: its operations' {@code user_data} come from the
     * registration, and their completions reach it until it is cancelled.
     *
     * @throws IllegalArgumentException for a handle of another transport
     */
    @Override
    public IoRegistration register(IoHandle handle) throws IOException {
        if (!(handle instanceof IoUringHandle completions)) {
            throw new IllegalArgumentException(handle + " is not a handle of the io_uring transport");
        }
        return registrations.register(completions);
    }

    /**
     * The loop's provided-buffer ring (group {@link #RECEIVE_GROUP}): a receive with
     * IOSQE_BUFFER_SELECT takes a buffer only when data arrives, so an idle connection holds
     * none. Whoever handles such a completion copies the data out or takes the buffer during the
     * call; the handler lends it (or its replacement) again right after it (also for a completion
     * no handle is told of).
     */
    ReceiveBuffers receiveBuffers() throws NativeIoException {
        if (receiveBuffers == null) {
            receiveBuffers = ReceiveBuffers.register(ring, RECEIVE_GROUP, receiveBufferCount, RECEIVE_BUFFER_SIZE,
                    BufferAllocator.defaultAllocator());
        }
        return receiveBuffers;
    }

    /** For tests, before the first receive: a ring of {@code count} receive buffers (a power of two). */
    void receiveBufferCount(int count) {
        if (receiveBuffers != null) {
            throw new IllegalStateException("the receive buffers of " + this + " exist already");
        }
        receiveBufferCount = count;
    }

    /** A receive found no buffer in the ring (it is armed again once they are back). */
    void receiveBufferShortage() {
        receiveBufferShortages++;
    }

    /** Receives so far that found the ring empty. */
    long receiveBufferShortages() {
        return receiveBufferShortages;
    }

    /** Operations of this loop's handles whose last completion has not arrived (for tests). */
    long operationsInFlight() {
        return registrations.operationsInFlight();
    }

    /** Polls so far that found the CQ overflowed. */
    long cqOverflows() {
        return cqOverflows;
    }

    /** Where this loop's handles and parts get their SQEs. */
    IoUringSubmitter submitter() {
        return submitter;
    }

    /**
     * SQEs of this ring, always, and never by handing out completions (the caller may be in
     * the middle of cancelling a registration: a completion delivered here could run its
     * {@code whenQuiet} and close the fd it is about to name). When too few are free the SQ is
     * submitted; if the kernel refuses that for want of CQ room (EBUSY) or memory (EAGAIN),
     * room is made without dispatching: outside a dispatch the CQEs are set aside (they are
     * dispatched first at the next reap), inside one the overflowed CQEs are moved into the
     * slots the dispatch has freed. It tries a bounded number of times.
     */
    private final class Submitter implements IoUringSubmitter {
        @Override
        public long sqe() {
            reserve(1);
            return ring.nextSqe();
        }

        @Override
        public void reserve(int count) {
            if (count < 1 || count > ring.sqEntries()) {
                throw new IllegalArgumentException("cannot reserve " + count + " SQEs of a ring of "
                        + ring.sqEntries());
            }
            for (int attempt = 0; ring.freeSqes() < count; attempt++) {
                int submitted = ring.submit();
                if (submitted >= 0 && attempt == SQE_ATTEMPTS) {
                    throw new IllegalStateException("io_uring_enter left fewer than " + count
                            + " SQEs free after " + SQE_ATTEMPTS + " submissions");
                }
                if (submitted < 0 && (attempt == SQE_ATTEMPTS
                        || (submitted != -Errno.EBUSY && submitted != -Errno.EAGAIN))) {
                    throw new IllegalStateException(Errno.exception(-submitted, "io_uring_enter",
                            "submitting a full SQ").getMessage());
                }
                if (submitted < 0) {
                    makeCompletionRoom();
                }
            }
        }

        @Override
        public MemorySegment sqes() {
            return ring.sqes();
        }
    }

    /** Frees CQ slots without handing any completion to its owner. */
    private void makeCompletionRoom() {
        if (dispatching) {
            ring.submitAndWait(0);   // moves overflowed CQEs into the slots this dispatch freed
        } else {
            ring.reap(setAside, Integer.MAX_VALUE);
        }
    }

    /**
     * Submits what is queued and waits up to {@code timeoutNanos} (negative: no limit;
     * 0: not at all) for completions, then dispatches them.
     */
    @Override
    public boolean poll(long timeoutNanos) throws IOException {
        directSendTaken = false;
        wakeup.post(submitter);
        int minComplete = aside.size() > 0 ? 0 : 1;   // completions set aside are ready already
        if (timeoutNanos == 0 || minComplete == 0) {
            minComplete = 0;
        } else if (timeoutNanos > 0) {
            timer.arm(submitter, System.nanoTime(), timeoutNanos);
        }
        int result = ring.submitAndWait(minComplete);
        if (result < 0 && result != -Errno.EBUSY && result != -Errno.EAGAIN) {
            throw Errno.exception(-result, "io_uring_enter", "GETEVENTS min_complete=" + minComplete);
        }
        dispatched = 0;
        if (ring.cqOverflowPending()) {
            cqOverflows++;   // the kernel kept what the CQ could not hold; reaping moves it over
        }
        reap();
        return dispatched > 0;
    }

    /**
     * {@return true once per loop turn: the caller may send without the ring} A write that
     * finds its channel idle costs a {@code send} call rather than an SQE, its completion and
     * the {@code io_uring_enter} that submits it and returns at once with that completion (on a
     * request/response connection, two enters per message become one enter and one send); the
     * other writes of the turn go through the ring, where one enter submits them all.
     */
    boolean takeDirectSend() {
        if (directSendTaken) {
            return false;
        }
        directSendTaken = true;
        return true;
    }

    private void reap() {
        dispatching = true;
        try {
            aside.dispatch(dispatcher);
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
        } else if (userData == Tokens.TIMEOUT_UPDATE) {
            if (res < 0 && res != -Errno.ENOENT && res != -Errno.EALREADY) {   // ENOENT: it had fired meanwhile
                SafeLog.warning(IoUringIoHandler.class, () -> "moving the poll timeout of " + this + " failed: "
                        + Errno.symbol(-res) + " (" + Errno.strerror(-res) + ")", null);
            }
        } else if (userData < 0) {
            return;   // a cancellation: its result counts what it found
        } else {
            dispatched++;
            try {
                registrations.dispatch(userData, res, flags);
            } finally {
                if ((flags & IoUringCqe.IORING_CQE_F_BUFFER) != 0 && receiveBuffers != null) {
                    receiveBuffers.completed(IoUringCqe.bufferId(flags));
                }
            }
        }
    }

    @Override
    public void wakeup() {
        wakeup.wakeup();
    }

    @Override
    public void closeAll() {
        for (IoUringHandle handle : registrations.validHandles()) {
            try {
                handle.closeNow();
            } catch (Throwable t) {
                SafeLog.warning(IoUringIoHandler.class, () -> "closing " + handle + " at shutdown failed", t);
            }
        }
    }

    /** True while cancelled registrations wait for their operations' completions. */
    @Override
    public boolean hasOperationsInFlight() {
        return registrations.cancelling() > 0;
    }

    /**
     * Cancels every operation in flight (its own and any handle's) and waits, at most about a
     * second, for their completions, so that none writes into memory freed afterwards; then
     * closes the ring, the eventfd and the memory.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            long sqe = submitter.sqe();
            IoUringSqe.prepare(ring.sqes(), sqe, IoUringSqe.IORING_OP_ASYNC_CANCEL, -1, 0, 0, 0, Tokens.CANCEL_ALL);
            IoUringSqe.setOpFlags(ring.sqes(), sqe, IoUringSqe.IORING_ASYNC_CANCEL_ANY);
            for (int i = 0; i < CLOSE_WAITS && !quiet(); i++) {
                ring.submitAndWait(1, CLOSE_WAIT_NANOS);
                reap();
            }
        } catch (RuntimeException e) {
            SafeLog.warning(IoUringIoHandler.class, () -> "cancelling the operations of an io_uring loop failed", e);
        }
        boolean quiet = quiet();
        if (!quiet) {
            SafeLog.warning(IoUringIoHandler.class, () -> "closing " + this + " with "
                    + registrations.operationsInFlight() + " operations still in flight after cancelling them", null);
        }
        if (receiveBuffers != null && quiet) {
            receiveBuffers.close();   // no receive can write into it any more
        }
        ring.close();        // the kernel cancels whatever is left
        if (!quiet) {
            registrations.abandonWaiting();   // their channels close their fds and complete their close futures
        }
        wakeup.close();
        if (quiet) {
            arena.close();
        }
        // else (a kernel that would not cancel in a second): the 24 bytes stay allocated
        // rather than risk a late completion writing into freed memory
    }

    /** Nothing of ours or of any handle's is in flight. */
    private boolean quiet() {
        return !wakeup.isPosted() && !timer.isArmed() && registrations.operationsInFlight() == 0;
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
