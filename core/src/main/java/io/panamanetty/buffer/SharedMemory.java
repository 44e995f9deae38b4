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

    private final MemoryOwner owner;
    /** Accessed through {@link #REF_CNT}; volatile so that plain reads see the latest value. */
    private volatile int refCnt = 1;
    private long address;
    private MemorySegment segment;
    private int capacity;
    /** Last hint given to {@link #touch}; a plain field, as recording it must stay cheap. */
    private Object hint;
    /** The leak detector's record of this memory, if it was sampled; null otherwise. */
    private final LeakDetector.Tracker leak;

    SharedMemory(MemoryOwner owner, long address, int capacity) {
        this.owner = owner;
        this.address = address;
        this.capacity = capacity;
        // The segment is made on first Java-side access: a buffer only read into and
        // written out by the event loop (an echo) never needs one.
        BufferStatistics.allocated(capacity);
        this.leak = owner.leakDetector().track(this);
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
        address = 0;
        segment = MemorySegment.NULL;
        if (leak != null) {
            leak.close();
        }
        owner.free(block, size);
        BufferStatistics.freed(size);
    }
}
