package io.panamanetty.buffer;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Buffers over memory that someone else owns, made without copying it: a
 * {@link MemorySegment} (of any arena), a {@link ByteBuffer} or a {@code byte[]}. (Netty's
 * {@code Unpooled.wrappedBuffer}.)
 *
 * <p>A wrapped buffer is an ordinary root {@link Buffer} with a count of 1 (and views,
 * reference counting and the ownership rule as usual), except that:
 * <ul>
 *   <li>it cannot grow: its capacity and max capacity are the wrapped memory's size, and its
 *       writer index starts at the end (everything wrapped is readable);</li>
 *   <li>its release frees nothing: when the count reaches 0 the buffer lets go of the memory
 *       and runs the {@code onRelease} action given here, if any, which tells the owner that
 *       the memory is no longer used by it;</li>
 *   <li>the owner's lifetime rules: reads and writes go through the wrapped segment, so they
 *       fail with {@link IllegalStateException} once its arena is closed, as does
 *       {@link Buffer#memoryAddress()}. The owner must keep the memory open until the buffer
 *       is released (until {@code onRelease} ran): a write queued on a channel reads the
 *       memory when the socket takes it, later than the {@code write} call;</li>
 *   <li>heap memory (a {@code byte[]}, a heap {@code ByteBuffer}) can be read, written and
 *       viewed, but has no native address ({@link Buffer#isDirect()} is false,
 *       {@link Buffer#memoryAddress()} throws), because a system call cannot be given the
 *       address of a Java array safely here: pinning it for a {@code writev} would need
 *       {@code Linker.Option.critical}, which is ruled out for calls that may block. A channel
 *       writing such a buffer therefore <em>copies</em> it into a native buffer of its
 *       allocator and releases the wrapper; wrap native memory (or allocate) to send
 *       without a copy.</li>
 * </ul>
 * A wrapped buffer is counted by {@link BufferStatistics} and watched by the leak detector
 * like any other, so forgetting to release one shows up in the same way.
 */
public final class WrappedBuffers {
    private WrappedBuffers() {
    }

    /**
     * {@return a buffer over all of {@code segment}, heap or native, whose release runs
     * {@code onRelease}} Nothing is copied.
     *
     * @param segment   the memory, of at most {@link BufferAllocator#MAX_CAPACITY} bytes;
     *                  {@link MemorySegment#isReadOnly() read-only} segments make read-only buffers
     * @param onRelease run once, on the thread that drops the last reference; null for nothing
     * @throws IllegalArgumentException if the segment is too large
     */
    public static Buffer wrap(MemorySegment segment, Runnable onRelease) {
        Objects.requireNonNull(segment, "segment");
        if (segment.byteSize() > BufferAllocator.MAX_CAPACITY) {
            throw new IllegalArgumentException("segment of " + segment.byteSize()
                    + " bytes exceeds the maximum buffer capacity " + BufferAllocator.MAX_CAPACITY);
        }
        Buffer buffer = new Buffer(new Lender(onRelease), segment, (int) segment.byteSize());
        return segment.isReadOnly() ? readOnlyRoot(buffer) : buffer;
    }

    /** {@return a buffer over all of {@code segment}} Like {@link #wrap(MemorySegment, Runnable)} with no action. */
    public static Buffer wrap(MemorySegment segment) {
        return wrap(segment, null);
    }

    /**
     * {@return a buffer over the remaining bytes of {@code buffer} (its position to its limit),
     * direct or heap} Nothing is copied; the buffer keeps {@code buffer} reachable (a direct
     * one's memory cannot be freed under it) until released. Neither its position nor its
     * limit moves; a read-only {@code ByteBuffer} gives a read-only buffer.
     */
    public static Buffer wrap(ByteBuffer buffer) {
        return wrap(MemorySegment.ofBuffer(buffer), null);
    }

    /** {@return a buffer over all of {@code array}} Nothing is copied; see the class comment on heap memory. */
    public static Buffer wrap(byte[] array) {
        return wrap(MemorySegment.ofArray(array), null);
    }

    /** {@return a buffer over {@code length} bytes of {@code array} from {@code offset}} Nothing is copied. */
    public static Buffer wrap(byte[] array, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, array.length);
        return wrap(MemorySegment.ofArray(array).asSlice(offset, length), null);
    }

    /** A read-only wrapper's root: a read-only duplicate carrying the root's own reference. */
    private static Buffer readOnlyRoot(Buffer root) {
        Buffer view = root.asReadOnly().retainedDuplicate();
        root.release();
        return view;
    }

    /** The owner of lent memory: frees nothing, tells the lender once. */
    private static final class Lender implements MemoryOwner {
        private final Runnable onRelease;

        Lender(Runnable onRelease) {
            this.onRelease = onRelease;
        }

        @Override
        public long reallocate(long address, int oldCapacity, int newCapacity) {
            throw new IllegalStateException("a wrapped buffer cannot grow");   // its max capacity forbids it first
        }

        @Override
        public void free(long address, int capacity, Buffer root) {
            if (onRelease != null) {
                onRelease.run();
            }
        }
    }
}
