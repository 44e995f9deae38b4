package io.panamanetty.buffer;

import io.panamanetty.bindings.Memory;

import java.lang.foreign.ValueLayout;
import java.lang.ref.Cleaner;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The shared state of one {@link PooledBufferAllocator}: the size classes, one
 * {@link SizeClassPool} per class, the reservation of slab memory against the cap, the
 * blocks taken from {@code malloc} when pooling is not possible, and the counters behind
 * {@link PoolStatistics}.
 *
 * <p>It never refers to the allocator itself, so that thread caches and cleaning actions,
 * which refer to it, do not keep an unused allocator reachable.
 *
 * <h2>Blocks</h2>
 * A capacity up to {@link #MAX_CLASS_SIZE} gets a block of its class size, a power of two
 * from {@link #MIN_CLASS_SIZE}: from a slab when possible, otherwise from {@code malloc}
 * (an <em>overflow</em> block). Larger capacities get a {@code malloc} block of exactly
 * their size. The two sources of class-sized blocks are told apart by address alone:
 * slab blocks are 16-byte aligned, overflow blocks sit 8 bytes past a 16-byte boundary,
 * behind a header holding the address {@code malloc} returned.
 */
final class PoolArena {
    /** Runs the cleaning actions of the pool (thread caches, allocators) and of the leak detector. */
    static final Cleaner CLEANER = Cleaner.create();

    static final int MIN_SHIFT = 6;
    static final int MAX_SHIFT = 16;
    /** The smallest class: {@value} bytes. */
    static final int MIN_CLASS_SIZE = 1 << MIN_SHIFT;
    /** The largest class: {@value} bytes; larger capacities are not pooled. */
    static final int MAX_CLASS_SIZE = 1 << MAX_SHIFT;
    static final int CLASS_COUNT = MAX_SHIFT - MIN_SHIFT + 1;
    /** The size of a slab: {@value} bytes, cut into blocks of a single class. */
    static final int SLAB_SIZE = 1 << 20;

    private static final ValueLayout.OfLong HEADER = ValueLayout.JAVA_LONG;

    final long maxPooledBytes;
    final SizeClassPool[] pools = new SizeClassPool[CLASS_COUNT];
    private final AtomicLong slabBytes = new AtomicLong();
    /** The counts of threads without a cache, and of closed caches. */
    final LongAdder buffersInUse = new LongAdder();
    final LongAdder pooledBytesInUse = new LongAdder();
    final LongAdder unpooledBytesInUse = new LongAdder();
    /** The counts of the open thread caches. */
    private final Set<ThreadCache.Counts> cacheCounts = ConcurrentHashMap.newKeySet();

    PoolArena(long maxPooledBytes) {
        if (maxPooledBytes < 0) {
            throw new IllegalArgumentException("maxPooledBytes: " + maxPooledBytes + " (expected: >= 0)");
        }
        this.maxPooledBytes = maxPooledBytes;
        for (int i = 0; i < CLASS_COUNT; i++) {
            pools[i] = new SizeClassPool(this, classSize(i));
        }
    }

    /** {@return the index of the class holding {@code capacity} (at most {@link #MAX_CLASS_SIZE})} */
    static int classOf(int capacity) {
        return capacity <= MIN_CLASS_SIZE ? 0 : 32 - Integer.numberOfLeadingZeros(capacity - 1) - MIN_SHIFT;
    }

    /** {@return the block size of class {@code index}} */
    static int classSize(int index) {
        return 1 << (index + MIN_SHIFT);
    }

    /** {@return how many blocks of class {@code index} a thread cache keeps at most} */
    static int threadCacheSize(int index) {
        return Math.max(2, Math.min(64, (128 << 10) >> (index + MIN_SHIFT)));
    }

    void register(ThreadCache.Counts counts) {
        cacheCounts.add(counts);
    }

    /** Adds the counts of a cache being closed to the totals. */
    void fold(ThreadCache.Counts counts) {
        buffersInUse.add(counts.buffers);
        pooledBytesInUse.add(counts.pooledBytes);
        counts.buffers = 0;
        counts.pooledBytes = 0;
        cacheCounts.remove(counts);
    }

    long buffersInUse() {
        long sum = buffersInUse.sum();
        for (ThreadCache.Counts counts : cacheCounts) {
            sum += counts.buffers;
        }
        return sum;
    }

    long pooledBytesInUse() {
        long sum = pooledBytesInUse.sum();
        for (ThreadCache.Counts counts : cacheCounts) {
            sum += counts.pooledBytes;
        }
        return sum;
    }

    /** Reserves one slab's worth of the cap; false if the cap would be exceeded. */
    boolean reserveSlab() {
        for (;;) {
            long current = slabBytes.get();
            if (current + SLAB_SIZE > maxPooledBytes) {
                return false;
            }
            if (slabBytes.compareAndSet(current, current + SLAB_SIZE)) {
                return true;
            }
        }
    }

    /** Gives back a reservation made by {@link #reserveSlab()}. */
    void unreserveSlab() {
        slabBytes.addAndGet(-SLAB_SIZE);
    }

    long slabBytes() {
        return slabBytes.get();
    }

    /** {@return whether {@code block}, of a class size, is an overflow block rather than a slab block} */
    static boolean isOverflow(long block) {
        return (block & 15) == 8;
    }

    /** {@return a class-sized block from {@code malloc}, tagged as overflow; counted as unpooled} */
    long allocateOverflow(int size) {
        long raw = Memory.malloc(size + 24L);
        long aligned = (raw + 15) & ~15L;
        Memory.segment(aligned, 8).set(HEADER, 0, raw);
        unpooledBytesInUse.add(size);
        return aligned + 8;
    }

    void freeOverflow(long block, int size) {
        long raw = Memory.segment(block - 8, 8).get(HEADER, 0);
        Memory.free(raw);
        unpooledBytesInUse.add(-size);
    }

    /** {@return a block of exactly {@code size} bytes from {@code malloc}, for capacities above the classes} */
    long allocateLarge(int size) {
        long block = Memory.malloc(size);
        unpooledBytesInUse.add(size);
        return block;
    }

    void freeLarge(long block, int size) {
        Memory.free(block);
        unpooledBytesInUse.add(-size);
    }

    /** Frees every slab; only once nothing can use this arena any more (its allocator is unreachable). */
    void destroy() {
        for (SizeClassPool pool : pools) {
            pool.destroy();
        }
    }
}
