package io.panamanetty.buffer;

import io.panamanetty.testing.LeakCheck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(LeakCheck.class)
class BufferAllocatorTest {

    @Test
    void defaultAllocatorIsTheSharedPooledOne() {
        assertSame(PooledBufferAllocator.DEFAULT, BufferAllocator.defaultAllocator());
        long before = BufferStatistics.outstandingBuffers();
        Buffer buf = BufferAllocator.defaultAllocator().allocate(10);
        assertEquals(before + 1, BufferStatistics.outstandingBuffers());
        buf.release();
        assertEquals(before, BufferStatistics.outstandingBuffers());
    }


    @Test
    void capacitiesAreValidated(UnpooledBufferAllocator alloc) {
        assertThrows(IllegalArgumentException.class, () -> alloc.allocate(-1));
        assertThrows(IllegalArgumentException.class, () -> alloc.allocate(8, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> alloc.allocate(0, Integer.MAX_VALUE));
        assertEquals("initialCapacity: 0, maxCapacity: 2147483647 (expected: 0 <= initialCapacity <= maxCapacity <= "
                + BufferAllocator.MAX_CAPACITY + ")", e.getMessage());
        Buffer buf = alloc.allocate(4, 4);
        assertEquals(4, buf.maxCapacity());
        buf.release();
    }

    @Test
    void outstandingCountsFollowAllocationGrowthAndRelease(UnpooledBufferAllocator alloc) {
        long globalBuffers = BufferStatistics.outstandingBuffers();
        long globalBytes = BufferStatistics.outstandingBytes();
        Buffer a = alloc.allocate(10);
        Buffer b = alloc.allocate(20);
        assertEquals(2, alloc.outstandingBuffers());
        assertEquals(30, alloc.outstandingBytes());
        assertEquals(globalBuffers + 2, BufferStatistics.outstandingBuffers());
        assertEquals(globalBytes + 30, BufferStatistics.outstandingBytes());
        assertEquals("UnpooledBufferAllocator(buffers: 2, bytes: 30)", alloc.toString());

        a.ensureWritable(11);
        assertEquals(2, alloc.outstandingBuffers());
        assertEquals(64 + 20, alloc.outstandingBytes());
        assertEquals(globalBytes + 84, BufferStatistics.outstandingBytes());

        a.release();
        assertEquals(1, alloc.outstandingBuffers());
        assertEquals(20, alloc.outstandingBytes());
        b.release();
        assertEquals(globalBuffers, BufferStatistics.outstandingBuffers());
        assertEquals(globalBytes, BufferStatistics.outstandingBytes());
    }

    @Test
    void copyOfBytes(UnpooledBufferAllocator alloc) {
        byte[] source = {1, 2, 3};
        Buffer buf = alloc.copyOf(source);
        try {
            source[0] = 9;
            assertArrayEquals(new byte[] {1, 2, 3}, buf.toByteArray());
            assertEquals(3, buf.capacity());
            assertEquals(0, buf.readerIndex());
        } finally {
            buf.release();
        }
        Buffer empty = alloc.copyOf(new byte[0]);
        assertEquals(0, empty.readableBytes());
        empty.release();
    }

    @Test
    void copyOfByteBufferLeavesItsPositionAlone(UnpooledBufferAllocator alloc) {
        ByteBuffer source = ByteBuffer.wrap(new byte[] {1, 2, 3, 4}).position(1);
        Buffer heap = alloc.copyOf(source);
        ByteBuffer direct = ByteBuffer.allocateDirect(3).put(new byte[] {5, 6, 7}).flip();
        Buffer fromDirect = alloc.copyOf(direct);
        try {
            assertArrayEquals(new byte[] {2, 3, 4}, heap.toByteArray());
            assertEquals(1, source.position());
            assertArrayEquals(new byte[] {5, 6, 7}, fromDirect.toByteArray());
            assertEquals(0, direct.position());
        } finally {
            heap.release();
            fromDirect.release();
        }
    }

    @Test
    void copyOfSegment(UnpooledBufferAllocator alloc) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nativeSegment = arena.allocate(4);
            nativeSegment.set(ValueLayout.JAVA_INT_UNALIGNED, 0, 0);
            nativeSegment.set(ValueLayout.JAVA_BYTE, 2, (byte) 7);
            Buffer fromNative = alloc.copyOf(nativeSegment);
            Buffer fromHeap = alloc.copyOf(MemorySegment.ofArray(new byte[] {8, 9}));
            try {
                assertArrayEquals(new byte[] {0, 0, 7, 0}, fromNative.toByteArray());
                assertArrayEquals(new byte[] {8, 9}, fromHeap.toByteArray());
            } finally {
                fromNative.release();
                fromHeap.release();
            }
        }
    }

    @Test
    void copyOfCharSequence(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.copyOf(new StringBuilder("grüß"), StandardCharsets.UTF_8);
        try {
            assertEquals(6, buf.readableBytes());
            assertEquals("grüß", buf.toString(StandardCharsets.UTF_8));
        } finally {
            buf.release();
        }
    }

    @Test
    void exceptionMessagesGiveTheReferenceCount() {
        assertEquals("refCnt: 0", new IllegalReferenceCountException(0).getMessage());
        assertEquals("refCnt: 3, increment: 2", new IllegalReferenceCountException(3, 2).getMessage());
        assertEquals("refCnt: 1, decrement: " + (1L << 31),
                new IllegalReferenceCountException(1, Integer.MIN_VALUE).getMessage());
        assertTrue(new IllegalReferenceCountException("x") instanceof IllegalStateException);
    }
}
