package io.panamanetty.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * One io_uring instance: its fd, its submission and completion rings mapped into this
 * process, and the bookkeeping of both queues. Single-threaded: the ring's memory belongs to
 * a confined arena of the thread that opened it (any other thread touching it gets a
 * {@link WrongThreadException}), which is also the one thread IORING_SETUP_SINGLE_ISSUER
 * lets submit.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * try (IoUringRing ring = IoUringRing.open(256, 0, IoUring.IORING_SETUP_SINGLE_ISSUER)) {
 *     long sqe = ring.nextSqe();            // -1 when the SQ is full: submit, then try again
 *     IoUringSqe.prepare(ring.sqes(), sqe, IoUringSqe.IORING_OP_NOP, -1, 0, 0, 0, 42);
 *     ring.submitAndWait(1);
 *     ring.reap((userData, res, flags) -> ..., Integer.MAX_VALUE);
 * }
 * }</pre>
 *
 * <h2>Memory ordering (the kernel ABI's, through acquire/release {@link VarHandle}s)</h2>
 * Each index has one writer. The kernel writes the SQ head and the CQ tail; we write the
 * SQ tail and the CQ head:
 * <ul>
 * <li><b>SQ tail: release store.</b> The SQEs we filled must be visible before the kernel,
 *     which reads the tail with an acquire load, sees the tail move past them.</li>
 * <li><b>SQ head: acquire load.</b> The kernel stores it with release once it consumed the
 *     SQEs; our acquire orders its reads of those slots before our overwriting them.</li>
 * <li><b>CQ tail: acquire load.</b> The kernel writes a CQE and then release-stores the
 *     tail; our acquire makes the CQE's contents visible before we read them.</li>
 * <li><b>CQ head: release store.</b> Our reads of the CQEs must complete before the kernel
 *     sees the slots free and writes new CQEs into them.</li>
 * <li><b>SQ flags</b> (CQ overflow, task work pending): an acquire load of a kernel-written word.
 *     (IORING_SQ_NEED_WAKEUP would need a full fence after the tail store; SQPOLL is not used.)</li>
 * </ul>
 * Our own copies of the SQ tail and CQ head are plain fields; the shared words are only
 * written when publishing.
 */
public final class IoUringRing implements AutoCloseable {
    /**
     * What {@link #reap} hands each completion to. It may take SQEs and submit, but not
     * reap (that throws) or close the ring.
     */
    @FunctionalInterface
    public interface CompletionConsumer {
        /** One CQE: the SQE's {@code user_data}, the result ({@code -errno} on failure) and {@code IORING_CQE_F_*}. */
        void accept(long userData, int res, int flags);
    }

    /** Flags that change the ring's layout or threads (SQE128, CQE32, NO_SQARRAY, NO_MMAP, SQPOLL, IOPOLL). */
    private static final int UNSUPPORTED_SETUP_FLAGS = IoUring.IORING_SETUP_SQE128 | IoUring.IORING_SETUP_CQE32
            | IoUring.IORING_SETUP_NO_SQARRAY | IoUring.IORING_SETUP_NO_MMAP | IoUring.IORING_SETUP_SQPOLL
            | IoUring.IORING_SETUP_IOPOLL | IoUring.IORING_SETUP_REGISTERED_FD_ONLY;
    private static final VarHandle U32 = ValueLayout.JAVA_INT.varHandle();
    private static final long SQE_SIZE = IoUringSqe.SIZE;
    private static final long CQE_SIZE = IoUringCqe.SIZE;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long ARG_SIGMASK = waitArgumentOffset("sigmask");
    private static final long ARG_SIGMASK_SIZE = waitArgumentOffset("sigmask_sz");
    private static final long ARG_TS = waitArgumentOffset("ts");
    private static final long TV_SEC = TimerFd.TIMESPEC.byteOffset(MemoryLayout.PathElement.groupElement("tv_sec"));
    private static final long TV_NSEC = TimerFd.TIMESPEC.byteOffset(MemoryLayout.PathElement.groupElement("tv_nsec"));

    private final Arena arena;
    private final int fd;
    private final int setupFlags;
    private final int features;
    private final MemorySegment sqRing;
    private final MemorySegment cqRing;
    private final MemorySegment sqes;
    /** An {@code io_uring_getevents_arg} followed by its {@code __kernel_timespec}. */
    private final MemorySegment waitArgument;
    private final long sqHeadOffset;
    private final long sqTailOffset;
    private final long sqFlagsOffset;
    private final long sqDroppedOffset;
    private final long cqHeadOffset;
    private final long cqTailOffset;
    private final long cqOverflowOffset;
    private final long cqesOffset;
    private final int sqMask;
    private final int sqEntries;
    private final int cqMask;
    private final int cqEntries;

    /** Our SQ tail: SQEs handed out so far (published to the kernel on submit). */
    private int sqTail;
    /** The kernel's SQ head when last read. */
    private int sqHead;
    /** Our CQ head: CQEs consumed so far. */
    private int cqHead;
    private boolean closed;
    private boolean reaping;
    private final Thread owner = Thread.currentThread();

    private IoUringRing(Arena arena, int fd, int setupFlags, MemorySegment params, IoUringMapping mapping) {
        this.arena = arena;
        this.fd = fd;
        this.setupFlags = setupFlags;
        this.features = IoUringParams.features(params);
        this.sqRing = mapping.sqRing();
        this.cqRing = mapping.cqRing();
        this.sqes = mapping.sqes();
        this.sqHeadOffset = IoUringParams.sqOffset(params, "head");
        this.sqTailOffset = IoUringParams.sqOffset(params, "tail");
        this.sqFlagsOffset = IoUringParams.sqOffset(params, "flags");
        this.sqDroppedOffset = IoUringParams.sqOffset(params, "dropped");
        this.cqHeadOffset = IoUringParams.cqOffset(params, "head");
        this.cqTailOffset = IoUringParams.cqOffset(params, "tail");
        this.cqOverflowOffset = IoUringParams.cqOffset(params, "overflow");
        this.cqesOffset = IoUringParams.cqOffset(params, "cqes");
        this.sqMask = sqRing.get(ValueLayout.JAVA_INT, IoUringParams.sqOffset(params, "ring_mask"));
        this.sqEntries = sqRing.get(ValueLayout.JAVA_INT, IoUringParams.sqOffset(params, "ring_entries"));
        this.cqMask = cqRing.get(ValueLayout.JAVA_INT, IoUringParams.cqOffset(params, "ring_mask"));
        this.cqEntries = cqRing.get(ValueLayout.JAVA_INT, IoUringParams.cqOffset(params, "ring_entries"));
        this.sqTail = (int) U32.getAcquire(sqRing, sqTailOffset);
        this.sqHead = (int) U32.getAcquire(sqRing, sqHeadOffset);
        this.cqHead = (int) U32.getAcquire(cqRing, cqHeadOffset);
        // SQ slot i always holds SQE i: the index array is filled once and never touched again.
        long array = IoUringParams.sqOffset(params, "array");
        for (int i = 0; i < sqEntries; i++) {
            sqRing.set(ValueLayout.JAVA_INT, array + (long) i * Integer.BYTES, i);
        }
        this.waitArgument = arena.allocate(IoUringParams.IO_URING_GETEVENTS_ARG.byteSize()
                + TimerFd.TIMESPEC.byteSize(), 8);   // zeroed: pad stays 0
    }

    private static long waitArgumentOffset(String field) {
        return IoUringParams.IO_URING_GETEVENTS_ARG.byteOffset(
                MemoryLayout.PathElement.groupElement(field));
    }

    /**
     * Creates a ring on the calling thread, which alone may use it.
     *
     * @param entries SQ entries wanted (rounded up to a power of two by the kernel)
     * @param cqEntries CQ entries wanted (adds IORING_SETUP_CQSIZE), or 0 for the kernel's
     *        default of twice the SQ's
     * @param setupFlags {@code IORING_SETUP_*} flags
     * @throws NativeIoException if {@code io_uring_setup} or a mapping fails, e.g. EPERM where
     *         io_uring is disabled, EINVAL for flags this kernel refuses
     * @throws IllegalArgumentException for flags that change the ring's layout (SQE128, CQE32,
     *         NO_SQARRAY, NO_MMAP, REGISTERED_FD_ONLY) or need a poller thread (SQPOLL, IOPOLL)
     */
    public static IoUringRing open(int entries, int cqEntries, int setupFlags) throws NativeIoException {
        if ((setupFlags & UNSUPPORTED_SETUP_FLAGS) != 0) {
            throw new IllegalArgumentException("setup flags 0x" + Integer.toHexString(setupFlags & UNSUPPORTED_SETUP_FLAGS)
                    + " change the ring's layout or need a poller thread: not supported by IoUringRing");
        }
        int flags = cqEntries > 0 ? setupFlags | IoUring.IORING_SETUP_CQSIZE : setupFlags;
        Arena arena = Arena.ofConfined();
        int fd = -1;
        try {
            MemorySegment params = arena.allocate(IoUringParams.IO_URING_PARAMS);
            IoUringParams.prepare(params, flags, cqEntries);
            fd = IoUring.setup(entries, params);
            if (fd < 0) {
                throw Errno.exception(-fd, "io_uring_setup",
                        "entries=" + entries + " cq_entries=" + cqEntries + " flags=0x" + Integer.toHexString(flags));
            }
            IoUringMapping mapping = IoUringMapping.map(fd, params, arena);
            return new IoUringRing(arena, fd, flags, params, mapping);
        } catch (NativeIoException | RuntimeException | Error e) {
            arena.close();   // unmaps whatever was mapped
            if (fd >= 0) {
                FileIo.close(fd);
            }
            throw e;
        }
    }

    /** The ring's fd. */
    public int fd() {
        return fd;
    }

    /** The {@code IORING_SETUP_*} flags the ring was created with. */
    public int setupFlags() {
        return setupFlags;
    }

    /** The kernel's {@code IORING_FEAT_*} bits. */
    public int features() {
        return features;
    }

    /** SQ size granted. */
    public int sqEntries() {
        return sqEntries;
    }

    /** CQ size granted. */
    public int cqEntries() {
        return cqEntries;
    }

    /** The SQE array, for {@link IoUringSqe}'s setters at the offsets {@link #nextSqe} returns. */
    public MemorySegment sqes() {
        return sqes;
    }

    /**
     * Takes the next free SQE: returns its byte offset in {@link #sqes()}, or -1 when the
     * SQ is full (submit first: the kernel frees slots as it consumes them). The SQE goes to
     * the kernel with the next {@link #submit}; until then its contents are the caller's.
     */
    public long nextSqe() {
        checkOpen();
        if (sqTail - sqHead == sqEntries) {
            sqHead = (int) U32.getAcquire(sqRing, sqHeadOffset);
            if (sqTail - sqHead == sqEntries) {
                return -1;
            }
        }
        long offset = (sqTail & sqMask) * SQE_SIZE;
        sqTail++;
        return offset;
    }

    /**
     * SQEs free to take now (the kernel's consumption so far counted): a linked chain of
     * {@code n} SQEs must find {@code n} free before its first is taken, or a submission in
     * between would send the chain's head alone.
     */
    public int freeSqes() {
        return sqEntries - pendingSubmissions();
    }

    /** SQEs taken but not yet consumed by the kernel. */
    public int pendingSubmissions() {
        sqHead = (int) U32.getAcquire(sqRing, sqHeadOffset);
        return sqTail - sqHead;
    }

    /**
     * Submits the pending SQEs without waiting (with IORING_SETUP_DEFER_TASKRUN their
     * completions are posted only by {@link #submitAndWait}). Returns the number the kernel consumed, or
     * {@code -errno}: {@code -EBUSY} (completions are waiting in the overflow list) or
     * {@code -EAGAIN} (the kernel is short of memory) mean: reap, then submit again; the SQEs
     * stay queued. {@code EINTR} is retried (a timed wait starts its timeout again).
     */
    public int submit() {
        return enter(0, 0, 0L, 0L);
    }

    /**
     * Submits the pending SQEs and waits until at least {@code minComplete} completions are
     * in the CQ (0: none, but with IORING_SETUP_DEFER_TASKRUN this is what runs the deferred
     * completion work, and it moves overflowed CQEs into the CQ). When the kernel refuses the
     * submission with {@code EBUSY}/{@code EAGAIN}, this waits without submitting (the SQEs
     * stay queued for the next call). Returns the number of SQEs consumed or {@code -errno}.
     */
    public int submitAndWait(int minComplete) {
        return enter(minComplete, IoUring.IORING_ENTER_GETEVENTS, 0L, 0L);
    }

    /**
     * As {@link #submitAndWait(int)}, waiting at most {@code timeoutNanos} (not negative; needs
     * IORING_FEAT_EXT_ARG, Linux 5.11). Returns the number of SQEs consumed (a timeout is
     * not an error) or {@code -errno}.
     */
    public int submitAndWait(int minComplete, long timeoutNanos) {
        MemorySegment argument = waitArgument;
        long argumentSize = IoUringParams.IO_URING_GETEVENTS_ARG.byteSize();
        long timespec = argumentSize;   // the __kernel_timespec follows the argument
        argument.set(ValueLayout.JAVA_LONG, ARG_SIGMASK, 0L);             // no signal mask
        argument.set(ValueLayout.JAVA_INT, ARG_SIGMASK_SIZE, 8);          // _NSIG / 8
        argument.set(ValueLayout.JAVA_LONG, ARG_TS, argument.address() + timespec);
        argument.set(ValueLayout.JAVA_LONG, timespec + TV_SEC, timeoutNanos / NANOS_PER_SECOND);
        argument.set(ValueLayout.JAVA_LONG, timespec + TV_NSEC, timeoutNanos % NANOS_PER_SECOND);
        int result = enter(minComplete, IoUring.IORING_ENTER_GETEVENTS | IoUring.IORING_ENTER_EXT_ARG,
                argument.address(), argumentSize);
        return result == -Errno.ETIME ? 0 : result;
    }

    private int enter(int minComplete, int flags, long argument, long argumentSize) {
        checkOpen();
        U32.setRelease(sqRing, sqTailOffset, sqTail);
        boolean waiting = (flags & IoUring.IORING_ENTER_GETEVENTS) != 0;
        int toSubmit = pendingSubmissions();
        while (true) {
            int result = IoUring.enter(fd, toSubmit, minComplete, flags, argument, argumentSize);
            if (result == -Errno.EINTR) {
                toSubmit = pendingSubmissions();
            } else if (waiting && toSubmit > 0 && (result == -Errno.EBUSY || result == -Errno.EAGAIN)) {
                toSubmit = 0;   // wait for completions first; the SQEs go with the next call
            } else {
                return result;
            }
        }
    }

    /**
     * Hands up to {@code max} completions to {@code consumer} in order, freeing each one's
     * slot before the consumer sees it (so a consumer that submits leaves the kernel room to
     * post; the CQE a consumer throws on counts as handed over).
     * When the CQ is empty but the kernel holds overflowed completions
     * (IORING_SQ_CQ_OVERFLOW), it has them moved into the CQ and goes on. Allocates nothing.
     * Returns the number of completions handed over.
     */
    public int reap(CompletionConsumer consumer, int max) {
        checkOpen();
        if (reaping) {
            throw new IllegalStateException("reap called from its own consumer");
        }
        reaping = true;
        int head = cqHead;
        int count = 0;
        try {
            int tail = (int) U32.getAcquire(cqRing, cqTailOffset);
            while (count < max) {
                if (head == tail) {
                    if (!cqOverflowPending()) {
                        break;
                    }
                    U32.setRelease(cqRing, cqHeadOffset, head);   // room for the overflowed ones
                    IoUring.enter(fd, 0, 0, IoUring.IORING_ENTER_GETEVENTS, 0L, 0L);
                    tail = (int) U32.getAcquire(cqRing, cqTailOffset);
                    if (head == tail) {
                        break;
                    }
                }
                long cqe = cqesOffset + (head & cqMask) * CQE_SIZE;
                long userData = IoUringCqe.userData(cqRing, cqe);
                int res = IoUringCqe.res(cqRing, cqe);
                int flags = IoUringCqe.flags(cqRing, cqe);
                head++;
                count++;
                cqHead = head;
                U32.setRelease(cqRing, cqHeadOffset, head);   // its slot is free: a consumer that submits leaves the kernel room
                consumer.accept(userData, res, flags);
            }
        } finally {
            cqHead = head;
            U32.setRelease(cqRing, cqHeadOffset, head);
            reaping = false;
        }
        return count;
    }

    /** Completions in the CQ not yet reaped (not counting any overflowed ones). */
    public int readyCompletions() {
        return (int) U32.getAcquire(cqRing, cqTailOffset) - cqHead;
    }

    /** The SQ ring's flags ({@code IORING_SQ_*}), written by the kernel. */
    public int sqFlags() {
        return (int) U32.getAcquire(sqRing, sqFlagsOffset);
    }

    /**
     * Whether the CQ was full and completions wait in the kernel's overflow list
     * (IORING_SQ_CQ_OVERFLOW; kept, not lost, with IORING_FEAT_NODROP).
     */
    public boolean cqOverflowPending() {
        return (sqFlags() & IoUring.IORING_SQ_CQ_OVERFLOW) != 0;
    }

    /** The CQ ring's overflow counter: completions the kernel could not keep. */
    public int cqOverflowCount() {
        return (int) U32.getAcquire(cqRing, cqOverflowOffset);
    }

    /** The SQ ring's dropped counter: SQEs the kernel found invalid and skipped. */
    public int sqDropped() {
        return (int) U32.getAcquire(sqRing, sqDroppedOffset);
    }

    /** Whether {@link #close()} has not been called yet. */
    public boolean isOpen() {
        return !closed;
    }

    private void checkOpen() {
        if (Thread.currentThread() != owner) {
            throw new WrongThreadException("io_uring ring " + fd + " belongs to " + owner.getName()
                    + ", not " + Thread.currentThread().getName());
        }
        if (closed) {
            throw new IllegalStateException("io_uring ring " + fd + " is closed");
        }
    }

    /**
     * Unmaps the rings and closes the ring fd; the kernel cancels whatever is still in
     * flight. Idempotent; only the opening thread may call it.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        checkOpen();
        closed = true;
        arena.close();
        FileIo.close(fd);
    }
}
