package io.panamanetty.buffer;

import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The little-endian, 3-byte, char, float and double accessors, checked against {@link ByteBuffer}'s encoding. */
@ExtendWith(LeakCheck.class)
class TypedAccessorsTest {

    @Test
    void littleEndianValuesAreStoredLowByteFirst(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(32);
        try {
            buf.writeShortLE(0x0102).writeIntLE(0x03040506).writeLongLE(0x0708090A0B0C0D0EL);
            ByteBuffer expected = ByteBuffer.allocate(14).order(ByteOrder.LITTLE_ENDIAN)
                    .putShort((short) 0x0102).putInt(0x03040506).putLong(0x0708090A0B0C0D0EL);
            assertArrayEquals(expected.array(), buf.toByteArray());
            assertEquals(0x0102, buf.getShortLE(0));
            assertEquals(0x03040506, buf.getIntLE(2));
            assertEquals(0x0708090A0B0C0D0EL, buf.getLongLE(6));
            assertEquals(0x0102, buf.readShortLE());
            assertEquals(0x03040506, buf.readIntLE());
            assertEquals(0x0708090A0B0C0D0EL, buf.readLongLE());

            buf.clear().setShortLE(0, 0xFFFE).setIntLE(2, -2).setLongLE(6, -3L).writerIndex(14);
            assertEquals(0xFFFE, buf.getUnsignedShortLE(0));
            assertEquals(0xFFFF_FFFEL, buf.getUnsignedIntLE(2));
            assertEquals((byte) 0xFE, buf.getByte(2), "low byte first");
            assertEquals(0xFFFE, buf.readUnsignedShortLE());
            assertEquals(0xFFFF_FFFEL, buf.readUnsignedIntLE());
            assertEquals(-3L, buf.readLongLE());
        } finally {
            buf.release();
        }
    }

    @Test
    void mediumsAreThreeBytesSignedOrUnsigned(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(16);
        try {
            buf.writeMedium(0x123456).writeMediumLE(0x123456).writeMedium(-2).writeMediumLE(0xFFFFFF);
            assertArrayEquals(new byte[] {0x12, 0x34, 0x56, 0x56, 0x34, 0x12, (byte) 0xFF, (byte) 0xFF, (byte) 0xFE,
                    (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, buf.toByteArray());
            assertEquals(0x123456, buf.getMedium(0));
            assertEquals(0x123456, buf.getMediumLE(3));
            assertEquals(-2, buf.getMedium(6));
            assertEquals(0xFFFFFE, buf.getUnsignedMedium(6));
            assertEquals(-1, buf.getMediumLE(9));
            assertEquals(0xFFFFFF, buf.getUnsignedMediumLE(9));
            assertEquals(0x123456, buf.readUnsignedMedium());
            assertEquals(0x123456, buf.readUnsignedMediumLE());
            assertEquals(-2, buf.readMedium());
            assertEquals(-1, buf.readMediumLE());
            buf.setMedium(0, 0xABCDEF).setMediumLE(3, 0xABCDEF);
            assertEquals(0xABCDEF, buf.getUnsignedMedium(0));
            assertEquals((byte) 0xEF, buf.getByte(3));
            assertThrows(IndexOutOfBoundsException.class, () -> buf.getMedium(14), "needs 3 bytes, 2 left");
            assertThrows(IndexOutOfBoundsException.class, buf::readMedium, "nothing readable");
        } finally {
            buf.release();
        }
    }

    @Test
    void charsFloatsAndDoublesMatchJavaNio(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(32);
        try {
            buf.writeChar('€').writeFloat(3.25f).writeDouble(-1e300).writeFloat(Float.NaN);
            ByteBuffer expected = ByteBuffer.allocate(18).putChar('€').putFloat(3.25f).putDouble(-1e300)
                    .putFloat(Float.NaN);
            assertArrayEquals(expected.array(), buf.toByteArray());
            assertEquals('€', buf.getChar(0));
            assertEquals(3.25f, buf.getFloat(2));
            assertEquals(-1e300, buf.getDouble(6));
            assertEquals('€', buf.readChar());
            assertEquals(3.25f, buf.readFloat());
            assertEquals(-1e300, buf.readDouble());
            assertEquals(Float.NaN, buf.readFloat());
            buf.setChar(0, 'x').setFloat(2, 1.5f).setDouble(6, 2.5);
            assertEquals('x', buf.getChar(0));
            assertEquals(1.5f, buf.getFloat(2));
            assertEquals(2.5, buf.getDouble(6));
            assertEquals(1.5f, Float.intBitsToFloat(buf.setIntLE(2, Float.floatToRawIntBits(1.5f)).getIntLE(2)));
        } finally {
            buf.release();
        }
    }

    @Test
    void searchWithAProcessorStopsWhereItSaysNo(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.copyOf("xGET / HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        try {
            buf.skipBytes(1);
            assertEquals(4, buf.forEachByte(ByteProcessor.FIND_LINEAR_WHITESPACE), "absolute index of the space");
            assertEquals(15, buf.forEachByte(ByteProcessor.FIND_CRLF));
            assertEquals(16, buf.forEachByteDesc(value -> value != '\n'));
            assertEquals(6, buf.forEachByteDesc(1, 14, ByteProcessor.FIND_LINEAR_WHITESPACE), "the last space");
            assertEquals(-1, buf.forEachByte(ByteProcessor.FIND_NUL));
            assertEquals(-1, buf.forEachByte(1, 3, ByteProcessor.FIND_LINEAR_WHITESPACE), "GET holds none");
            assertEquals(14, buf.bytesBefore((byte) '\r'));
            assertEquals(-1, buf.bytesBefore((byte) 'z'));
            assertEquals(1, buf.bytesBefore(5, 3, (byte) ' '));
            assertEquals(1, buf.readerIndex(), "searching moves no index");
            int[] seen = {0};
            buf.forEachByte(value -> ++seen[0] > 0);
            assertEquals(buf.readableBytes(), seen[0]);
            assertThrows(IndexOutOfBoundsException.class, () -> buf.forEachByte(10, 20, ByteProcessor.FIND_NUL));
        } finally {
            buf.release();
        }
    }

    @Test
    void marksRestoreIndices(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(16).writeInt(7).writeInt(8);
        try {
            buf.markReaderIndex();
            assertEquals(7, buf.readInt());
            buf.resetReaderIndex();
            assertEquals(7, buf.readInt(), "read again from the mark");
            buf.markWriterIndex().writeInt(9);
            buf.resetWriterIndex();
            assertEquals(8, buf.writerIndex());
            buf.markReaderIndex().readInt();
            buf.clear();
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, buf::resetReaderIndex,
                    "the mark (4) lies beyond the writer index (0) now");
            assertEquals(true, e.getMessage().contains("readerIndex: 4"), e.getMessage());
        } finally {
            buf.release();
        }
    }
}
