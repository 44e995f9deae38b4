package io.panamanetty.buffer;

import io.panamanetty.testing.LeakCheck;

import io.panamanetty.bindings.Memory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(LeakCheck.class)
class BufferAccessorsTest {

    @Test
    void relativeValuesRoundTrip(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(64);
        try {
            buf.writeByte(-2).writeByte(0x1FF).writeShort(-12345).writeShort(0xFFFF)
                    .writeInt(Integer.MIN_VALUE).writeInt(-1).writeLong(Long.MAX_VALUE).writeLong(-42L);
            assertEquals(1 + 1 + 2 + 2 + 4 + 4 + 8 + 8, buf.readableBytes());

            assertEquals(-2, buf.readByte());
            assertEquals(0xFF, buf.readUnsignedByte(), "only the low 8 bits are written");
            assertEquals(-12345, buf.readShort());
            assertEquals(0xFFFF, buf.readUnsignedShort());
            assertEquals(Integer.MIN_VALUE, buf.readInt());
            assertEquals(0xFFFF_FFFFL, buf.readUnsignedInt());
            assertEquals(Long.MAX_VALUE, buf.readLong());
            assertEquals(-42L, buf.readLong());
            assertEquals(buf.writerIndex(), buf.readerIndex());
        } finally {
            buf.release();
        }
    }

    @Test
    void absoluteValuesRoundTripWithoutMovingIndices(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(32);
        try {
            assertSame(buf, buf.setByte(0, 0x80));
            buf.setShort(1, 0x8001).setInt(3, 0xCAFEBABE).setLong(7, 0x0102030405060708L);
            assertEquals((byte) 0x80, buf.getByte(0));
            assertEquals(0x80, buf.getUnsignedByte(0));
            assertEquals((short) 0x8001, buf.getShort(1));
            assertEquals(0x8001, buf.getUnsignedShort(1));
            assertEquals(0xCAFEBABE, buf.getInt(3));
            assertEquals(0xCAFEBABEL, buf.getUnsignedInt(3));
            assertEquals(0x0102030405060708L, buf.getLong(7));
            assertEquals(0, buf.readerIndex());
            assertEquals(0, buf.writerIndex());

            buf.setBytes(20, new byte[] {9, 8, 7, 6}, 1, 3);
            byte[] out = new byte[5];
            buf.getBytes(20, out, 2, 3);
            assertArrayEquals(new byte[] {0, 0, 8, 7, 6}, out);
        } finally {
            buf.release();
        }
    }

