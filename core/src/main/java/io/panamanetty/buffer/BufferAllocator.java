package io.panamanetty.buffer;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;

/**
 * Creates {@link Buffer}s. Every buffer returned carries one reference owned by the
 * caller, who must eventually release it (or hand it to something that will, such as a
 * channel write; see the ownership rule on {@link Buffer}).
 *
 * <p>The allocator decides where a buffer's memory comes from and where it goes back to;
 * {@link UnpooledBufferAllocator} takes it from the C heap for each buffer,
 * {@link PooledBufferAllocator} recycles it through size-class pools and per-thread caches.
 * Implementations must be thread-safe.
 *
 * <h2>System properties</h2>
 * <ul>
 *   <li>{@code io.panamanetty.allocator}: {@code pooled} (the default) or {@code unpooled},
 *       the kind of {@link #defaultAllocator()}.</li>
 *   <li>{@code io.panamanetty.allocator.maxPooledBytes}: the cap on the slab memory of
 *       {@link PooledBufferAllocator#DEFAULT}, 256 MiB by default.</li>
 *   <li>{@code io.panamanetty.leakDetection}: {@code disabled}, {@code sampled} (the
 *       default) or {@code paranoid}. Sampled tracks one root buffer in 128, paranoid all of
 *       them (slow); a tracked buffer that is garbage-collected with a reference count above 0
 *       is logged at {@code ERROR} by the {@code System.Logger} named
 *       {@code io.panamanetty.buffer.LeakDetector}, with the stack of its allocation and its
 *       last {@linkplain Buffer#touch(Object) touch} hint. It covers every allocator's buffers.</li>
 * </ul>
 */
public interface BufferAllocator {

    /** The largest capacity a buffer may have, and the default maximum capacity: {@value}. */
    int MAX_CAPACITY = Integer.MAX_VALUE - 8;

    /**
     * The allocator shared by the whole process, chosen once by the system property
     * {@code io.panamanetty.allocator}: {@link PooledBufferAllocator#DEFAULT} unless it is
     * {@code unpooled}, which selects {@link UnpooledBufferAllocator#DEFAULT}.
     *
     * @return the default allocator, the same instance on every call
     */
    static BufferAllocator defaultAllocator() {
        return DefaultAllocator.INSTANCE;
    }

    /**
     * Allocates an empty buffer that can grow up to {@link #MAX_CAPACITY} bytes.
     *
     * @param initialCapacity the capacity to start with, at least 0
     * @return a new buffer with reference count 1 and both indices at 0
     * @throws IllegalArgumentException if {@code initialCapacity} is negative or above {@link #MAX_CAPACITY}
     */
    default Buffer allocate(int initialCapacity) {
        return allocate(initialCapacity, MAX_CAPACITY);
    }

    /**
     * Allocates an empty buffer that can grow up to {@code maxCapacity} bytes.
     *
     * @param initialCapacity the capacity to start with, at least 0
     * @param maxCapacity     the most the buffer may grow to, at least {@code initialCapacity}
     *                        and at most {@link #MAX_CAPACITY}
     * @return a new buffer with reference count 1 and both indices at 0
     * @throws IllegalArgumentException if the capacities are out of range
     */
    Buffer allocate(int initialCapacity, int maxCapacity);

    /**
     * Allocates a buffer holding a copy of {@code bytes}.
     *
     * @param bytes the content
     * @return a new buffer whose readable bytes are {@code bytes}
     */
    default Buffer copyOf(byte[] bytes) {
        Buffer buffer = allocate(bytes.length);
        try {
            return buffer.writeBytes(bytes);
        } catch (RuntimeException | Error e) {
            buffer.release();
            throw e;
        }
    }

    /**
     * Allocates a buffer holding a copy of the remaining bytes of {@code source}; the
     * position of {@code source} is left unchanged.
     *
     * @param source the content, between its position and limit
     * @return a new buffer whose readable bytes are those remaining bytes
     */
    default Buffer copyOf(ByteBuffer source) {
        Buffer buffer = allocate(source.remaining());
        try {
            return buffer.writeBytes(source.duplicate());
        } catch (RuntimeException | Error e) {
            buffer.release();
            throw e;
        }
    }

    /**
     * Allocates a buffer holding a copy of the whole of {@code source}.
     *
     * @param source the content, heap or native
     * @return a new buffer whose readable bytes are those of {@code source}
     * @throws IllegalArgumentException if {@code source} is larger than {@link #MAX_CAPACITY}
     */
    default Buffer copyOf(MemorySegment source) {
        long size = source.byteSize();
        if (size > MAX_CAPACITY) {
            throw new IllegalArgumentException("segment of " + size + " bytes exceeds the maximum buffer capacity "
                    + MAX_CAPACITY);
        }
        Buffer buffer = allocate((int) size);
        try {
            return buffer.writeBytes(source);
        } catch (RuntimeException | Error e) {
            buffer.release();
            throw e;
        }
    }

    /**
     * {@return an empty {@link CompositeBuffer}, to which buffers of this allocator (or any
     * other) are added without copying} The composite's memory is its components'; the object
     * itself is reused per thread, so making one allocates nothing in the steady state.
     */
    default CompositeBuffer compositeBuffer() {
        return CompositeBuffer.create();
    }

    /**
     * Allocates a buffer holding {@code text} encoded in {@code charset}.
     *
     * @param text    the characters
     * @param charset their encoding
     * @return a new buffer whose readable bytes are the encoded text
     */
    default Buffer copyOf(CharSequence text, Charset charset) {
        return copyOf(text.toString().getBytes(charset));
    }
}
