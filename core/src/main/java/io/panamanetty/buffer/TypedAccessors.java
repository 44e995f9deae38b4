package io.panamanetty.buffer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The accessors of {@link Buffer} beyond the big-endian integers of {@link AbstractBuffer}:
 * little-endian ({@code *LE}) integers, 3-byte "medium" integers, {@code char}, {@code float}
 * and {@code double} (the last three big-endian, or IEEE 754 bits through the little-endian
 * integer accessors), and searching with a {@link ByteProcessor}. Their public methods are
 * part of {@link Buffer}'s API; the checks and index moves are those of the big-endian ones.
 */
abstract sealed class TypedAccessors extends AbstractBuffer permits Buffer {
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfChar CHAR = ValueLayout.JAVA_CHAR_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int MEDIUM = 3;

    TypedAccessors(SharedMemory memory, int offset, boolean root, boolean readOnly, int capacity, int maxCapacity,
                   int readerIndex, int writerIndex, AbstractBuffer parentCarrier) {
        super(memory, offset, root, readOnly, capacity, maxCapacity, readerIndex, writerIndex, parentCarrier);
    }

    // ---------------------------------------------------------------- little-endian integers

    /** {@return the little-endian 16-bit value at {@code index}} */
    public short getShortLE(int index) {
        checkIndex(index, Short.BYTES);
        return memory.segment().get(SHORT_LE, offset + index);
    }

    /** {@return the little-endian 16-bit value at {@code index}, unsigned} */
    public int getUnsignedShortLE(int index) {
        return getShortLE(index) & 0xFFFF;
    }

    /** {@return the little-endian 32-bit value at {@code index}} */
    public int getIntLE(int index) {
        checkIndex(index, Integer.BYTES);
        return memory.segment().get(INT_LE, offset + index);
    }

    /** {@return the little-endian 32-bit value at {@code index}, unsigned} */
    public long getUnsignedIntLE(int index) {
        return getIntLE(index) & 0xFFFF_FFFFL;
    }

    /** {@return the little-endian 64-bit value at {@code index}} */
    public long getLongLE(int index) {
        checkIndex(index, Long.BYTES);
        return memory.segment().get(LONG_LE, offset + index);
    }

    /** Stores the low 16 bits of {@code value} at {@code index}, little-endian. */
    public Buffer setShortLE(int index, int value) {
        checkWritableIndex(index, Short.BYTES);
        memory.segment().set(SHORT_LE, offset + index, (short) value);
        return self();
    }

    /** Stores {@code value} at {@code index}, little-endian. */
    public Buffer setIntLE(int index, int value) {
        checkWritableIndex(index, Integer.BYTES);
        memory.segment().set(INT_LE, offset + index, value);
        return self();
    }

    /** Stores {@code value} at {@code index}, little-endian. */
    public Buffer setLongLE(int index, long value) {
        checkWritableIndex(index, Long.BYTES);
        memory.segment().set(LONG_LE, offset + index, value);
        return self();
    }

    /** {@return the little-endian 16-bit value at the reader index, which advances by 2} */
    public short readShortLE() {
        checkReadable(Short.BYTES);
        short value = memory.segment().get(SHORT_LE, offset + readerIndex);
        readerIndex += Short.BYTES;
        return value;
    }

    /** {@return the little-endian 16-bit value at the reader index, unsigned; it advances by 2} */
    public int readUnsignedShortLE() {
        return readShortLE() & 0xFFFF;
    }

    /** {@return the little-endian 32-bit value at the reader index, which advances by 4} */
    public int readIntLE() {
        checkReadable(Integer.BYTES);
        int value = memory.segment().get(INT_LE, offset + readerIndex);
        readerIndex += Integer.BYTES;
        return value;
    }

    /** {@return the little-endian 32-bit value at the reader index, unsigned; it advances by 4} */
    public long readUnsignedIntLE() {
        return readIntLE() & 0xFFFF_FFFFL;
    }

    /** {@return the little-endian 64-bit value at the reader index, which advances by 8} */
    public long readLongLE() {
        checkReadable(Long.BYTES);
        long value = memory.segment().get(LONG_LE, offset + readerIndex);
        readerIndex += Long.BYTES;
        return value;
    }

    /** Appends the low 16 bits of {@code value}, little-endian. */
    public Buffer writeShortLE(int value) {
        reserve(Short.BYTES);
        memory.segment().set(SHORT_LE, offset + writerIndex, (short) value);
        writerIndex += Short.BYTES;
        return self();
    }

    /** Appends {@code value}, little-endian. */
    public Buffer writeIntLE(int value) {
        reserve(Integer.BYTES);
        memory.segment().set(INT_LE, offset + writerIndex, value);
        writerIndex += Integer.BYTES;
        return self();
    }

    /** Appends {@code value}, little-endian. */
    public Buffer writeLongLE(long value) {
        reserve(Long.BYTES);
        memory.segment().set(LONG_LE, offset + writerIndex, value);
        writerIndex += Long.BYTES;
        return self();
    }

