package io.panamanetty.buffer;

/**
 * A snapshot of a {@link PooledBufferAllocator}'s memory, from {@link PooledBufferAllocator#statistics()}.
 * The figures are exact when no buffer operation and no thread of the allocator is in
 * flight; while threads work they are a close approximation (each is read separately).
 *
 * <p>A buffer's bytes are those of its block: its capacity rounded up to the size class
 * (64 bytes to 64 KiB, powers of two), or its exact capacity above 64 KiB.
 *
 * @param buffersInUse       root buffers allocated and not yet released to reference count 0
 * @param bytesInUse         the bytes of their blocks, pooled or not
 * @param unpooledBytesInUse the part of {@code bytesInUse} taken straight from {@code malloc}:
 *                           buffers above the largest class, and blocks allocated while the
 *                           pool was at its cap
 * @param threadCachedBytes  free slab bytes held by thread caches
 * @param sharedPooledBytes  free slab bytes held by the shared per-class pools
 * @param slabCount          the number of slabs taken from {@code malloc} and not freed
 * @param slabBytes          their total size, at most the allocator's {@code maxPooledBytes}
 */
public record PoolStatistics(long buffersInUse, long bytesInUse, long unpooledBytesInUse,
                             long threadCachedBytes, long sharedPooledBytes, int slabCount, long slabBytes) {

    /** {@return the free slab bytes, in thread caches and shared pools together} */
    public long cachedBytes() {
        return threadCachedBytes + sharedPooledBytes;
    }
}
