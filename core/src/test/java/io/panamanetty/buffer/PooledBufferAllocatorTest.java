package io.panamanetty.buffer;

import io.panamanetty.testing.LeakCheck;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pooled allocator on one thread: classes, isolation, growth, large buffers, the cap, trimming. */
@ExtendWith(LeakCheck.class)
class PooledBufferAllocatorTest {
    private static final int MIB = 1 << 20;

    private final PooledBufferAllocator alloc = new PooledBufferAllocator();

    @AfterEach
    void balanced() {
        PoolStatistics stats = alloc.statistics();
        assertEquals(0, stats.buffersInUse(), stats::toString);
        assertEquals(0, stats.bytesInUse(), stats::toString);
        assertEquals(stats.slabBytes(), stats.cachedBytes(), stats::toString);
        PooledBufferAllocator.releaseThreadCaches();
    }

    @Test
    void sizeClassesArePowersOfTwoFrom64BytesTo64KiB() {
        assertEquals(0, PoolArena.classOf(0));
        assertEquals(0, PoolArena.classOf(64));
        assertEquals(1, PoolArena.classOf(65));
        assertEquals(1, PoolArena.classOf(128));
        assertEquals(2, PoolArena.classOf(129));
        assertEquals(PoolArena.CLASS_COUNT - 1, PoolArena.classOf(64 << 10));
        assertEquals(64 << 10, PoolArena.classSize(PoolArena.CLASS_COUNT - 1));
        for (int capacity : new int[] {0, 1, 63, 64, 65, 1000, 1024, 4097, 65535, 65536}) {
            Buffer buf = alloc.allocate(capacity);
            PoolStatistics stats = alloc.statistics();
            int classSize = capacity <= 64 ? 64 : Integer.highestOneBit(capacity - 1) << 1;
            assertEquals(classSize, stats.bytesInUse(), "capacity " + capacity);
            assertEquals(capacity, buf.capacity());
            assertEquals(0, stats.unpooledBytesInUse());
            buf.release();
        }
    }

