package io.panamanetty.buffer;

import java.util.Arrays;

/**
 * The components of a {@link CompositeBuffer}, laid end to end: for component {@code i}, the
 * buffer, the index in it where its bytes begin ({@code bases}), and the composite index just
 * past its bytes ({@code ends}). Arrays grow and are kept when the composite is recycled.
 */
final class CompositeParts {
    Buffer[] buffers = new Buffer[4];
    int[] bases = new int[4];
    int[] ends = new int[4];
    int count;

    /** {@return the bytes of all components} */
    int length() {
        return count == 0 ? 0 : ends[count - 1];
    }

    /** {@return the composite index where component {@code i} begins} */
    int start(int i) {
        return i == 0 ? 0 : ends[i - 1];
    }

    /** {@return the component holding composite index {@code index} (below {@link #length()})} */
    int locate(int index) {
        int found = Arrays.binarySearch(ends, 0, count, index);
        return found >= 0 ? found + 1 : -found - 1;
    }

    /** {@return the index in component {@code i} of composite index {@code index}} */
    int local(int i, int index) {
        return bases[i] + index - start(i);
    }

    /** Appends the readable bytes of {@code buffer} (whose reference it now holds). */
    void add(Buffer buffer) {
        int readable = buffer.readableBytes();
        if ((long) length() + readable > BufferAllocator.MAX_CAPACITY) {
            throw new IllegalArgumentException("a composite of " + ((long) length() + readable)
                    + " bytes exceeds the maximum buffer capacity " + BufferAllocator.MAX_CAPACITY);
        }
        if (count == buffers.length) {
            buffers = Arrays.copyOf(buffers, count * 2);
            bases = Arrays.copyOf(bases, count * 2);
            ends = Arrays.copyOf(ends, count * 2);
        }
        buffers[count] = buffer;
        bases[count] = buffer.readerIndex();
        ends[count] = length() + readable;
        count++;
    }

    /** Releases every component still held and forgets them all; returns the first failure, or null. */
    RuntimeException releaseAll() {
        RuntimeException failure = null;
        for (int i = 0; i < count; i++) {
            Buffer buffer = buffers[i];
            buffers[i] = null;
            if (buffer != null) {
                try {
                    buffer.release();
                } catch (RuntimeException e) {   // released behind the composite's back
                    failure = failure == null ? e : failure;
                }
            }
        }
        count = 0;
        return failure;
    }
}
