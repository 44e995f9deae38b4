package io.panamanetty.buffer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.util.Objects;

/**
 * The state of a {@link Buffer} and the reading and writing of its content: the absolute
 * {@code get*}/{@code set*} and relative {@code read*}/{@code write*} methods, and the
 * growth that writes trigger. Their public methods are part of {@link Buffer}'s API (javadoc
 * lists them there). {@link Buffer} adds the indices, the views, the native views and the
 * reference counting; {@link TypedAccessors}, between the two, the little-endian, 3-byte,
 * floating-point and char accessors.
 *
 * <p>The fields are package-private for {@link Buffer} alone: nothing else touches them.
 */
abstract sealed class AbstractBuffer permits TypedAccessors {
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** The smallest capacity a growing buffer jumps to, so tiny buffers do not grow byte by byte. */
    private static final int MIN_GROWTH = 64;

    final SharedMemory memory;
    /** Where this buffer's index 0 lies in the root's memory; 0 for the root. */
    final int offset;
    /** Whether this is the root, the only buffer of its memory that may grow. */
    final boolean root;
    /** Whether this is a read-only view: every {@code set*}/{@code write*} fails. */
    final boolean readOnly;
    /** The {@linkplain SharedMemory#generation incarnation} of the memory this buffer belongs to. */
    int generation;
    int maxCapacity;
    int capacity;
    int readerIndex;
    int writerIndex;
    /** The indices saved by {@code markReaderIndex()}/{@code markWriterIndex()}; 0 until then. */
    int markedReaderIndex;
    int markedWriterIndex;
    /**
     * The buffer object whose reference this one uses: itself for a root or a retained
     * view, the parent's carrier for a plain view. The framework's ownership rule counts
     * hand-overs, retains and releases per carrier (see {@code io.panamanetty.internal}).
     */
    final AbstractBuffer carrier;
    /** Retains and releases made through this carrier's family; plain counters, only read as hints. */
    int retainCount;
    int releaseCount;

    AbstractBuffer(SharedMemory memory, int offset, boolean root, boolean readOnly, int capacity, int maxCapacity,
                   int readerIndex, int writerIndex, AbstractBuffer parentCarrier) {
        this.carrier = parentCarrier == null ? this : parentCarrier;
        this.readOnly = readOnly;
        this.memory = memory;
        this.offset = offset;
        this.root = root;
        this.capacity = capacity;
        this.maxCapacity = maxCapacity;
        this.readerIndex = readerIndex;
        this.writerIndex = writerIndex;
        this.generation = memory.generation;
    }

    /**
     * Makes sure {@code minWritableBytes} (at least 0) can be written. A root short of room
     * grows to the largest of double its capacity, 64 bytes and {@code writerIndex() +
     * minWritableBytes}, capped at {@link Buffer#maxCapacity()}: it takes a new block from the
     * allocator, copies the whole old capacity, gives the old block back; its views follow.
     *
     * @throws IndexOutOfBoundsException if a view lacks the room, or a root would exceed its max capacity
     */
    public Buffer ensureWritable(int minWritableBytes) {
        ensureAccessible();
        if (readOnly) {
            throw BufferChecks.readOnly(self());
        }
        BufferChecks.checkMinWritableBytes(minWritableBytes);
        if (minWritableBytes > capacity - writerIndex) {
            grow(minWritableBytes);
        }
        return self();
    }

    /** Like {@link #ensureWritable}, for the writes here: no bridge call, and {@code length >= 0} already. */
    final void reserve(int length) {
        ensureAccessible();
        if (readOnly) {
            throw BufferChecks.readOnly(self());
        }
        if (length > capacity - writerIndex) {
            grow(length);
        }
    }

    private void grow(int minWritableBytes) {
        BufferChecks.checkGrowable(self(), root, minWritableBytes);
        long required = (long) writerIndex + minWritableBytes;
        int newCapacity = (int) Math.min(maxCapacity, Math.max(required, Math.max(MIN_GROWTH, 2L * capacity)));
        memory.grow(newCapacity);
        capacity = newCapacity;
    }

    // ---------------------------------------------------------------- absolute get / set

    /** {@return the byte at {@code index}} */
    public byte getByte(int index) {
        checkIndex(index, 1);
        return memory.segment().get(BYTE, offset + index);
    }

    /** {@return the byte at {@code index} as an unsigned value, 0 to 255} */
    public int getUnsignedByte(int index) {
        return getByte(index) & 0xFF;
    }

    /** {@return the 16-bit value at {@code index}} */
    public short getShort(int index) {
        checkIndex(index, Short.BYTES);
        return memory.segment().get(SHORT, offset + index);
    }

    /** {@return the 16-bit value at {@code index} as an unsigned value, 0 to 65535} */
    public int getUnsignedShort(int index) {
        return getShort(index) & 0xFFFF;
    }

    /** {@return the 32-bit value at {@code index}} */
    public int getInt(int index) {
        checkIndex(index, Integer.BYTES);
        return memory.segment().get(INT, offset + index);
    }

    /** {@return the 32-bit value at {@code index} as an unsigned value} */
    public long getUnsignedInt(int index) {
        return getInt(index) & 0xFFFF_FFFFL;
    }

