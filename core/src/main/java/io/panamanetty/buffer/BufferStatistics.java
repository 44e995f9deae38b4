package io.panamanetty.buffer;

import java.util.concurrent.atomic.LongAdder;

/**
 * Process-wide counts of live buffers, across every allocator: a root {@link Buffer} is
 * counted from its allocation until its reference count drops to 0 (views are not counted
 * separately). The counts are exact once no buffer operation is in flight, so a test can
 * read them before and after, and assert that nothing leaked, without relying on the
 * garbage collector.
 */
public final class BufferStatistics {
    private static final LongAdder BUFFERS = new LongAdder();
    private static final LongAdder BYTES = new LongAdder();

    private BufferStatistics() {
    }

    /** {@return how many buffers are allocated and not yet released to reference count 0} */
    public static long outstandingBuffers() {
        return BUFFERS.sum();
    }

    /** {@return the summed capacity in bytes of the {@linkplain #outstandingBuffers() outstanding buffers}} */
    public static long outstandingBytes() {
        return BYTES.sum();
    }

    static void allocated(int capacity) {
        BUFFERS.increment();
        BYTES.add(capacity);
    }

    static void resized(int oldCapacity, int newCapacity) {
        BYTES.add((long) newCapacity - oldCapacity);
    }

    static void freed(int capacity) {
        BUFFERS.decrement();
        BYTES.add(-capacity);
    }
}
