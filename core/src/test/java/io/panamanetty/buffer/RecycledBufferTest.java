package io.panamanetty.buffer;

import io.panamanetty.testing.LeakCheck;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pooled allocator's reuse of freed root buffer objects: a reused buffer is as good as
 * a new one, views of the previous incarnation are refused, and kept objects hold nothing
 * of their allocator.
 */
@ExtendWith(LeakCheck.class)
class RecycledBufferTest {
    private final PooledBufferAllocator alloc = new PooledBufferAllocator();

    @AfterEach
    void balanced() {
        PoolStatistics stats = alloc.statistics();
        assertEquals(0, stats.buffersInUse(), stats::toString);
        PooledBufferAllocator.releaseThreadCaches();
    }

    @Test
    void aReleasedRootComesBackAsAFreshBuffer() {
        Buffer first = alloc.allocate(100, 1000);
        first.writeCharSequence("first incarnation", StandardCharsets.US_ASCII);
        first.readByte();
        first.ensureWritable(500);   // grown past its class: a new block
        first.retain();
        first.release();
        assertTrue(first.release());

        Buffer second = alloc.allocate(40, 80);
        assertSame(first, second, "the freed root object is reused");
        assertEquals(1, second.refCnt());
        assertEquals(0, second.readerIndex());
        assertEquals(0, second.writerIndex());
        assertEquals(40, second.capacity());
        assertEquals(80, second.maxCapacity());
        assertNull(second.hint());
        second.writeCharSequence("second", StandardCharsets.US_ASCII);
        assertEquals("second", second.toString(StandardCharsets.US_ASCII));
        second.ensureWritable(70);   // grows, capped by the new max capacity
        assertEquals(80, second.capacity());
        assertThrows(IndexOutOfBoundsException.class, () -> second.ensureWritable(100));
        assertTrue(second.release());
    }

    @Test
    void viewsOfAnEarlierIncarnationAreRefused() {
        Buffer root = alloc.allocate(64);
        root.writeLong(42);
        Buffer slice = root.slice();
        Buffer duplicate = root.duplicate();
        Buffer retained = root.retainedSlice();
        retained.release();
        root.release();

        Buffer reused = alloc.allocate(64);
        assertSame(root, reused);
        reused.writeLong(7);
        for (Buffer stale : new Buffer[] {slice, duplicate, retained}) {
            assertEquals(0, stale.refCnt());
            assertThrows(IllegalReferenceCountException.class, stale::readLong);
            assertThrows(IllegalReferenceCountException.class, () -> stale.getByte(0));
            assertThrows(IllegalReferenceCountException.class, () -> stale.writeByte(1));
            assertThrows(IllegalReferenceCountException.class, stale::slice);
            assertThrows(IllegalReferenceCountException.class, stale::retain);
            assertThrows(IllegalReferenceCountException.class, stale::release);
            assertThrows(IllegalReferenceCountException.class, stale::memoryAddress);
        }
        assertEquals(1, reused.refCnt(), "stale views changed nothing");
        assertEquals(7, reused.getLong(0));
        Buffer fresh = reused.slice();
        assertEquals(7, fresh.getLong(0), "views of the new incarnation work");
        assertTrue(reused.release());
    }

    @Test
    void aReleasedBufferFailsUntilItsObjectIsReused() {
        Buffer buf = alloc.allocate(16);
        buf.release();
        assertEquals(0, buf.refCnt());
        assertThrows(IllegalReferenceCountException.class, buf::readByte);
        assertThrows(IllegalReferenceCountException.class, buf::release);
        assertThrows(IllegalReferenceCountException.class, buf::retain);
        alloc.allocate(16).release();
    }

    @Test
    void theUnpooledAllocatorAndVirtualThreadsDoNotRecycle() throws Exception {
        UnpooledBufferAllocator unpooled = new UnpooledBufferAllocator();
        Buffer first = unpooled.allocate(16);
        first.release();
        Buffer second = unpooled.allocate(16);
        assertNotSame(first, second);
        second.release();

        CompletableFuture<Boolean> sameOnVirtual = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            Buffer a = alloc.allocate(16);
            a.release();
            Buffer b = alloc.allocate(16);
            b.release();
            sameOnVirtual.complete(a == b);
        });
        assertEquals(false, sameOnVirtual.get(30, TimeUnit.SECONDS));
    }

    @Test
    void aBufferReleasedOnAnotherThreadIsReusedThere() throws Exception {
        Buffer buf = alloc.allocate(32);
        buf.writeInt(1);
        CompletableFuture<Buffer> reusedThere = new CompletableFuture<>();
        Thread other = Thread.ofPlatform().start(() -> {
            buf.release();
            Buffer next = alloc.allocate(32);
            reusedThere.complete(next);
            next.release();
            PooledBufferAllocator.releaseThreadCaches();
        });
        other.join(30_000);
        assertSame(buf, reusedThere.get(30, TimeUnit.SECONDS));
        Buffer here = alloc.allocate(32);
        assertNotSame(buf, here, "this thread never released it, so never kept it");
        here.release();
    }

    @Test
    void keptObjectsDoNotKeepTheirAllocatorAlive() throws Exception {
        PooledBufferAllocator shortLived = new PooledBufferAllocator();
        WeakReference<PooledBufferAllocator> ref = new WeakReference<>(shortLived);
        for (int i = 0; i < 10; i++) {
            shortLived.allocate(128).release();   // kept in this thread's cache
        }
        shortLived = null;
        for (int i = 0; i < 100 && !ref.refersTo(null); i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(ref.refersTo(null), "the allocator became unreachable although its buffers are kept");
    }

    /**
     * A 64-byte and a 32-byte buffer (one pool class) allocated together and freed in turn
     * trade blocks every round; the segment kept from a block's last incarnation still serves
     * it, so the rounds make no new segments, and the smaller buffer's bounds stay its own.
     */
    @Test
    void buffersOfOneClassThatTradeBlocksKeepTheirSegments() {
        java.util.Map<Long, java.lang.foreign.MemorySegment> seen = new java.util.HashMap<>();
        int reused = 0;
        for (int round = 0; round < 8; round++) {
            Buffer large = alloc.allocate(64);
            Buffer small = alloc.allocate(32);
            large.writeLong(round);
            small.writeLong(round);
            for (Buffer buffer : new Buffer[] {large, small}) {
                java.lang.foreign.MemorySegment segment = buffer.memory.segment();
                if (round >= 2 && seen.get(segment.address()) == segment) {
                    reused++;
                }
                seen.put(segment.address(), segment);
            }
            assertEquals(32, small.segment().byteSize(), "a view is cut to the buffer's capacity");
            assertThrows(IndexOutOfBoundsException.class, () -> small.getByte(32));
            large.release();
            small.release();
        }
        assertEquals(12, reused, "segments made again: " + seen);
    }
}