    /** {@return the 64-bit value at {@code index}} */
    public long getLong(int index) {
        checkIndex(index, Long.BYTES);
        return memory.segment().get(LONG, offset + index);
    }

    /** Copies {@code length} bytes from {@code index} into {@code dst} at {@code dstIndex}. */
    public Buffer getBytes(int index, byte[] dst, int dstIndex, int length) {
        checkIndex(index, length);
        Objects.checkFromIndexSize(dstIndex, length, dst.length);
        MemorySegment.copy(memory.segment(), BYTE, offset + index, dst, dstIndex, length);
        return self();
    }

    /** Stores the low 8 bits of {@code value} at {@code index}. */
    public Buffer setByte(int index, int value) {
        checkWritableIndex(index, 1);
        memory.segment().set(BYTE, offset + index, (byte) value);
        return self();
    }

    /** Stores the low 16 bits of {@code value} at {@code index}. */
    public Buffer setShort(int index, int value) {
        checkWritableIndex(index, Short.BYTES);
        memory.segment().set(SHORT, offset + index, (short) value);
        return self();
    }

    /** Stores the 32-bit {@code value} at {@code index}. */
    public Buffer setInt(int index, int value) {
        checkWritableIndex(index, Integer.BYTES);
        memory.segment().set(INT, offset + index, value);
        return self();
    }

    /** Stores the 64-bit {@code value} at {@code index}. */
    public Buffer setLong(int index, long value) {
        checkWritableIndex(index, Long.BYTES);
        memory.segment().set(LONG, offset + index, value);
        return self();
    }

    /** Copies {@code length} bytes of {@code src} from {@code srcIndex} in at {@code index}. */
    public Buffer setBytes(int index, byte[] src, int srcIndex, int length) {
        checkWritableIndex(index, length);
        Objects.checkFromIndexSize(srcIndex, length, src.length);
        MemorySegment.copy(src, srcIndex, memory.segment(), BYTE, offset + index, length);
        return self();
    }

    // ---------------------------------------------------------------- relative read

    /** {@return the byte at the reader index, which advances by 1} */
    public byte readByte() {
        checkReadable(1);
        return memory.segment().get(BYTE, offset + readerIndex++);
    }

    /** {@return the byte at the reader index as an unsigned value; the reader index advances by 1} */
    public int readUnsignedByte() {
        return readByte() & 0xFF;
    }

    /** {@return the 16-bit value at the reader index, which advances by 2} */
    public short readShort() {
        checkReadable(Short.BYTES);
        short value = memory.segment().get(SHORT, offset + readerIndex);
        readerIndex += Short.BYTES;
        return value;
    }

    /** {@return the unsigned 16-bit value at the reader index, which advances by 2} */
    public int readUnsignedShort() {
        return readShort() & 0xFFFF;
    }

    /** {@return the 32-bit value at the reader index, which advances by 4} */
    public int readInt() {
        checkReadable(Integer.BYTES);
        int value = memory.segment().get(INT, offset + readerIndex);
        readerIndex += Integer.BYTES;
        return value;
    }

    /** {@return the unsigned 32-bit value at the reader index, which advances by 4} */
    public long readUnsignedInt() {
        return readInt() & 0xFFFF_FFFFL;
    }

    /** {@return the 64-bit value at the reader index, which advances by 8} */
    public long readLong() {
        checkReadable(Long.BYTES);
        long value = memory.segment().get(LONG, offset + readerIndex);
        readerIndex += Long.BYTES;
        return value;
    }

    /** Reads {@code dst.length} bytes, filling {@code dst}. */
    public Buffer readBytes(byte[] dst) {
        return readBytes(dst, 0, dst.length);
    }

    /** Reads {@code length} bytes into {@code dst} at {@code dstIndex}. */
    public Buffer readBytes(byte[] dst, int dstIndex, int length) {
        checkReadable(length);
        Objects.checkFromIndexSize(dstIndex, length, dst.length);
        MemorySegment.copy(memory.segment(), BYTE, offset + readerIndex, dst, dstIndex, length);
        readerIndex += length;
        return self();
    }

    /** {@return a copy of the readable bytes} No index moves. */
    public byte[] toByteArray() {
        ensureAccessible();
        byte[] bytes = new byte[writerIndex - readerIndex];
        MemorySegment.copy(memory.segment(), ValueLayout.JAVA_BYTE, offset + readerIndex, bytes, 0, bytes.length);
        return bytes;
    }

    /** {@return the readable bytes decoded from {@code charset}} No index moves. */
    public String toString(Charset charset) {
        return new String(toByteArray(), charset);
    }

    // ---------------------------------------------------------------- relative write

    /** Appends the low 8 bits of {@code value}, growing the buffer if needed. */
    public Buffer writeByte(int value) {
        reserve(1);
        memory.segment().set(BYTE, offset + writerIndex++, (byte) value);
        return self();
    }

    /** Appends the low 16 bits of {@code value}, growing the buffer if needed. */
    public Buffer writeShort(int value) {
        reserve(Short.BYTES);
        memory.segment().set(SHORT, offset + writerIndex, (short) value);
        writerIndex += Short.BYTES;
        return self();
    }