    // ---------------------------------------------------------------- 3-byte ("medium") integers

    /** {@return the big-endian 24-bit value at {@code index}, sign-extended} */
    public int getMedium(int index) {
        return getUnsignedMedium(index) << 8 >> 8;
    }

    /** {@return the big-endian 24-bit value at {@code index}, unsigned: 0 to 16777215} */
    public int getUnsignedMedium(int index) {
        checkIndex(index, MEDIUM);
        return medium(offset + index, false);
    }

    /** {@return the little-endian 24-bit value at {@code index}, sign-extended} */
    public int getMediumLE(int index) {
        return getUnsignedMediumLE(index) << 8 >> 8;
    }

    /** {@return the little-endian 24-bit value at {@code index}, unsigned} */
    public int getUnsignedMediumLE(int index) {
        checkIndex(index, MEDIUM);
        return medium(offset + index, true);
    }

    /** Stores the low 24 bits of {@code value} at {@code index}, big-endian. */
    public Buffer setMedium(int index, int value) {
        checkWritableIndex(index, MEDIUM);
        putMedium(offset + index, value, false);
        return self();
    }

    /** Stores the low 24 bits of {@code value} at {@code index}, little-endian. */
    public Buffer setMediumLE(int index, int value) {
        checkWritableIndex(index, MEDIUM);
        putMedium(offset + index, value, true);
        return self();
    }

    /** {@return the big-endian 24-bit value at the reader index, sign-extended; it advances by 3} */
    public int readMedium() {
        return readUnsignedMedium() << 8 >> 8;
    }

    /** {@return the big-endian 24-bit value at the reader index, unsigned; it advances by 3} */
    public int readUnsignedMedium() {
        checkReadable(MEDIUM);
        int value = medium(offset + readerIndex, false);
        readerIndex += MEDIUM;
        return value;
    }

    /** {@return the little-endian 24-bit value at the reader index, sign-extended; it advances by 3} */
    public int readMediumLE() {
        return readUnsignedMediumLE() << 8 >> 8;
    }

    /** {@return the little-endian 24-bit value at the reader index, unsigned; it advances by 3} */
    public int readUnsignedMediumLE() {
        checkReadable(MEDIUM);
        int value = medium(offset + readerIndex, true);
        readerIndex += MEDIUM;
        return value;
    }

    /** Appends the low 24 bits of {@code value}, big-endian. */
    public Buffer writeMedium(int value) {
        reserve(MEDIUM);
        putMedium(offset + writerIndex, value, false);
        writerIndex += MEDIUM;
        return self();
    }

    /** Appends the low 24 bits of {@code value}, little-endian. */
    public Buffer writeMediumLE(int value) {
        reserve(MEDIUM);
        putMedium(offset + writerIndex, value, true);
        writerIndex += MEDIUM;
        return self();
    }

    private int medium(int at, boolean littleEndian) {
        MemorySegment block = memory.segment();
        int first = block.get(BYTE, at) & 0xFF;
        int middle = block.get(BYTE, at + 1) & 0xFF;
        int last = block.get(BYTE, at + 2) & 0xFF;
        return littleEndian ? last << 16 | middle << 8 | first : first << 16 | middle << 8 | last;
    }

    private void putMedium(int at, int value, boolean littleEndian) {
        MemorySegment block = memory.segment();
        block.set(BYTE, at, (byte) (littleEndian ? value : value >>> 16));
        block.set(BYTE, at + 1, (byte) (value >>> 8));
        block.set(BYTE, at + 2, (byte) (littleEndian ? value >>> 16 : value));
    }

    // ---------------------------------------------------------------- char, float, double

    /** {@return the big-endian 16-bit UTF-16 code unit at {@code index}} */
    public char getChar(int index) {
        checkIndex(index, Character.BYTES);
        return memory.segment().get(CHAR, offset + index);
    }

    /** Stores the low 16 bits of {@code value} at {@code index} as a big-endian char. */
    public Buffer setChar(int index, int value) {
        checkWritableIndex(index, Character.BYTES);
        memory.segment().set(CHAR, offset + index, (char) value);
        return self();
    }

    /** {@return the big-endian char at the reader index, which advances by 2} */
    public char readChar() {
        checkReadable(Character.BYTES);
        char value = memory.segment().get(CHAR, offset + readerIndex);
        readerIndex += Character.BYTES;
        return value;
    }

    /** Appends the low 16 bits of {@code value} as a big-endian char. */
    public Buffer writeChar(int value) {
        reserve(Character.BYTES);
        memory.segment().set(CHAR, offset + writerIndex, (char) value);
        writerIndex += Character.BYTES;
        return self();
    }

