package io.panamanetty.buffer;

import io.panamanetty.bindings.Memory;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link BufferAllocator} that takes each buffer's memory from the C heap
 * ({@code malloc}) and gives it back ({@code free}) when the buffer's reference count
 * drops to 0; growing a buffer allocates a larger block, copies and frees the old one.
 *
 * <p>It counts what it has handed out and not yet got back, exactly: {@link #outstandingBuffers()}
 * goes up on each allocation and down on each final release, and {@link #outstandingBytes()}
 * follows the capacities, growth included. With no buffer operation in flight, both are 0
 * when everything allocated here was released.
 */
public final class UnpooledBufferAllocator implements BufferAllocator {

    /** The instance returned by {@link BufferAllocator#defaultAllocator()}. */
    public static final UnpooledBufferAllocator DEFAULT = new UnpooledBufferAllocator();

    private final LongAdder buffers = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final MemoryOwner heap = new CHeap();

    /** Creates an allocator with its own counts; most code uses {@link #DEFAULT}. */
    public UnpooledBufferAllocator() {
    }

    @Override
    public Buffer allocate(int initialCapacity, int maxCapacity) {
        if (initialCapacity < 0 || initialCapacity > maxCapacity || maxCapacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("initialCapacity: " + initialCapacity + ", maxCapacity: "
                    + maxCapacity + " (expected: 0 <= initialCapacity <= maxCapacity <= " + MAX_CAPACITY + ")");
        }
        long address = Memory.malloc(initialCapacity);
        buffers.increment();
        bytes.add(initialCapacity);
        return new Buffer(heap, address, initialCapacity, maxCapacity);
    }

    /** {@return how many buffers allocated here have not yet been released to reference count 0} */
    public long outstandingBuffers() {
        return buffers.sum();
    }

    /** {@return the summed capacity in bytes of the {@linkplain #outstandingBuffers() outstanding buffers}} */
    public long outstandingBytes() {
        return bytes.sum();
    }

    /** {@return the class name and the outstanding counts} */
    @Override
    public String toString() {
        return "UnpooledBufferAllocator(buffers: " + outstandingBuffers() + ", bytes: " + outstandingBytes() + ")";
    }

    /** The memory hook handed to the buffers: {@code malloc}/{@code free}, counted. */
    private final class CHeap implements MemoryOwner {
        @Override
        public long reallocate(long address, int oldCapacity, int newCapacity) {
            long newAddress = Memory.malloc(newCapacity);
            MemorySegment.copy(Memory.segment(address, oldCapacity), 0,
                    Memory.segment(newAddress, newCapacity), 0, oldCapacity);
            Memory.free(address);
            bytes.add((long) newCapacity - oldCapacity);
            return newAddress;
        }

        @Override
        public void free(long address, int capacity, Buffer root) {
            Memory.free(address);
            bytes.add(-capacity);
            buffers.decrement();
        }
    }
}
