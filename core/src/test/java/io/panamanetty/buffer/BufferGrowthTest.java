package io.panamanetty.buffer;

import io.panamanetty.testing.LeakCheck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(LeakCheck.class)
class BufferGrowthTest {

    @Test
    void growthPreservesContentAndIndicesAndFreesTheOldMemory(UnpooledBufferAllocator alloc) {
        long globalBytes = BufferStatistics.outstandingBytes();
        Buffer buf = alloc.allocate(100);
        try {
            for (int i = 0; i < 100; i++) {
                buf.writeByte(i);
            }
            buf.skipBytes(10);
            buf.writeByte(100);
            assertEquals(200, buf.capacity(), "at least doubles");
            assertEquals(10, buf.readerIndex());
            assertEquals(101, buf.writerIndex());
            for (int i = 10; i <= 100; i++) {
                assertEquals(i, buf.readUnsignedByte());
            }
            assertEquals(1, alloc.outstandingBuffers(), "growth neither adds nor loses a buffer");
            assertEquals(200, alloc.outstandingBytes(), "the old block was freed");
            assertEquals(globalBytes + 200, BufferStatistics.outstandingBytes());
        } finally {
            buf.release();
        }
    }

    @Test
    void growthTakesWhatIsNeededWhenThatIsMoreThanDouble(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(4);
        try {
            assertSame(buf, buf.ensureWritable(2));
            assertEquals(4, buf.capacity(), "no growth while it fits");
            buf.writeByte(1);
            buf.ensureWritable(1000);
            assertEquals(1001, buf.capacity());
            assertEquals(1, buf.getByte(0));
            buf.ensureWritable(1001);
            assertEquals(2002, buf.capacity());
        } finally {
            buf.release();
        }
    }

    @Test
    void smallBuffersGrowToAtLeast64Bytes(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(0);
        try {
            buf.writeByte(1);
            assertEquals(64, buf.capacity());
        } finally {
            buf.release();
        }
    }

    @Test
    void growthStopsAtMaxCapacity(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(8, 12);
        try {
            buf.writeLong(1);
            buf.writeInt(2);
            assertEquals(12, buf.capacity(), "doubling is capped by maxCapacity");
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> buf.writeByte(3));
            assertEquals("writerIndex(12) + minWritableBytes(1) exceeds maxCapacity(12): "
                    + "Buffer(ridx: 0, widx: 12, cap: 12, refCnt: 1)", e.getMessage());
            assertEquals(12, buf.writerIndex());
            assertThrows(IllegalArgumentException.class, () -> buf.ensureWritable(-1));
        } finally {
            buf.release();
        }
    }

    @Test
    void aSliceCannotGrow(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(16);
        try {
            Buffer slice = buf.slice(0, 4).clear();
            slice.writeInt(7);
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> slice.writeByte(0));
            assertTrue(e.getMessage().startsWith("a slice or duplicate cannot grow: writerIndex(4) + "
                    + "minWritableBytes(1) exceeds capacity(4)"), e.getMessage());
            Buffer duplicate = buf.duplicate();
            assertThrows(IndexOutOfBoundsException.class, () -> duplicate.ensureWritable(17));
            assertEquals(16, buf.capacity());
        } finally {
            buf.release();
        }
    }

    @Test
    void viewsFollowTheirRootWhenItGrows(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.copyOf("abcdefgh", StandardCharsets.US_ASCII);
        try {
            Buffer slice = buf.slice(2, 3);
            long before = buf.memoryAddress();
            buf.writeCharSequence("ijklmnopqrstuvwxyz", StandardCharsets.US_ASCII);
            assertNotEquals(before, buf.memoryAddress(), "grew into a new block");
            assertEquals("cde", slice.toString(StandardCharsets.US_ASCII));
            assertEquals(buf.memoryAddress() + 2, slice.memoryAddress());
            slice.setByte(0, 'C');
            assertEquals('C', buf.getByte(2));
        } finally {
            buf.release();
        }
    }

    @Test
    void writingItsOwnBytesWhileGrowingCopiesThemFirst(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.copyOf(new byte[] {1, 2, 3, 4});
        try {
            buf.writeBytes(buf.readableSegment());
            buf.writeBytes(buf.nioBuffer());
            assertArrayEquals(new byte[] {1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4}, buf.toByteArray());
            buf.writeBytes(buf.duplicate());
            assertEquals(32, buf.readableBytes());
            assertEquals(1, alloc.outstandingBuffers());
        } finally {
            buf.release();
        }
    }
}