    @Test
    void capacitiesAreValidatedLikeTheUnpooledAllocator() {
        assertThrows(IllegalArgumentException.class, () -> alloc.allocate(-1));
        assertThrows(IllegalArgumentException.class, () -> alloc.allocate(8, 4));
        assertThrows(IllegalArgumentException.class, () -> alloc.allocate(0, Integer.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> new PooledBufferAllocator(-1));
    }

    @Test
    void liveBuffersNeverShareBytesAndReusedBlocksAreReusedSafely() {
        SplittableRandom random = new SplittableRandom(1);
        List<Buffer> live = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        for (int round = 0; round < 2_000; round++) {
            if (!live.isEmpty() && random.nextInt(3) == 0) {
                int i = random.nextInt(live.size());
                Buffer buf = live.remove(i);
                assertArrayEquals(contents.remove(i), buf.toByteArray());
                buf.release();
            } else {
                byte[] bytes = new byte[random.nextInt(1, 5_000)];
                random.nextBytes(bytes);
                live.add(alloc.copyOf(bytes));
                contents.add(bytes);
            }
        }
        for (int i = 0; i < live.size(); i++) {
            assertArrayEquals(contents.get(i), live.get(i).toByteArray());
            live.get(i).release();
        }
    }

    @Test
    void aReleasedBlockIsTheNextOneHandedOutOnThisThread() {
        Buffer first = alloc.allocate(100);
        long address = first.memoryAddress();
        first.release();
        Buffer second = alloc.allocate(128);
        assertEquals(address, second.memoryAddress());
        Buffer other = alloc.allocate(100);
        assertNotEquals(address, other.memoryAddress());
        second.release();
        other.release();
    }

    @Test
    void growthWithinAClassKeepsTheBlockAndAcrossClassesCopies() {
        Buffer buf = alloc.allocate(10);
        buf.writeBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        long address = buf.memoryAddress();
        buf.ensureWritable(54);   // 64: still the 64-byte class
        assertEquals(64, buf.capacity());
        assertEquals(address, buf.memoryAddress());
        assertEquals(64, alloc.statistics().bytesInUse());

        for (int i = 0; i < 5_000; i++) {
            buf.writeByte(i);
        }
        assertEquals(8192, buf.capacity());
        assertEquals(8192, alloc.statistics().bytesInUse());
        assertNotEquals(address, buf.memoryAddress());
        assertEquals(10, buf.getByte(9));
        assertEquals((byte) 4_999, buf.getByte(10 + 4_999));

        buf.ensureWritable(200_000);   // past the largest class: straight from malloc
        assertEquals(buf.writerIndex() + 200_000, buf.capacity());
        PoolStatistics stats = alloc.statistics();
        assertEquals(buf.capacity(), stats.bytesInUse());
        assertEquals(buf.capacity(), stats.unpooledBytesInUse());
        assertEquals(10, buf.getByte(9));
        assertEquals((byte) 4_999, buf.getByte(10 + 4_999));
        buf.release();
    }

    @Test
    void viewsFollowTheirRootAcrossClasses() {
        Buffer root = alloc.allocate(8).writeLong(0x0102030405060708L);
        Buffer view = root.retainedSlice(0, 8);
        root.writeBytes(new byte[300]);
        assertEquals(0x0102030405060708L, view.getLong(0));
        root.release();
        assertEquals(1, alloc.statistics().buffersInUse());
        view.release();
    }

    @Test
    void largeBuffersComeStraightFromMallocAndAreCounted() {
        long globalBuffers = BufferStatistics.outstandingBuffers();
        Buffer big = alloc.allocate(3 * MIB);
        big.setByte(3 * MIB - 1, 7);
        PoolStatistics stats = alloc.statistics();
        assertEquals(1, stats.buffersInUse());
        assertEquals(3 * MIB, stats.bytesInUse());
        assertEquals(3 * MIB, stats.unpooledBytesInUse());
        assertEquals(0, stats.slabCount());
        assertEquals(globalBuffers + 1, BufferStatistics.outstandingBuffers());
        big.release();
        assertEquals(globalBuffers, BufferStatistics.outstandingBuffers());
    }

    @Test
    void theCapLimitsSlabsAndTheRestComesFromMalloc() {
        PooledBufferAllocator capped = new PooledBufferAllocator(MIB);
        List<Buffer> buffers = new ArrayList<>();
        for (int i = 0; i < 300; i++) {   // a slab holds 256 blocks of 4 KiB
            buffers.add(capped.allocate(4096).writeInt(i));
        }
        PoolStatistics stats = capped.statistics();
        assertEquals(1, stats.slabCount());
        assertEquals(MIB, stats.slabBytes());
        assertEquals(300, stats.buffersInUse());
        assertEquals(300L * 4096, stats.bytesInUse());
        assertEquals(44L * 4096, stats.unpooledBytesInUse());
        for (int i = 0; i < buffers.size(); i++) {
            assertEquals(i, buffers.get(i).readInt());
            buffers.get(i).release();
        }
        stats = capped.statistics();
        assertEquals(0, stats.bytesInUse());
        assertEquals(MIB, stats.cachedBytes());
        assertEquals(1, stats.slabCount());
        assertThrows(IllegalArgumentException.class, () -> new PooledBufferAllocator(-1));
    }

    @Test
    void aZeroCapPoolsNothing() {
        PooledBufferAllocator none = new PooledBufferAllocator(0);
        Buffer buf = none.allocate(100).writeInt(5);
        buf.ensureWritable(1000);
        assertEquals(5, buf.readInt());
        PoolStatistics stats = none.statistics();
        assertEquals(new PoolStatistics(1, 1024, 1024, 0, 0, 0, 0), stats);
        buf.release();
        assertEquals(new PoolStatistics(0, 0, 0, 0, 0, 0, 0), none.statistics());
    }

    @Test
    void trimFreesTheSlabsWhoseBlocksAreAllBack() {
        List<Buffer> buffers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {   // 16 blocks of 64 KiB per slab: two slabs
            buffers.add(alloc.allocate(64 << 10));
        }
        assertEquals(2, alloc.statistics().slabCount());
        assertEquals(0, alloc.trim(), "all slabs in use");
        buffers.forEach(Buffer::release);
        PooledBufferAllocator.releaseThreadCaches();
        PoolStatistics stats = alloc.statistics();
        assertEquals(0, stats.threadCachedBytes());
        assertEquals(2 * MIB, stats.sharedPooledBytes());
        assertEquals(2, alloc.trim());
        assertEquals(new PoolStatistics(0, 0, 0, 0, 0, 0, 0), alloc.statistics());
        Buffer again = alloc.allocate(64 << 10);
        assertEquals(1, alloc.statistics().slabCount());
        again.release();
    }

    @Test
    void statisticsAndToStringDescribeThePool() {
        Buffer buf = alloc.allocate(1000);
        PoolStatistics stats = alloc.statistics();
        assertEquals(1, stats.buffersInUse());
        assertEquals(1024, stats.bytesInUse());
        assertEquals(1, stats.slabCount());
        assertEquals(MIB, stats.slabBytes());
        assertEquals(MIB - 1024, stats.cachedBytes());
        assertTrue(stats.threadCachedBytes() > 0, stats::toString);
        assertTrue(alloc.toString().startsWith("PooledBufferAllocator(maxPooledBytes: 268435456, "
                + "PoolStatistics[buffersInUse=1, bytesInUse=1024,"), alloc::toString);
        assertEquals(PooledBufferAllocator.DEFAULT_MAX_POOLED_BYTES, alloc.maxPooledBytes());
        buf.release();
    }

    @Test
    void theDefaultAllocatorIsChosenByAProperty() {
        assertSame(PooledBufferAllocator.DEFAULT, DefaultAllocator.choose("pooled"));
        assertSame(PooledBufferAllocator.DEFAULT, DefaultAllocator.choose(" Pooled "));
        assertSame(UnpooledBufferAllocator.DEFAULT, DefaultAllocator.choose("unpooled"));
        assertSame(PooledBufferAllocator.DEFAULT, DefaultAllocator.choose("bogus"));   // warns, keeps the default
        assertSame(DefaultAllocator.INSTANCE, BufferAllocator.defaultAllocator());
    }
}
