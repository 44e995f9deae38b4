package io.panamanetty.buffer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.Charset;

/**
 * The bulk work behind {@link Buffer}'s copying, text and search methods: loops and copies
 * over a segment, given as the root's whole block plus the offset of the buffer's index 0.
 * The caller has checked the indices and the reference count; nothing here moves an index.
 */
final class BufferCopies {

    private BufferCopies() {
    }

    /**
     * Finds {@code value} in {@code [fromIndex, toIndex)} forwards if {@code fromIndex <= toIndex},
     * else in {@code [toIndex, fromIndex)} backwards from {@code fromIndex - 1}.
     *
     * @return the index found, relative to {@code offset}, or -1
     */
    static int indexOf(MemorySegment block, int offset, int fromIndex, int toIndex, byte value) {
        if (fromIndex <= toIndex) {
            for (int i = fromIndex; i < toIndex; i++) {
                if (block.get(ValueLayout.JAVA_BYTE, offset + i) == value) {
                    return i;
                }
            }
        } else {
            for (int i = fromIndex - 1; i >= toIndex; i--) {
                if (block.get(ValueLayout.JAVA_BYTE, offset + i) == value) {
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * {@return {@code src}, or a heap copy of it if it lies in {@code memory}'s block}, for a
     * write that is about to grow the buffer: growing frees the block {@code src} points into.
     */
    static MemorySegment detach(MemorySegment src, SharedMemory memory) {
        if (!src.isNative()) {
            return src;
        }
        long start = memory.address();
        long end = start + memory.capacity();
        boolean overlaps = src.address() < end && src.address() + src.byteSize() > start;
        return overlaps ? MemorySegment.ofArray(src.toArray(ValueLayout.JAVA_BYTE)) : src;
    }

    /** Appends {@code text} encoded in {@code charset} to {@code dst}, and returns the byte count. */
    static int writeCharSequence(Buffer dst, CharSequence text, Charset charset) {
        byte[] bytes = text.toString().getBytes(charset);
        dst.writeBytes(bytes);
        return bytes.length;
    }
}
