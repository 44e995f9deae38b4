package io.panamanetty.codec;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferAllocator;

import java.lang.foreign.MemorySegment;

/**
 * How {@link ByteToMessageDecoder} gathers input: incoming buffers are copied (merged) into
 * one cumulation buffer that the decoder owns, and the bytes already decoded are dropped
 * before the cumulation would have to grow, so that its capacity stays within a small
 * multiple of what is actually waiting to be decoded.
 *
 * <p>Frames handed downstream may be retained slices of the cumulation. While any is alive
 * (the cumulation's reference count is above 1) its bytes must not move, so read bytes are
 * then discarded by moving the unread ones into a fresh block rather than in place; the old
 * block lives on until its last slice is released.
 */
final class Cumulation {
    /** The smallest cumulation allocated. */
    static final int MIN_CAPACITY = 256;
    /** An emptied cumulation up to this size is kept for the next read; a larger one is freed. */
    static final int KEEP_CAPACITY = 64 * 1024;

    private Cumulation() {
    }

    /**
     * Appends the readable bytes of {@code in} to {@code cumulation} (null for none yet),
     * making room first. {@code in} keeps its reference; the caller still releases it.
     *
     * @return the cumulation to use from now on: the same one, or a replacement (the old one
     *         then released), or a new one if {@code cumulation} was null and {@code in} had bytes
     * @throws TooLongFrameException if the bytes waiting would exceed the largest buffer
     */
    static Buffer append(BufferAllocator alloc, Buffer cumulation, Buffer in) {
        int incoming = in.readableBytes();
        if (incoming == 0) {
            return cumulation;
        }
        if (cumulation == null) {
            Buffer fresh = alloc.allocate(Math.max(incoming, MIN_CAPACITY));
            try {
                return fresh.writeBytes(in);
            } catch (RuntimeException | Error e) {
                fresh.release();
                throw e;
            }
        }
        Buffer target = makeRoom(alloc, cumulation, incoming);
        target.writeBytes(in);
        return target;
    }

    /**
     * Tidies the cumulation after a decoding pass.
     *
     * @return the cumulation to keep (possibly emptied, or moved to a smaller block), or null
     *         if it was released
     */
    static Buffer trim(BufferAllocator alloc, Buffer cumulation) {
        if (cumulation == null) {
            return null;
        }
        boolean exclusive = cumulation.refCnt() == 1;
        if (!cumulation.isReadable()) {
            if (exclusive && cumulation.capacity() <= KEEP_CAPACITY) {
                return cumulation.clear();
            }
            cumulation.release();
            return null;
        }
        int readable = cumulation.readableBytes();
        if (cumulation.capacity() > KEEP_CAPACITY && readable <= cumulation.capacity() / 4) {
            return moveTo(alloc, cumulation, Math.max(2 * readable, MIN_CAPACITY));   // shrink after a big frame
        }
        return cumulation;
    }

    /** {@return {@code cumulation}, or a replacement, with at least {@code incoming} writable bytes} */
    private static Buffer makeRoom(BufferAllocator alloc, Buffer cumulation, int incoming) {
        if (cumulation.writableBytes() >= incoming) {
            return cumulation;
        }
        int readable = cumulation.readableBytes();
        long needed = (long) readable + incoming;
        if (needed > BufferAllocator.MAX_CAPACITY) {
            throw new TooLongFrameException("cumulated input of " + needed + " bytes exceeds the largest buffer, "
                    + BufferAllocator.MAX_CAPACITY + " bytes", needed, BufferAllocator.MAX_CAPACITY);
        }
        int capacity = cumulation.capacity();
        if (cumulation.refCnt() == 1 && needed <= capacity) {
            compactInPlace(cumulation);
            return cumulation;
        }
        long size = needed > capacity
                ? Math.max(needed, 2L * capacity)                                  // grow geometrically
                : Math.min(capacity, Math.max(2 * needed, MIN_CAPACITY));          // shared: same size or smaller
        return moveTo(alloc, cumulation, (int) Math.min(size, BufferAllocator.MAX_CAPACITY));
    }

    /** Moves the unread bytes to index 0 of the same block; only when nothing else views it. */
    private static void compactInPlace(Buffer cumulation) {
        int readerIndex = cumulation.readerIndex();
        if (readerIndex == 0) {
            return;
        }
        int readable = cumulation.readableBytes();
        MemorySegment block = cumulation.segment();
        MemorySegment.copy(block, readerIndex, block, 0, readable);   // overlapping copy is safe
        cumulation.readerIndex(0).writerIndex(readable);
    }

    /** Copies the unread bytes into a new buffer of {@code capacity} and releases the old one. */
    private static Buffer moveTo(BufferAllocator alloc, Buffer cumulation, int capacity) {
        Buffer fresh = alloc.allocate(capacity);
        try {
            fresh.writeBytes(cumulation);
        } catch (RuntimeException | Error e) {
            fresh.release();
            throw e;
        }
        cumulation.release();
        return fresh;
    }
}
