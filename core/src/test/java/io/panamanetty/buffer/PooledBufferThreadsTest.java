package io.panamanetty.buffer;

import io.panamanetty.testing.LeakCheck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pooled allocator across threads: hand-overs, thread caches, virtual threads, long churn. */
@ExtendWith(LeakCheck.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PooledBufferThreadsTest {
    private static final Buffer POISON = UnpooledBufferAllocator.DEFAULT.allocate(0);

    static {
        POISON.release();   // only compared by identity
    }

    @Test
    void buffersAllocatedOnOneThreadAndReleasedOnAnotherBalanceOut() throws Exception {
        PooledBufferAllocator alloc = new PooledBufferAllocator();
        int pairs = 4;
        int perProducer = 100_000;
        BlockingQueue<Buffer> queue = new ArrayBlockingQueue<>(256);
        AtomicLong corrupted = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            int seed = p;
            threads.add(Thread.ofPlatform().name("producer-" + p).start(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                try {
                    for (int i = 0; i < perProducer; i++) {
                        int size = random.nextInt(4, 3_000);
                        Buffer buf = alloc.allocate(size);
                        buf.writeInt(size);
                        buf.writerIndex(size);
                        buf.setByte(size - 1, size);
                        queue.put(buf);
                    }
                    queue.put(POISON);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    PooledBufferAllocator.releaseThreadCaches();
                }
            }));
            threads.add(Thread.ofPlatform().name("consumer-" + p).start(() -> {
                try {
                    for (Buffer buf; (buf = queue.take()) != POISON; ) {
                        int size = buf.readInt();
                        if (buf.readableBytes() != size - 4 || buf.getByte(size - 1) != (byte) size) {
                            corrupted.incrementAndGet();
                        }
                        buf.release();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    PooledBufferAllocator.releaseThreadCaches();
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(0, corrupted.get());
        PoolStatistics stats = alloc.statistics();
        assertEquals(0, stats.buffersInUse(), stats::toString);
        assertEquals(0, stats.bytesInUse(), stats::toString);
        assertEquals(0, stats.threadCachedBytes(), stats::toString);
        assertEquals(stats.slabBytes(), stats.sharedPooledBytes(), stats::toString);
        assertEquals(stats.slabCount(), alloc.trim(), "every block came back to the shared pools");
    }

    @Test
    void aLongChurnStopsTakingSlabsAfterWarmUp() throws Exception {
        PooledBufferAllocator alloc = new PooledBufferAllocator();
        // One thread, a window of live buffers: at most 100 live + a cache per class.
        SplittableRandom random = new SplittableRandom(42);
        Buffer[] window = new Buffer[100];
        int slabsAfterWarmUp = -1;
        for (int i = 0; i < 1_000_000; i++) {
            int slot = random.nextInt(window.length);
            if (window[slot] != null) {
                window[slot].release();
            }
            window[slot] = alloc.allocate(random.nextInt(1, 4_097)).writeInt(i);
            if (i == 100_000) {
                slabsAfterWarmUp = alloc.statistics().slabCount();
            }
        }
        for (Buffer buf : window) {
            buf.release();
        }
        assertEquals(slabsAfterWarmUp, alloc.statistics().slabCount());
        assertTrue(slabsAfterWarmUp <= PoolArena.CLASS_COUNT, "one slab per class at most: " + slabsAfterWarmUp);

        // Two threads handing buffers over through a bounded queue: the blocks circulate.
        BlockingQueue<Buffer> queue = new ArrayBlockingQueue<>(256);
        int total = 1_000_000;
        Thread consumer = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < total; i++) {
                    queue.take().release();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        int slabsAfterHandOverWarmUp = -1;
        for (int i = 0; i < total; i++) {
            queue.put(alloc.allocate(random.nextInt(1, 1_025)));
            if (i == 100_000) {
                slabsAfterHandOverWarmUp = alloc.statistics().slabCount();
            }
        }
        consumer.join();
        // the blocks circulate: no growth past the warm-up but for one slab, since how many a
        // class has live at once (the queue's plus the consumer's cache) depends on scheduling
        assertTrue(alloc.statistics().slabCount() <= slabsAfterHandOverWarmUp + 1,
                "slabs " + alloc.statistics().slabCount() + " after the warm-up's " + slabsAfterHandOverWarmUp);
        assertEquals(0, alloc.statistics().buffersInUse());
        PooledBufferAllocator.releaseThreadCaches();
    }

    @Test
    void virtualThreadsWorkWithoutThreadCaches() throws Exception {
        PooledBufferAllocator alloc = new PooledBufferAllocator();
        ConcurrentLinkedQueue<Buffer> handedOver = new ConcurrentLinkedQueue<>();
        AtomicLong corrupted = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 500; t++) {
            int id = t;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 200; i++) {
                    Buffer buf = alloc.allocate(8 + (i * 37 + id) % 5_000).writeInt(id).writeInt(i);
                    Thread.yield();
                    if (buf.readInt() != id || buf.readInt() != i) {
                        corrupted.incrementAndGet();
                    }
                    if (i % 4 == 0) {
                        handedOver.add(buf);   // released by another virtual thread
                    } else {
                        buf.release();
                    }
                    Buffer other = handedOver.poll();
                    if (other != null) {
                        other.release();
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        // A buffer from a virtual thread released on a platform thread, and the reverse.
        handedOver.forEach(Buffer::release);
        Buffer fromPlatform = alloc.allocate(100);
        Thread.ofVirtual().start(fromPlatform::release).join();
        PooledBufferAllocator.releaseThreadCaches();

        assertEquals(0, corrupted.get());
        PoolStatistics stats = alloc.statistics();
        assertEquals(0, stats.buffersInUse(), stats::toString);
        assertEquals(0, stats.threadCachedBytes(), stats::toString);
        assertEquals(stats.slabBytes(), stats.sharedPooledBytes(), stats::toString);
    }

    @Test
    void releaseThreadCachesReturnsTheCallingThreadsBlocksOfEveryAllocator() throws Exception {
        PooledBufferAllocator first = new PooledBufferAllocator();
        PooledBufferAllocator second = new PooledBufferAllocator();
        onPlatformThread(() -> {
            for (PooledBufferAllocator alloc : List.of(first, second)) {
                alloc.allocate(256).release();
                alloc.allocate(5_000).release();
            }
            assertTrue(first.statistics().threadCachedBytes() > 0);
            assertTrue(second.statistics().threadCachedBytes() > 0);
            PooledBufferAllocator.releaseThreadCaches();
            for (PooledBufferAllocator alloc : List.of(first, second)) {
                PoolStatistics stats = alloc.statistics();
                assertEquals(0, stats.threadCachedBytes(), stats::toString);
                assertEquals(2, stats.slabCount());
                assertEquals(stats.slabBytes(), stats.sharedPooledBytes());
            }
            // The thread may go on: it builds a new cache.
            first.allocate(256).release();
            assertTrue(first.statistics().threadCachedBytes() > 0);
            PooledBufferAllocator.releaseThreadCaches();
        });
        assertEquals(0, first.statistics().threadCachedBytes());
        assertEquals(2, first.trim());
        assertEquals(2, second.trim());
    }

    @Test
    void theCachesOfADeadThreadComeBackOnceItIsCollected() throws Exception {
        PooledBufferAllocator alloc = new PooledBufferAllocator();
        onPlatformThread(() -> {   // ends without releaseThreadCaches()
            alloc.allocate(512).release();
            assertTrue(alloc.statistics().threadCachedBytes() > 0);
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (alloc.statistics().threadCachedBytes() > 0 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        PoolStatistics stats = alloc.statistics();
        assertEquals(0, stats.threadCachedBytes(), stats::toString);
        assertEquals(stats.slabBytes(), stats.sharedPooledBytes(), stats::toString);
    }

    /** Runs {@code task} on a new platform thread, waits for it to end, and rethrows what it threw. */
    private static void onPlatformThread(Runnable task) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                task.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        }).join();
        try {
            done.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
