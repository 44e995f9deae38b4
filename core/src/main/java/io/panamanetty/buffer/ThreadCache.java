package io.panamanetty.buffer;

import java.lang.ref.Cleaner;
import java.util.Arrays;

/**
 * One platform thread's free blocks for one {@link PooledBufferAllocator}: per size class a
 * small bounded stack, used without any lock since only its thread touches it. An empty
 * stack refills with a batch from the class's {@link SizeClassPool}; a full one spills half
 * of its blocks there, so the locks are taken once per batch rather than once per buffer.
 * The thread's share of the allocator's counts is kept here too, in plain fields
 * ({@link Counts}), and added to the arena's totals when the cache is closed.
 *
 * <p>The blocks go back to the shared pools when the thread calls
 * {@link PooledBufferAllocator#releaseThreadCaches()} (event loops do, as they end) or,
 * as a safety net, when this cache becomes unreachable (its thread died): a {@link Cleaner}
 * then spills the stacks, which it holds apart from this object.
 */
final class ThreadCache {
    /** How many freed root buffer objects a cache keeps for reuse. */
    static final int RECYCLED_BUFFERS = 1024;
    /** How many of the most recently freed roots {@link #takeRecycled} looks at for one that fits. */
    private static final int SEARCHED = 4;

    private final SizeClassPool[] pools;
    /** Freed root buffers of this allocator, kept for reuse; a stack, so the most recent comes back first. */
    private final Buffer[] recycled = new Buffer[RECYCLED_BUFFERS];
    private int recycledCount;
    private final long[][] stacks;
    private final int[] counts;
    /** This thread's changes to the allocator's counts; only this thread writes them. */
    final Counts inUse = new Counts();
    private final Cleaner.Cleanable cleanable;

    ThreadCache(PoolArena arena) {
        this.pools = arena.pools;
        this.stacks = new long[PoolArena.CLASS_COUNT][];
        for (int i = 0; i < stacks.length; i++) {
            stacks[i] = new long[PoolArena.threadCacheSize(i)];
        }
        this.counts = new int[PoolArena.CLASS_COUNT];
        arena.register(inUse);
        this.cleanable = PoolArena.CLEANER.register(this, new Spill(arena, stacks, counts, inUse));
    }

    /** {@return a block of class {@code index}, or 0 if the shared pool is empty and may not grow} */
    long allocate(int index) {
        int n = counts[index];
        long[] stack = stacks[index];
        if (n == 0) {
            n = pools[index].take(stack, stack.length / 2);
            if (n == 0) {
                return 0;
            }
        }
        counts[index] = --n;
        inUse.pooledBytes += PoolArena.classSize(index);
        return stack[n];
    }

    /** Keeps {@code block}, of class {@code index}, spilling the older half of the stack if it is full. */
    void free(int index, long block) {
        inUse.pooledBytes -= PoolArena.classSize(index);
        long[] stack = stacks[index];
        int n = counts[index];
        if (n == stack.length) {
            int half = n / 2;
            pools[index].give(stack, 0, half);
            System.arraycopy(stack, half, stack, 0, n - half);
            n -= half;
        }
        stack[n] = block;
        counts[index] = n + 1;
    }

    /** Keeps {@code root}, whose memory was just freed, for reuse; drops it if the stack is full. */
    void recycle(Buffer root) {
        int n = recycledCount;
        if (n < recycled.length) {
            recycled[n] = root;
            recycledCount = n + 1;
        }
    }

    /**
     * {@return a freed root buffer to reincarnate over {@code block}, or null if none is kept}
     * The most recent one, unless it kept a segment of another block and one of the few before
     * it kept {@code block}'s: reusing that one saves making a segment again (buffers of two
     * sizes alternating, say a read buffer and a header, would otherwise miss every time).
     */
    Buffer takeRecycled(long block) {
        int n = recycledCount;
        if (n == 0) {
            return null;
        }
        int pick = n - 1;
        if (recycled[pick].memory.keepsOtherSegment(block)) {
            for (int i = pick - 1; i >= Math.max(0, n - SEARCHED); i--) {
                if (recycled[i].memory.keepsSegmentOf(block)) {
                    pick = i;
                    break;
                }
            }
        }
        Buffer root = recycled[pick];
        recycled[pick] = recycled[n - 1];
        recycled[n - 1] = null;
        recycledCount = n - 1;
        return root;
    }

    /** Returns every cached block to the shared pools; the cache must not be used afterwards. */
    void close() {
        Arrays.fill(recycled, null);
        recycledCount = 0;
        cleanable.clean();
    }

    /**
     * Buffers and pooled bytes taken (positive) or given back (negative) through one cache.
     * Plain fields: written by the cache's thread alone, read by {@link PoolArena} for
     * statistics, which may lag while the thread works.
     */
    static final class Counts {
        long buffers;
        long pooledBytes;
    }

    /** The cleaning action: spills all stacks, folds the counts. Holds their state, never the cache. */
    private record Spill(PoolArena arena, long[][] stacks, int[] counts, Counts inUse) implements Runnable {
        @Override
        public void run() {
            for (int i = 0; i < stacks.length; i++) {
                if (counts[i] > 0) {
                    arena.pools[i].give(stacks[i], 0, counts[i]);
                    counts[i] = 0;
                }
            }
            arena.fold(inUse);
        }
    }
}
