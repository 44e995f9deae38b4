package io.panamanetty.buffer;

/**
 * The allocator-side hook through which a root {@link Buffer} grows and frees its memory.
 * A buffer never calls {@code malloc}/{@code free} itself: an unpooled allocator hands the
 * memory back to the C heap, a {@linkplain PooledBufferAllocator pooled} one to its pool.
 *
 * <p>Both methods are called at most once per block of memory, by whichever thread grows
 * the buffer or drops its reference count to 0.
 */
interface MemoryOwner {

    /**
     * Replaces a block by a larger one holding the same first {@code oldCapacity} bytes,
     * and gives the old block up (the caller never touches it again).
     *
     * @param address     the current block
     * @param oldCapacity its size in bytes
     * @param newCapacity the size wanted, larger than {@code oldCapacity}
     * @return the address of the new block
     */
    long reallocate(long address, int oldCapacity, int newCapacity);

    /**
     * Gives up the block of the buffer whose last reference was just released.
     *
     * @param address  the block
     * @param capacity its size in bytes
     * @param root     the root buffer of the block, which the owner may keep and
     *                 {@linkplain Buffer#reincarnate reincarnate} for a later allocation
     */
    void free(long address, int capacity, Buffer root);

    /** {@return the detector that decides whether to track the buffers of this owner for leaks} */
    default LeakDetector leakDetector() {
        return LeakDetector.global();
    }
}