    /** Appends the 32-bit {@code value}, growing the buffer if needed. */
    public Buffer writeInt(int value) {
        reserve(Integer.BYTES);
        memory.segment().set(INT, offset + writerIndex, value);
        writerIndex += Integer.BYTES;
        return self();
    }

    /** Appends the 64-bit {@code value}, growing the buffer if needed. */
    public Buffer writeLong(long value) {
        reserve(Long.BYTES);
        memory.segment().set(LONG, offset + writerIndex, value);
        writerIndex += Long.BYTES;
        return self();
    }

    /** Appends all of {@code src}. */
    public Buffer writeBytes(byte[] src) {
        return writeBytes(src, 0, src.length);
    }

    /** Appends {@code length} bytes of {@code src} from {@code srcIndex}. */
    public Buffer writeBytes(byte[] src, int srcIndex, int length) {
        Objects.checkFromIndexSize(srcIndex, length, src.length);
        reserve(length);
        MemorySegment.copy(src, srcIndex, memory.segment(), BYTE, offset + writerIndex, length);
        writerIndex += length;
        return self();
    }

    /** Appends the remaining bytes of {@code src}, heap or direct (even a view of this buffer), emptying it. */
    public Buffer writeBytes(ByteBuffer src) {
        writeSegment(MemorySegment.ofBuffer(src));
        src.position(src.limit());
        return self();
    }

    /** Appends all bytes of {@code src}, heap or native (even a view of this buffer). */
    public Buffer writeBytes(MemorySegment src) {
        writeSegment(src);
        return self();
    }

    private void writeSegment(MemorySegment src) {
        ensureAccessible();
        BufferChecks.checkFits(self(), src.byteSize());
        int length = (int) src.byteSize();
        if (length > capacity - writerIndex) {
            src = BufferCopies.detach(src, memory);
        }
        reserve(length);
        MemorySegment.copy(src, 0, memory.segment(), offset + writerIndex, length);
        writerIndex += length;
    }

    /**
     * Appends the readable bytes of {@code src} (which may share this memory), consuming
     * them: its reader index advances by as many. {@code src} keeps its references.
     */
    public Buffer writeBytes(Buffer src) {
        int length = src.readableBytes();
        src.checkReadable(length);
        reserve(length);
        // Locate the source only now: growing this buffer may have moved src's memory too.
        MemorySegment.copy(src.memory.segment(), src.offset + src.readerIndex,
                memory.segment(), offset + writerIndex, length);
        src.readerIndex += length;
        writerIndex += length;
        return self();
    }

    /** Appends {@code text} encoded in {@code charset}, and returns the number of bytes written. */
    public int writeCharSequence(CharSequence text, Charset charset) {
        return BufferCopies.writeCharSequence(self(), text, charset);
    }

    // ---------------------------------------------------------------- marks

    /** Remembers the reader index, for {@link #resetReaderIndex()}. */
    public Buffer markReaderIndex() {
        markedReaderIndex = readerIndex;
        return self();
    }

    /**
     * Moves the reader index back to where {@link #markReaderIndex()} left it (0 if never marked).
     *
     * @throws IndexOutOfBoundsException if the mark now lies beyond the writer index
     */
    public Buffer resetReaderIndex() {
        BufferChecks.checkReaderIndex(markedReaderIndex, writerIndex);
        readerIndex = markedReaderIndex;
        return self();
    }

    /** Remembers the writer index, for {@link #resetWriterIndex()}. */
    public Buffer markWriterIndex() {
        markedWriterIndex = writerIndex;
        return self();
    }

    /**
     * Moves the writer index back to where {@link #markWriterIndex()} left it (0 if never marked).
     *
     * @throws IndexOutOfBoundsException if the mark now lies before the reader index or beyond the capacity
     */
    public Buffer resetWriterIndex() {
        BufferChecks.checkWriterIndex(markedWriterIndex, readerIndex, capacity);
        writerIndex = markedWriterIndex;
        return self();
    }

    // ---------------------------------------------------------------- checks

    /**
     * Fails with {@link IllegalReferenceCountException} if the memory was freed, or if this is
     * a view made before the memory was recycled for another buffer.
     */
    final void ensureAccessible() {
        SharedMemory m = memory;
        if (m.refCnt() == 0 || generation != m.generation) {
            throw BufferChecks.freed(0);
        }
    }

    final void checkIndex(int index, int length) {
        ensureAccessible();
        BufferChecks.checkIndex(index, length, capacity);
    }

    /** Like {@link #checkIndex}, for a {@code set*}: fails on a read-only view too. */
    final void checkWritableIndex(int index, int length) {
        checkIndex(index, length);
        if (readOnly) {
            throw BufferChecks.readOnly(self());
        }
    }

    final void checkReadable(int length) {
        ensureAccessible();
        BufferChecks.checkReadable(self(), length);
    }

    /** {@return this, as the {@link Buffer} it always is (the only concrete subclass)} */
    final Buffer self() {
        return (Buffer) this;
    }
}
