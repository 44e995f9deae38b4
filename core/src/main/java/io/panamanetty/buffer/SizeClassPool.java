package io.panamanetty.buffer;

import io.panamanetty.bindings.Memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The shared pool of one size class: the free blocks no thread cache holds, and the slabs
 * they were cut from. Thread caches refill from it and spill into it in batches; threads
 * without a cache (virtual threads) take and give single blocks. Every method takes the
 * pool's lock, so the pool is thread-safe; blocks of a class are interchangeable, so it
 * does not matter which thread allocated a block it gets back.
 *
 * <p>When empty, the pool cuts a new slab (if the arena's cap allows) into blocks, all of
 * which go on the free stack. The free stack is a {@code long[]} of addresses, so free
 * blocks cost 8 bytes of heap each and none of their own memory is touched.
 */
final class SizeClassPool {
    private record Slab(long allocation, long base) {
    }

    private final PoolArena arena;
    private final int blockSize;
    private final int blocksPerSlab;
    private final List<Slab> slabs = new ArrayList<>();
    private long[] free = new long[0];
    private int count;

    SizeClassPool(PoolArena arena, int blockSize) {
        this.arena = arena;
        this.blockSize = blockSize;
        this.blocksPerSlab = PoolArena.SLAB_SIZE / blockSize;
    }

    /**
     * Moves up to {@code max} free blocks into {@code dst[0 ..)}, cutting a new slab first if
     * none is free.
     *
     * @return how many were moved; 0 if the pool is empty and the cap forbids a new slab
     */
    synchronized int take(long[] dst, int max) {
        if (count == 0 && !addSlab()) {
            return 0;
        }
        int n = Math.min(max, count);
        count -= n;
        System.arraycopy(free, count, dst, 0, n);
        return n;
    }

    /** {@return one free block, or 0 if the pool is empty and the cap forbids a new slab} */
    synchronized long takeOne() {
        if (count == 0 && !addSlab()) {
            return 0;
        }
        return free[--count];
    }

    /** Puts back the {@code n} blocks of {@code src} from {@code offset}. */
    synchronized void give(long[] src, int offset, int n) {
        ensureRoom(n);
        System.arraycopy(src, offset, free, count, n);
        count += n;
    }

    /** Puts back one block. */
    synchronized void giveOne(long block) {
        ensureRoom(1);
        free[count++] = block;
    }

    private void ensureRoom(int n) {
        if (count + n > free.length) {
            free = Arrays.copyOf(free, Math.max(count + n, Math.max(64, free.length * 2)));
        }
    }

    private boolean addSlab() {
        if (!arena.reserveSlab()) {
            return false;
        }
        long allocation;
        try {
            allocation = Memory.malloc(PoolArena.SLAB_SIZE + 16L);
        } catch (OutOfMemoryError e) {
            arena.unreserveSlab();
            return false;
        }
        long base = (allocation + 15) & ~15L;
        slabs.add(new Slab(allocation, base));
        ensureRoom(blocksPerSlab);
        // The slab's first block ends up on top of the stack, so it is handed out first.
        for (int i = blocksPerSlab - 1; i >= 0; i--) {
            free[count++] = base + (long) i * blockSize;
        }
        return true;
    }

    /** {@return the bytes of the free blocks in this pool (not in thread caches)} */
    synchronized long freeBytes() {
        return (long) count * blockSize;
    }

    synchronized int slabCount() {
        return slabs.size();
    }

    /**
     * Frees the slabs all of whose blocks are in this pool: none in use, none in a thread
     * cache.
     *
     * @return the number of slabs freed
     */
    synchronized int trim() {
        if (slabs.isEmpty() || count < blocksPerSlab) {
            return 0;
        }
        slabs.sort(Comparator.comparingLong(Slab::base));
        long[] bases = new long[slabs.size()];
        for (int i = 0; i < bases.length; i++) {
            bases[i] = slabs.get(i).base();
        }
        int[] freeInSlab = new int[bases.length];
        for (int i = 0; i < count; i++) {
            freeInSlab[slabOf(bases, free[i])]++;
        }
        boolean[] release = new boolean[bases.length];
        int released = 0;
        for (int i = 0; i < bases.length; i++) {
            if (freeInSlab[i] == blocksPerSlab) {
                release[i] = true;
                released++;
            }
        }
        if (released == 0) {
            return 0;
        }
        int kept = 0;
        for (int i = 0; i < count; i++) {
            if (!release[slabOf(bases, free[i])]) {
                free[kept++] = free[i];
            }
        }
        count = kept;
        List<Slab> remaining = new ArrayList<>(bases.length - released);
        for (int i = 0; i < bases.length; i++) {
            if (release[i]) {
                Memory.free(slabs.get(i).allocation());
                arena.unreserveSlab();
            } else {
                remaining.add(slabs.get(i));
            }
        }
        slabs.clear();
        slabs.addAll(remaining);
        if (free.length > 4 * Math.max(64, count)) {
            free = Arrays.copyOf(free, Math.max(64, count * 2));
        }
        return released;
    }

    /** {@return the index in the sorted {@code bases} of the slab holding {@code block}} */
    private static int slabOf(long[] bases, long block) {
        int i = Arrays.binarySearch(bases, block);
        return i >= 0 ? i : -i - 2;
    }

    /** Frees every slab, in use or not; see {@link PoolArena#destroy()}. */
    synchronized void destroy() {
        for (Slab slab : slabs) {
            Memory.free(slab.allocation());
            arena.unreserveSlab();
        }
        slabs.clear();
        free = new long[0];
        count = 0;
    }
}
