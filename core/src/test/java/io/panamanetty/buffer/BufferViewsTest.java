package io.panamanetty.buffer;

import io.panamanetty.testing.LeakCheck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(LeakCheck.class)
class BufferViewsTest {

    @Test
    void sliceCoversTheReadableBytesAndSharesMemory(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.copyOf("hello world", StandardCharsets.US_ASCII);
        try {
            buf.skipBytes(6);
            Buffer slice = buf.slice();
            assertEquals(0, slice.readerIndex());
            assertEquals(5, slice.writerIndex());
            assertEquals(5, slice.capacity());
            assertEquals(5, slice.maxCapacity());
            assertEquals("world", slice.toString(StandardCharsets.US_ASCII));
            assertEquals(buf.memoryAddress() + 6, slice.memoryAddress());

            slice.setByte(0, 'W');
            assertEquals('W', buf.getByte(6));
            buf.setByte(10, 'D');
            assertEquals('D', slice.getByte(4));
            slice.readByte();
            assertEquals(6, buf.readerIndex(), "a view has its own indices");
            assertEquals(1, buf.refCnt(), "slice() takes no reference");
        } finally {
            buf.release();
        }
    }

    @Test
    void sliceOfASliceIsOffsetFromTheRoot(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.copyOf("0123456789", StandardCharsets.US_ASCII);
        try {
            Buffer inner = buf.slice(2, 6).slice(1, 3);
            assertEquals("345", inner.toString(StandardCharsets.US_ASCII));
            assertThrows(IndexOutOfBoundsException.class, () -> inner.getByte(3));
            assertTrue(inner.sharesReferenceCount(buf));
        } finally {
            buf.release();
        }
    }

    @Test
    void duplicateCopiesIndicesAndSharesMemory(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(8);
        try {
            buf.writeInt(0x01020304).skipBytes(1);
            Buffer dup = buf.duplicate();
            assertEquals(1, dup.readerIndex());
            assertEquals(4, dup.writerIndex());
            assertEquals(8, dup.capacity());
            dup.writeInt(0x05060708);
            assertEquals(4, buf.writerIndex(), "indices are independent");
            assertEquals(0x05060708, buf.getInt(4), "memory is shared");
            assertTrue(dup.sharesReferenceCount(buf));
            assertEquals(1, buf.refCnt());
        } finally {
            buf.release();
        }
    }

    @Test
    void viewsShareTheReferenceCountOfTheirRoot(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(8);
        Buffer other = alloc.allocate(8);
        Buffer slice = buf.slice(0, 4);
        Buffer dup = buf.duplicate();
        slice.retain();
        assertEquals(2, buf.refCnt());
        assertEquals(2, dup.refCnt());
        assertFalse(dup.release());
        assertEquals(1, slice.refCnt());
        assertTrue(slice.sharesReferenceCount(dup));
        assertFalse(slice.sharesReferenceCount(other));
        assertFalse(buf.sharesReferenceCount(null));
        assertTrue(slice.release(), "releasing through any view frees the root");
        assertEquals(0, buf.refCnt());
        assertThrows(IllegalReferenceCountException.class, () -> buf.getByte(0));
        assertThrows(IllegalReferenceCountException.class, () -> dup.getByte(0));
        other.release();
    }

    @Test
    void retainedViewsTakeAReferenceEach(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.copyOf(new byte[] {1, 2, 3, 4, 5, 6});
        Buffer a = buf.retainedSlice();
        Buffer b = buf.retainedSlice(2, 2);
        Buffer c = buf.retainedDuplicate();
        assertEquals(4, buf.refCnt());
        assertEquals(6, a.readableBytes());
        assertEquals(0x0304, b.readShort());
        assertEquals(6, c.readableBytes());

        assertFalse(buf.release());
        assertFalse(a.release());
        assertFalse(b.release());
        assertEquals(1, alloc.outstandingBuffers(), "the last view keeps the memory alive");
        assertEquals(0x0102, c.getShort(0));
        assertTrue(c.release());
        assertEquals(0, alloc.outstandingBuffers());
    }

    @Test
    void failedRetainedSliceTakesNoReference(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(4);
        try {
            assertThrows(IndexOutOfBoundsException.class, () -> buf.retainedSlice(2, 3));
            assertEquals(1, buf.refCnt());
            assertThrows(IndexOutOfBoundsException.class, () -> buf.readBytes(1));
            assertEquals(1, buf.refCnt());
        } finally {
            buf.release();
        }
    }

    @Test
    void readBytesReturnsARetainedSliceAndAdvances(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.copyOf("GET /\r\n", StandardCharsets.US_ASCII);
        Buffer method = buf.readBytes(3);
        assertEquals(3, buf.readerIndex());
        assertEquals("GET", method.toString(StandardCharsets.US_ASCII));
        assertEquals(2, buf.refCnt());
        assertTrue(method.sharesReferenceCount(buf));
        assertFalse(buf.release());
        assertEquals("GET", method.toString(StandardCharsets.US_ASCII), "the slice outlives the root's reference");
        assertTrue(method.release());
    }
}
