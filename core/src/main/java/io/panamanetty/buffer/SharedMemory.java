package io.panamanetty.buffer;

import io.panamanetty.bindings.Memory;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The state a root {@link Buffer} shares with all its views (slices and duplicates): the
 * native memory block and the one reference count that guards it.
 *
 * <p>The reference count is changed only by compare-and-set, so any number of threads may
 * retain and release concurrently; the thread whose release takes the count to 0 frees
 * the block, exactly once. Afterwards the block is forgotten (address 0, an empty segment),
 * so a racing access fails a bounds check rather than touching freed memory.
 *
 * <p>The block itself ({@link #address}, {@link #segment}, {@link #capacity}) changes only
 * when the root buffer grows, which like every other content access is confined to the
 * thread that currently uses the buffer.
 *
 * <h2>Incarnations</h2>
 * A pooled allocator may recycle a freed root buffer, and this object with it, for a later
 * allocation (see {@link PooledBufferAllocator}): {@link #reincarnate} gives it a new block
 * and a count of 1. Each incarnation has its own {@link #generation}; a view remembers the
 * generation it was made in, so that a view outliving its buffer is refused even after the
 * memory has been reincarnated.
 */
final class SharedMemory {
    private static final VarHandle REF_CNT;

    static {
        try {
            REF_CNT = MethodHandles.lookup().findVarHandle(SharedMemory.class, "refCnt", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Where the block came from and goes back to; null while freed, so that a freed (maybe
     * recycled) object keeps nothing of its allocator alive.
     */
    private MemoryOwner owner;
    /** The root buffer of this memory, which the owner may recycle along with it; set once by the root. */
    Buffer root;
    /** Accessed through {@link #REF_CNT}; volatile so that plain reads see the latest value. */
    private volatile int refCnt = 1;
    /** Counts the {@linkplain #reincarnate incarnations}; a view made in an earlier one is stale. */
    int generation;
    private long address;
    private MemorySegment segment;
    /** The segment of the previous incarnation's block, kept to be reused if the block comes back. */
    private MemorySegment retiredSegment;
    private int capacity;
    /** Whether the block is lent by someone else ({@link WrappedBuffers}): its lifetime is theirs. */
    final boolean borrowed;
    /** Whether the block is a heap array, which has no native address. */
    final boolean onHeap;
    /** Last hint given to {@link #touch}; a plain field, as recording it must stay cheap. */
    private Object hint;
    /** The leak detector's record of this incarnation, if it was sampled; null otherwise. */
    private LeakDetector.Tracker leak;

    SharedMemory(MemoryOwner owner, long address, int capacity) {
        this.owner = owner;
        this.address = address;
        this.capacity = capacity;
        this.borrowed = false;
        this.onHeap = false;
        // The segment is made on first Java-side access: a buffer only read into and
        // written out by the event loop (an echo) never needs one.
        BufferStatistics.allocated(capacity);
        this.leak = owner.leakDetector().track(this);
    }

    /**
     * Memory over {@code wrapped}, a segment lent by {@code owner}: accesses go through the
     * segment itself, so they fail once its arena is closed, and it is never grown.
     */
    SharedMemory(MemoryOwner owner, MemorySegment wrapped) {
        this.owner = owner;
        this.borrowed = true;
        this.onHeap = !wrapped.isNative();
        this.address = onHeap ? 0 : wrapped.address();
        this.segment = wrapped;
        this.capacity = (int) wrapped.byteSize();
        BufferStatistics.allocated(capacity);
        this.leak = owner.leakDetector().track(this);
    }

    /**
     * Checks that lent memory may be handed to native code by address: it must be native and
     * its arena still open.
     *
     * @throws UnsupportedOperationException for a heap array
     * @throws IllegalStateException if the owner closed the memory's arena
     */
    void checkAddressable() {
        if (onHeap) {
            throw new UnsupportedOperationException("a buffer over a heap array has no native address;"
                    + " copy it into an allocated buffer (a channel write does so by itself)");
        }
        MemorySegment current = segment;
        if (current != null && current != MemorySegment.NULL && !current.scope().isAlive()) {
            throw new IllegalStateException("the memory this buffer wraps was closed by its owner");
        }
    }

    /**
     * Starts a new incarnation over a freshly allocated block: a count of 1, no hint, a new
     * generation. Only for memory whose count reached 0 and that its owner recycled.
     */
    void reincarnate(MemoryOwner owner, long address, int capacity) {
        generation++;
        this.owner = owner;
        this.address = address;
        this.capacity = capacity;
        MemorySegment previous = retiredSegment;
        // Pools hand the most recently freed block out first, so the old segment often fits.
        segment = previous != null && previous.address() == address && fits(previous.byteSize(), capacity)
                ? previous : null;
        hint = null;
        BufferStatistics.allocated(capacity);
        leak = owner.leakDetector().track(this);
        refCnt = 1;
    }

    /**
     * Whether a segment of {@code kept} bytes at a block's address serves a new incarnation of
     * {@code capacity} bytes there: the same size, or a larger one of the same pool class, whose
     * block is that class's size, so the segment stays inside it. Two capacities of one class
     * that trade blocks (a received message and a smaller buffer a handler allocates beside it,
     * say) would otherwise make a new segment each time.
     */
    private static boolean fits(long kept, int capacity) {
        return kept == capacity || kept > capacity && kept <= PoolArena.MAX_CLASS_SIZE
                && PoolArena.classOf((int) kept) == PoolArena.classOf(capacity);
    }

    /** {@return whether this freed memory kept the segment of {@code block} from its last incarnation} */
    boolean keepsSegmentOf(long block) {
        MemorySegment kept = retiredSegment;
        return kept != null && kept.address() == block;
    }

    /** {@return whether this freed memory kept a segment, of a block other than {@code block}} */
    boolean keepsOtherSegment(long block) {
        MemorySegment kept = retiredSegment;
        return kept != null && kept.address() != block;
    }

    /** {@return a segment over the whole block, empty once freed} */
    MemorySegment segment() {
        MemorySegment current = segment;
        if (current == null) {
            current = address == 0 ? MemorySegment.NULL : Memory.segment(address, capacity);
            segment = current;
        }
        return current;
    }

    /** {@return the native address of the block, 0 once freed} */
    long address() {
        return address;
    }

    /** {@return the size of the block in bytes} */
    int capacity() {
        return capacity;
    }

    int refCnt() {
        return refCnt;
    }

    Object hint() {
        return hint;
    }

    void touch(Object hint) {
        this.hint = hint;
        if (leak != null) {
            leak.touch(hint);
        }
    }

    void retain(int increment) {
        if (increment <= 0) {
            throw new IllegalArgumentException("increment: " + increment + " (expected: > 0)");
        }
        for (;;) {
            int current = refCnt;
            int next = current + increment;
            if (current == 0 || next < 0) {
                // Freed, or the count would overflow.
                throw new IllegalReferenceCountException(current, increment);
            }
            if (REF_CNT.weakCompareAndSet(this, current, next)) {
                return;
            }
        }
    }

    /** {@return true if the count dropped to 0 and the block was freed} */
    boolean release(int decrement) {
        if (decrement <= 0) {
            throw new IllegalArgumentException("decrement: " + decrement + " (expected: > 0)");
        }
        for (;;) {
            int current = refCnt;
            if (current < decrement) {
                throw new IllegalReferenceCountException(current, -decrement);
            }
            int next = current - decrement;
            if (REF_CNT.weakCompareAndSet(this, current, next)) {
                if (next == 0) {
                    deallocate();
                    return true;
                }
                return false;
            }
        }
    }

    /** Moves the content to a block of {@code newCapacity} bytes; the old block is given up. */
    void grow(int newCapacity) {
        int oldCapacity = capacity;
        long newAddress = owner.reallocate(address, oldCapacity, newCapacity);
        address = newAddress;
        segment = null;   // made again on demand
        capacity = newCapacity;
        BufferStatistics.resized(oldCapacity, newCapacity);
    }

    private void deallocate() {
        long block = address;
        int size = capacity;
        MemorySegment current = segment;
        retiredSegment = current == MemorySegment.NULL || borrowed ? null : current;
        address = 0;
        segment = MemorySegment.NULL;
        hint = null;   // a kept (recycled) object must not keep the hint alive
        if (leak != null) {
            leak.close();
            leak = null;
        }
        BufferStatistics.freed(size);
        MemoryOwner from = owner;
        owner = null;
        // Last: the owner may recycle the root (and this) for the next allocation at once.
        from.free(block, size, root);
    }
}
