package io.panamanetty.buffer;

import io.panamanetty.testing.LeakCheck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(LeakCheck.class)
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ConcurrentReleaseTest {
    private static final int THREADS = 8;

    @Test
    void aBufferAllocatedOnOneThreadIsFreedOnAnother(UnpooledBufferAllocator alloc) throws Exception {
        Buffer buf = alloc.allocate(32).writeInt(42);
        CompletableFuture<Boolean> released = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().start(() -> {
            try {
                released.complete(buf.readInt() == 42 && buf.release());
            } catch (Throwable t) {
                released.completeExceptionally(t);
            }
        });
        thread.join();
        assertTrue(released.get());
        assertEquals(0, buf.refCnt());
        assertEquals(0, alloc.outstandingBuffers());
    }

    @Test
    void concurrentRetainsAndReleasesBalanceOut(UnpooledBufferAllocator alloc) throws Exception {
        Buffer buf = alloc.allocate(16);
        int iterations = 20_000;
        AtomicInteger freed = new AtomicInteger();
        runConcurrently(THREADS, i -> {
            for (int n = 0; n < iterations; n++) {
                buf.retain();
                if (n % 3 == 0) {
                    buf.retain(2);
                    if (buf.release(2)) {
                        freed.incrementAndGet();
                    }
                }
                if (buf.release()) {
                    freed.incrementAndGet();
                }
            }
        });
        assertEquals(0, freed.get(), "the main thread's reference kept it alive throughout");
        assertEquals(1, buf.refCnt());
        assertEquals(1, alloc.outstandingBuffers());
        assertTrue(buf.release());
        assertEquals(0, alloc.outstandingBuffers());
    }

    @Test
    void manyThreadsDropTheLastReferencesAndExactlyOneFrees(UnpooledBufferAllocator alloc) throws Exception {
        int rounds = 100;
        AtomicInteger freed = new AtomicInteger();
        for (int round = 0; round < rounds; round++) {
            Buffer buf = alloc.allocate(64);
            List<Buffer> views = new ArrayList<>();
            for (int i = 0; i < THREADS - 1; i++) {
                views.add(buf.retainedSlice(i, 1));
            }
            views.add(buf);
            runConcurrently(THREADS, i -> {
                if (views.get(i).release()) {
                    freed.incrementAndGet();
                }
            });
            assertEquals(round + 1, freed.get(), "round " + round + " freed exactly once");
            assertEquals(0, buf.refCnt());
            assertThrows(IllegalReferenceCountException.class, buf::release);
        }
        assertEquals(0, alloc.outstandingBuffers());
        assertEquals(0, alloc.outstandingBytes());
    }

    @Test
    void racingReleasesNeverOverRelease(UnpooledBufferAllocator alloc) throws Exception {
        Buffer buf = alloc.allocate(8).retain(THREADS - 1);
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger freed = new AtomicInteger();
        // Every thread releases twice: THREADS releases succeed, THREADS are refused.
        runConcurrently(THREADS, i -> {
            for (int n = 0; n < 2; n++) {
                try {
                    if (buf.release()) {
                        freed.incrementAndGet();
                    }
                } catch (IllegalReferenceCountException e) {
                    refused.incrementAndGet();
                }
            }
        });
        assertEquals(1, freed.get());
        assertEquals(THREADS, refused.get());
        assertEquals(0, buf.refCnt());
        assertEquals(0, alloc.outstandingBuffers());
    }

    private interface Task {
        void run(int thread) throws Exception;
    }

    /** Runs {@code task} on {@code count} threads released together, and rethrows the first failure. */
    private static void runConcurrently(int count, Task task) throws Exception {
        CyclicBarrier start = new CyclicBarrier(count);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            CompletableFuture<Void> result = new CompletableFuture<>();
            done.add(result);
            threads.add(Thread.ofPlatform().name("buffer-test-" + i).start(() -> {
                try {
                    start.await();
                    task.run(index);
                    result.complete(null);
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        for (CompletableFuture<Void> result : done) {
            result.get();
        }
    }
}