    @Test
    void multiByteValuesAreBigEndian(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(16);
        try {
            buf.writeShort(0x0102).writeInt(0x03040506).writeLong(0x0708090A0B0C0D0EL);
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}, buf.toByteArray());
            assertEquals(0x0102, buf.nioBuffer().getShort(0));
            assertEquals(0x0201, buf.readableSegment().get(ValueLayout.JAVA_SHORT_UNALIGNED
                    .withOrder(ByteOrder.LITTLE_ENDIAN), 0));
        } finally {
            buf.release();
        }
    }

    @Test
    void byteArraysRoundTrip(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(16);
        try {
            buf.writeBytes(new byte[] {1, 2, 3}).writeBytes(new byte[] {9, 4, 5, 9}, 1, 2);
            assertThrows(IndexOutOfBoundsException.class, () -> buf.writeBytes(new byte[2], 1, 2));
            assertEquals(5, buf.writerIndex());
            byte[] first = new byte[2];
            buf.readBytes(first);
            assertArrayEquals(new byte[] {1, 2}, first);
            byte[] rest = {0, 0, 0, 0, 0};
            buf.readBytes(rest, 1, 3);
            assertArrayEquals(new byte[] {0, 3, 4, 5, 0}, rest);
            assertThrows(IndexOutOfBoundsException.class, () -> buf.readBytes(new byte[1]));
        } finally {
            buf.release();
        }
    }

    @Test
    void writeBytesFromAByteBufferConsumesIt(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(16);
        try {
            ByteBuffer heap = ByteBuffer.wrap(new byte[] {0, 1, 2, 3, 4});
            heap.position(1).limit(4);
            buf.writeBytes(heap);
            assertEquals(4, heap.position());
            assertEquals(0, heap.remaining());

            ByteBuffer direct = ByteBuffer.allocateDirect(2).put((byte) 5).put((byte) 6).flip();
            buf.writeBytes(direct.asReadOnlyBuffer());
            assertArrayEquals(new byte[] {1, 2, 3, 5, 6}, buf.toByteArray());
        } finally {
            buf.release();
        }
    }

    @Test
    void writeBytesFromASegment(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(4);
        try {
            buf.writeBytes(MemorySegment.ofArray(new byte[] {7, 8}));
            buf.writeBytes(MemorySegment.ofArray(new byte[] {9, 10, 11}));
            assertArrayEquals(new byte[] {7, 8, 9, 10, 11}, buf.toByteArray());
        } finally {
            buf.release();
        }
    }

    @Test
    void writeBytesFromABufferConsumesItsReadableBytes(UnpooledBufferAllocator alloc) {
        Buffer dst = alloc.allocate(8);
        Buffer src = alloc.copyOf(new byte[] {1, 2, 3, 4});
        try {
            src.skipBytes(1);
            dst.writeByte(0).writeBytes(src);
            assertArrayEquals(new byte[] {0, 2, 3, 4}, dst.toByteArray());
            assertEquals(4, src.readerIndex());
            assertEquals(0, src.readableBytes());
            assertEquals(1, src.refCnt(), "the source keeps its reference");

            dst.writeBytes(dst.duplicate());
            assertArrayEquals(new byte[] {0, 2, 3, 4, 0, 2, 3, 4}, dst.toByteArray());
        } finally {
            dst.release();
            src.release();
        }
    }

    @Test
    void writeCharSequenceEncodes(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(4);
        try {
            assertEquals(2, buf.writeCharSequence("hé", StandardCharsets.ISO_8859_1));
            assertEquals(3, buf.writeCharSequence(new StringBuilder("hé"), StandardCharsets.UTF_8));
            assertArrayEquals(new byte[] {'h', (byte) 0xE9, 'h', (byte) 0xC3, (byte) 0xA9}, buf.toByteArray());
            buf.skipBytes(2);
            assertEquals("hé", buf.toString(StandardCharsets.UTF_8));
        } finally {
            buf.release();
        }
    }

    @Test
    void toByteArrayAndToStringLeaveIndicesAlone(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.copyOf("hello world", StandardCharsets.US_ASCII);
        try {
            buf.skipBytes(6);
            assertEquals("world", buf.toString(StandardCharsets.US_ASCII));
            assertArrayEquals("world".getBytes(StandardCharsets.US_ASCII), buf.toByteArray());
            assertEquals(6, buf.readerIndex());
            assertEquals(11, buf.writerIndex());
            assertEquals("Buffer(ridx: 6, widx: 11, cap: 11, refCnt: 1)", buf.toString());
        } finally {
            buf.release();
        }
    }

    @Test
    void indexOfSearchesForwardsAndBackwards(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.copyOf("ab\ncd\n", StandardCharsets.US_ASCII);
        try {
            assertEquals(2, buf.indexOf(0, 6, (byte) '\n'));
            assertEquals(5, buf.indexOf(3, 6, (byte) '\n'));
            assertEquals(-1, buf.indexOf(3, 5, (byte) '\n'));
            assertEquals(-1, buf.indexOf(0, 6, (byte) 'z'));
            assertEquals(-1, buf.indexOf(4, 4, (byte) 'd'));
            assertEquals(5, buf.indexOf(6, 0, (byte) '\n'));
            assertEquals(2, buf.indexOf(5, 0, (byte) '\n'));
            assertEquals(-1, buf.indexOf(2, 0, (byte) '\n'));
            assertThrows(IndexOutOfBoundsException.class, () -> buf.indexOf(-1, 3, (byte) 'a'));
            assertThrows(IndexOutOfBoundsException.class, () -> buf.indexOf(7, 0, (byte) 'a'));
        } finally {
            buf.release();
        }
    }

    @Test
    void nioBufferIsALiveViewOfTheReadableBytes(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.copyOf(new byte[] {1, 2, 3, 4});
        try {
            buf.skipBytes(1);
            ByteBuffer nio = buf.nioBuffer();
            assertTrue(nio.isDirect());
            assertEquals(ByteOrder.BIG_ENDIAN, nio.order());
            assertEquals(0, nio.position());
            assertEquals(3, nio.limit());
            assertEquals(2, nio.get(0));
            nio.put(0, (byte) 20);
            assertEquals(20, buf.getByte(1), "writes through the view reach the buffer");
            buf.setByte(3, 40);
            assertEquals(40, nio.get(2), "writes to the buffer show in the view");
            nio.get();
            assertEquals(1, buf.readerIndex(), "the view has its own position");
        } finally {
            buf.release();
        }
    }

    @Test
    void segmentsViewTheCapacityAndTheReadableBytes(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(16);
        try {
            buf.writeInt(0x11223344).skipBytes(1);
            MemorySegment all = buf.segment();
            assertEquals(16, all.byteSize());
            assertEquals(buf.memoryAddress(), all.address());
            MemorySegment readable = buf.readableSegment();
            assertEquals(3, readable.byteSize());
            assertEquals(buf.memoryAddress() + 1, readable.address());
            assertEquals(0x22, readable.get(ValueLayout.JAVA_BYTE, 0));
        } finally {
            buf.release();
        }
    }

    @Test
    void nativeCodeCanFillTheWritableRegionThroughTheAddress(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(16);
        try {
            buf.writeByte('>');
            // What the event loop does around read(2): write at memoryAddress() + writerIndex().
            byte[] received = "data".getBytes(StandardCharsets.US_ASCII);
            MemorySegment.copy(MemorySegment.ofArray(received), 0,
                    Memory.segment(buf.memoryAddress() + buf.writerIndex(), buf.writableBytes()), 0, received.length);
            buf.writerIndex(buf.writerIndex() + received.length);
            assertEquals(">data", buf.toString(StandardCharsets.US_ASCII));
        } finally {
            buf.release();
        }
    }
}
