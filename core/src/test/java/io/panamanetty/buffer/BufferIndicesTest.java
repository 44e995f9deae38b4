package io.panamanetty.buffer;

import io.panamanetty.testing.LeakCheck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(LeakCheck.class)
class BufferIndicesTest {

    @Test
    void newBufferIsEmptyWithTheRequestedCapacity(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(16);
        try {
            assertEquals(16, buf.capacity());
            assertEquals(BufferAllocator.MAX_CAPACITY, buf.maxCapacity());
            assertEquals(0, buf.readerIndex());
            assertEquals(0, buf.writerIndex());
            assertEquals(0, buf.readableBytes());
            assertEquals(16, buf.writableBytes());
            assertFalse(buf.isReadable());
            assertTrue(buf.isWritable());
            assertEquals(1, buf.refCnt());
            assertEquals(1, alloc.outstandingBuffers());
            assertEquals(16, alloc.outstandingBytes());
        } finally {
            assertTrue(buf.release());
        }
        assertEquals(0, alloc.outstandingBuffers());
    }

    @Test
    void indicesTrackReadsAndWrites(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(8);
        try {
            buf.writeInt(7).writeShort(3);
            assertEquals(6, buf.writerIndex());
            assertEquals(6, buf.readableBytes());
            assertEquals(2, buf.writableBytes());
            assertEquals(7, buf.readInt());
            assertEquals(4, buf.readerIndex());
            assertEquals(2, buf.readableBytes());
            assertSame(buf, buf.skipBytes(2));
            assertFalse(buf.isReadable());
            buf.writeShort(1);
            assertFalse(buf.isWritable());
            assertSame(buf, buf.clear());
            assertEquals(0, buf.readerIndex());
            assertEquals(0, buf.writerIndex());
            assertEquals(8, buf.writableBytes());
        } finally {
            buf.release();
        }
    }

    @Test
    void settingIndicesIsRangeChecked(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(8);
        try {
            buf.writerIndex(5).readerIndex(2);
            assertEquals(2, buf.readerIndex());
            assertEquals(5, buf.writerIndex());

            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> buf.readerIndex(6));
            assertEquals("readerIndex: 6 (expected: 0 <= readerIndex <= writerIndex(5))", e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> buf.readerIndex(-1));
            e = assertThrows(IndexOutOfBoundsException.class, () -> buf.writerIndex(9));
            assertEquals("writerIndex: 9 (expected: readerIndex(2) <= writerIndex <= capacity(8))", e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> buf.writerIndex(1));
            assertEquals(2, buf.readerIndex());
            assertEquals(5, buf.writerIndex());
        } finally {
            buf.release();
        }
    }

    @Test
    void readingPastTheWriterIndexFailsWithoutMovingIt(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(8);
        try {
            buf.writeShort(0x0102).writeByte(3);
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, buf::readInt);
            assertEquals("readerIndex(0) + length(4) exceeds writerIndex(3): "
                    + "Buffer(ridx: 0, widx: 3, cap: 8, refCnt: 1)", e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, buf::readLong);
            assertThrows(IndexOutOfBoundsException.class, () -> buf.skipBytes(4));
            assertThrows(IndexOutOfBoundsException.class, () -> buf.readBytes(new byte[4]));
            assertThrows(IllegalArgumentException.class, () -> buf.skipBytes(-1));
            assertEquals(0, buf.readerIndex());
            assertEquals(0x0102, buf.readShort());
            assertEquals(3, buf.readByte());
            assertThrows(IndexOutOfBoundsException.class, buf::readByte);
        } finally {
            buf.release();
        }
    }

    @Test
    void absoluteAccessIsCheckedAgainstTheCapacity(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(8);
        try {
            buf.setLong(0, 1L);
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> buf.getInt(6));
            assertEquals("index: 6, length: 4 (expected: range(0, 8))", e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> buf.getByte(-1));
            assertThrows(IndexOutOfBoundsException.class, () -> buf.getByte(8));
            assertThrows(IndexOutOfBoundsException.class, () -> buf.setLong(1, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> buf.setShort(7, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> buf.getBytes(4, new byte[8], 0, 5));
            assertThrows(IndexOutOfBoundsException.class, () -> buf.getBytes(0, new byte[2], 1, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> buf.setBytes(0, new byte[2], 0, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> buf.slice(4, 5));
            assertThrows(IndexOutOfBoundsException.class, () -> buf.indexOf(0, 9, (byte) 0));
            assertEquals(1L, buf.getLong(0));
            assertEquals(0, buf.writerIndex(), "absolute access does not move the indices");
        } finally {
            buf.release();
        }
    }

    @Test
    void zeroCapacityBufferWorks(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(0);
        try {
            assertEquals(0, buf.capacity());
            assertFalse(buf.isWritable());
            assertEquals(0, buf.toByteArray().length);
            assertEquals(0, buf.nioBuffer().remaining());
            buf.writeByte(1);
            assertEquals(1, buf.readByte());
        } finally {
            buf.release();
        }
    }
}