    /** {@return the big-endian IEEE 754 single at {@code index}} Little-endian: {@code Float.intBitsToFloat(getIntLE(index))}. */
    public float getFloat(int index) {
        checkIndex(index, Float.BYTES);
        return memory.segment().get(FLOAT, offset + index);
    }

    /** Stores {@code value} at {@code index}, big-endian; little-endian: {@code setIntLE(index, Float.floatToRawIntBits(value))}. */
    public Buffer setFloat(int index, float value) {
        checkWritableIndex(index, Float.BYTES);
        memory.segment().set(FLOAT, offset + index, value);
        return self();
    }

    /** {@return the big-endian single at the reader index, which advances by 4} */
    public float readFloat() {
        checkReadable(Float.BYTES);
        float value = memory.segment().get(FLOAT, offset + readerIndex);
        readerIndex += Float.BYTES;
        return value;
    }

    /** Appends {@code value}, big-endian. */
    public Buffer writeFloat(float value) {
        reserve(Float.BYTES);
        memory.segment().set(FLOAT, offset + writerIndex, value);
        writerIndex += Float.BYTES;
        return self();
    }

    /** {@return the big-endian IEEE 754 double at {@code index}} Little-endian: {@code Double.longBitsToDouble(getLongLE(index))}. */
    public double getDouble(int index) {
        checkIndex(index, Double.BYTES);
        return memory.segment().get(DOUBLE, offset + index);
    }

    /** Stores {@code value} at {@code index}, big-endian. */
    public Buffer setDouble(int index, double value) {
        checkWritableIndex(index, Double.BYTES);
        memory.segment().set(DOUBLE, offset + index, value);
        return self();
    }

    /** {@return the big-endian double at the reader index, which advances by 8} */
    public double readDouble() {
        checkReadable(Double.BYTES);
        double value = memory.segment().get(DOUBLE, offset + readerIndex);
        readerIndex += Double.BYTES;
        return value;
    }

    /** Appends {@code value}, big-endian. */
    public Buffer writeDouble(double value) {
        reserve(Double.BYTES);
        memory.segment().set(DOUBLE, offset + writerIndex, value);
        writerIndex += Double.BYTES;
        return self();
    }

    // ---------------------------------------------------------------- search with a processor

    /**
     * Finds {@code value} between two absolute indices, both 0 to {@link #capacity()}:
     * forwards in {@code [fromIndex, toIndex)} if {@code fromIndex <= toIndex}, else
     * backwards in {@code [toIndex, fromIndex)} from {@code fromIndex - 1}. No index moves.
     *
     * @return the absolute index of the byte found, or -1 if absent
     */
    public int indexOf(int fromIndex, int toIndex, byte value) {
        ensureAccessible();
        BufferChecks.checkSearchRange(fromIndex, toIndex, capacity);
        return BufferCopies.indexOf(memory.segment(), offset, fromIndex, toIndex, value);
    }

    /**
     * Hands the readable bytes to {@code processor}, first to last, until it returns false.
     * No index moves.
     *
     * @return the absolute index of the byte at which it returned false, or -1 if it never did
     */
    public int forEachByte(ByteProcessor processor) {
        return forEachByte(readerIndex, writerIndex - readerIndex, processor);
    }

    /**
     * Hands the bytes of {@code [index, index + length)} to {@code processor}, first to last,
     * until it returns false. No index moves.
     *
     * @return the absolute index of the byte at which it returned false, or -1 if it never did
     */
    public int forEachByte(int index, int length, ByteProcessor processor) {
        checkIndex(index, length);
        MemorySegment block = memory.segment();
        for (int i = index, end = index + length; i < end; i++) {
            if (!processor.process(block.get(BYTE, offset + i))) {
                return i;
            }
        }
        return -1;
    }

    /** Like {@link #forEachByte(ByteProcessor)}, from the last readable byte to the first. */
    public int forEachByteDesc(ByteProcessor processor) {
        return forEachByteDesc(readerIndex, writerIndex - readerIndex, processor);
    }

    /** Like {@link #forEachByte(int, int, ByteProcessor)}, from the last byte of the range to the first. */
    public int forEachByteDesc(int index, int length, ByteProcessor processor) {
        checkIndex(index, length);
        MemorySegment block = memory.segment();
        for (int i = index + length - 1; i >= index; i--) {
            if (!processor.process(block.get(BYTE, offset + i))) {
                return i;
            }
        }
        return -1;
    }

    /** {@return how many readable bytes come before the first {@code value}, or -1 if none is readable} */
    public int bytesBefore(byte value) {
        return bytesBefore(readerIndex, writerIndex - readerIndex, value);
    }

    /**
     * {@return how many bytes of {@code [index, index + length)} come before the first
     * {@code value}, or -1 if the range holds none} No index moves.
     */
    public int bytesBefore(int index, int length, byte value) {
        checkIndex(index, length);
        int found = BufferCopies.indexOf(memory.segment(), offset, index, index + length, value);
        return found < 0 ? -1 : found - index;
    }
}
