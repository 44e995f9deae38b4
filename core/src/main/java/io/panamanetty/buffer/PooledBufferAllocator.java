package io.panamanetty.buffer;

import io.panamanetty.bindings.Memory;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * A {@link BufferAllocator} that recycles native memory instead of calling {@code malloc}
 * and {@code free} for every buffer.
 *
 * <h2>Size classes and slabs</h2>
 * Capacities up to 64 KiB are rounded up to a size class, a power of two from 64 bytes to
 * 64 KiB. Blocks of a class are cut from 1 MiB slabs taken from {@code malloc}; a released
 * buffer's block goes back to the pool, not to the C heap. Larger buffers take their exact
 * size from {@code malloc} and give it back with {@code free}. The slabs add up to at most
 * {@code maxPooledBytes}; when a class has no free block and no new slab fits under that
 * cap, the block comes from {@code malloc} and goes back to {@code free}. All of these
 * buffers are counted alike in {@link #statistics()} and in {@link BufferStatistics}.
 *
 * <h2>Growth</h2>
 * A buffer growing within its class keeps its block (no copy); growing past it, it takes
 * a block of the larger class (or from {@code malloc}), copies its content and gives the
 * old block back.
 *
 * <h2>Threads</h2>
 * Each platform thread keeps a small cache of free blocks per class, so that allocating
 * and releasing on an event-loop thread takes no lock; caches refill from and spill to a
 * shared pool per class in batches, under that pool's lock. A buffer may be released on
 * any thread: its block goes to that thread's cache (blocks of a class are
 * interchangeable). A cache keeps at most 64 blocks of a class, and about 128 KiB of it
 * (at least 2 blocks). Virtual threads get no cache and use the shared pools directly.
 * A thread that stops using the allocator should call {@link #releaseThreadCaches()}
 * (event loops do when they end); if it does not, its cache is returned to the shared pools
 * once the thread has died and its cache has been garbage-collected.
 *
 * <h2>Recycled buffer objects</h2>
 * The {@link Buffer} objects are pooled too, so that allocating and releasing in the steady
 * state (an event loop reading and writing) creates no garbage: a platform thread keeps up
 * to 1024 root buffers freed on it, and its next
 * allocations reuse them. The price is the one Netty pays: a reference kept to a root
 * buffer after its release may, once the object is reused, reach the new owner's bytes
 * instead of failing with {@link IllegalReferenceCountException}. Views (slices and
 * duplicates) are not recycled and still fail. The system property
 * {@code io.panamanetty.allocator.recycle=false} turns recycling off, making every use
 * after release fail, for example while hunting such a bug.
 *
 * <p>Slabs are freed by {@link #trim()} once all their blocks are back in the shared pools,
 * and all of them when the allocator itself becomes unreachable (which no buffer in use
 * allows, as each refers to its allocator).
 *
 * <p>{@link BufferAllocator#defaultAllocator()} is {@link #DEFAULT} when the system property
 * {@code io.panamanetty.allocator} is {@code pooled}.
 */
public final class PooledBufferAllocator implements BufferAllocator {

    /** Every live allocator, for {@link #releaseThreadCaches()}; declared first, as {@link #DEFAULT} joins it. */
    private static final Set<PooledBufferAllocator> ALLOCATORS = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    /** The default cap on slab memory: 256 MiB. */
    public static final long DEFAULT_MAX_POOLED_BYTES = 256L << 20;

    /**
     * The shared instance, which {@link BufferAllocator#defaultAllocator()} returns when
     * pooling is selected. Its cap is the system property
     * {@code io.panamanetty.allocator.maxPooledBytes} (bytes), else {@link #DEFAULT_MAX_POOLED_BYTES}.
     */
    public static final PooledBufferAllocator DEFAULT = new PooledBufferAllocator(
            Long.getLong("io.panamanetty.allocator.maxPooledBytes", DEFAULT_MAX_POOLED_BYTES));

    /**
     * Whether freed root buffer objects are kept for reuse (see "Recycled buffer objects"
     * above): the system property {@code io.panamanetty.allocator.recycle}, true unless
     * {@code false}.
     */
    static final boolean RECYCLE_BUFFERS = !"false".equalsIgnoreCase(
            System.getProperty("io.panamanetty.allocator.recycle", "true").trim());

    private final PoolArena arena;
    private final ThreadCaches caches;
    private final LeakDetector leakDetector;
    private final MemoryOwner owner = new Owner();

    /** Creates an allocator whose slabs add up to at most {@link #DEFAULT_MAX_POOLED_BYTES}. */
    public PooledBufferAllocator() {
        this(DEFAULT_MAX_POOLED_BYTES);
    }

    /**
     * Creates an allocator whose slabs add up to at most {@code maxPooledBytes}; 0 pools
     * nothing. Slabs are 1 MiB, so a cap below that also pools nothing.
     *
     * @param maxPooledBytes the most slab memory to keep, in bytes
     * @throws IllegalArgumentException if {@code maxPooledBytes} is negative
     */
    public PooledBufferAllocator(long maxPooledBytes) {
        this(maxPooledBytes, LeakDetector.global());
    }

    /** Creates an allocator tracking leaks with {@code leakDetector} rather than the process-wide one. */
    PooledBufferAllocator(long maxPooledBytes, LeakDetector leakDetector) {
        this.arena = new PoolArena(maxPooledBytes);
        this.caches = new ThreadCaches(arena);
        this.leakDetector = leakDetector;
        PoolArena.CLEANER.register(this, arena::destroy);
        ALLOCATORS.add(this);
    }

    @Override
    public Buffer allocate(int initialCapacity, int maxCapacity) {
        if (initialCapacity < 0 || initialCapacity > maxCapacity || maxCapacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("initialCapacity: " + initialCapacity + ", maxCapacity: "
                    + maxCapacity + " (expected: 0 <= initialCapacity <= maxCapacity <= " + MAX_CAPACITY + ")");
        }
        ThreadCache cache = caches.current();
        long address = allocateBlock(initialCapacity, cache);
        Buffer recycled = null;
        if (cache != null) {
            cache.inUse.buffers++;
            recycled = cache.takeRecycled(address);
        } else {
            arena.buffersInUse.increment();
        }
        if (recycled != null) {
            recycled.reincarnate(owner, address, initialCapacity, maxCapacity);
            return recycled;
        }
        return new Buffer(owner, address, initialCapacity, maxCapacity);
    }

    /**
     * Returns the calling thread's cached blocks, of every pooled allocator, to the shared
     * pools, where other threads can use them. Call it when a platform thread is done with
     * buffers for good; the thread may still allocate afterwards (it then builds a new cache).
     */
    public static void releaseThreadCaches() {
        List<PooledBufferAllocator> allocators;
        synchronized (ALLOCATORS) {
            allocators = new ArrayList<>(ALLOCATORS);
        }
        for (PooledBufferAllocator allocator : allocators) {
            allocator.caches.closeCurrent();
        }
    }

    /**
     * Frees the slabs whose blocks are all free in the shared pools. Blocks in thread caches
     * count as used; call {@link #releaseThreadCaches()} first on the threads concerned.
     *
     * @return the number of slabs freed
     */
    public int trim() {
        int freed = 0;
        for (SizeClassPool pool : arena.pools) {
            freed += pool.trim();
        }
        return freed;
    }

    /** {@return a snapshot of this allocator's buffers and memory} */
    public PoolStatistics statistics() {
        long shared = 0;
        int slabs = 0;
        for (SizeClassPool pool : arena.pools) {
            shared += pool.freeBytes();
            slabs += pool.slabCount();
        }
        long slabBytes = arena.slabBytes();
        long pooled = arena.pooledBytesInUse();
        long unpooled = arena.unpooledBytesInUse.sum();
        long threadCached = Math.max(0, slabBytes - pooled - shared);
        return new PoolStatistics(arena.buffersInUse(), pooled + unpooled, unpooled,
                threadCached, shared, slabs, slabBytes);
    }

    /** {@return the most slab memory this allocator keeps, in bytes} */
    public long maxPooledBytes() {
        return arena.maxPooledBytes;
    }

    /** {@return the class name, the cap and the {@linkplain #statistics() statistics}} */
    @Override
    public String toString() {
        return "PooledBufferAllocator(maxPooledBytes: " + arena.maxPooledBytes + ", " + statistics() + ")";
    }

    /** Takes a block for {@code capacity} bytes through {@code cache} (null: the shared pools). */
    private long allocateBlock(int capacity, ThreadCache cache) {
        if (capacity > PoolArena.MAX_CLASS_SIZE) {
            return arena.allocateLarge(capacity);
        }
        int index = PoolArena.classOf(capacity);
        long block;
        if (cache != null) {
            block = cache.allocate(index);
        } else {
            block = arena.pools[index].takeOne();
            if (block != 0) {
                arena.pooledBytesInUse.add(PoolArena.classSize(index));
            }
        }
        return block != 0 ? block : arena.allocateOverflow(PoolArena.classSize(index));
    }

    /** Gives back the block of a buffer of {@code capacity} bytes through {@code cache} (null: the shared pools). */
    private void freeBlock(long block, int capacity, ThreadCache cache) {
        if (capacity > PoolArena.MAX_CLASS_SIZE) {
            arena.freeLarge(block, capacity);
            return;
        }
        int index = PoolArena.classOf(capacity);
        if (PoolArena.isOverflow(block)) {
            arena.freeOverflow(block, PoolArena.classSize(index));
        } else if (cache != null) {
            cache.free(index, block);
        } else {
            arena.pooledBytesInUse.add(-PoolArena.classSize(index));
            arena.pools[index].giveOne(block);
        }
    }

    /** The memory hook handed to the buffers. It refers to the allocator, keeping it alive while they are. */
    private final class Owner implements MemoryOwner {
        @Override
        public long reallocate(long address, int oldCapacity, int newCapacity) {
            if (newCapacity <= PoolArena.MAX_CLASS_SIZE
                    && PoolArena.classOf(newCapacity) == PoolArena.classOf(oldCapacity)) {
                return address;   // the block already has room
            }
            ThreadCache cache = caches.current();
            long newAddress = allocateBlock(newCapacity, cache);
            MemorySegment.copy(Memory.segment(address, oldCapacity), 0,
                    Memory.segment(newAddress, newCapacity), 0, oldCapacity);
            freeBlock(address, oldCapacity, cache);
            return newAddress;
        }

        @Override
        public void free(long address, int capacity, Buffer root) {
            ThreadCache cache = caches.current();
            freeBlock(address, capacity, cache);
            if (cache != null) {
                cache.inUse.buffers--;
                if (RECYCLE_BUFFERS) {
                    cache.recycle(root);
                }
            } else {
                arena.buffersInUse.decrement();
            }
        }

        @Override
        public LeakDetector leakDetector() {
            return leakDetector;
        }
    }
}
