package io.panamanetty.buffer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.util.Objects;

/**
 * A reference-counted buffer over native (off-heap) memory, with a reader index and a
 * writer index; the bytes handlers receive from and give to channels.
 *
 * <pre>
 *   +-------------------+------------------+------------------+
 *   | discardable bytes |  readable bytes  |  writable bytes  |
 *   +-------------------+------------------+------------------+
 *   0      &lt;=      readerIndex   &lt;=   writerIndex    &lt;=    capacity
 * </pre>
 *
 * <p>{@code read*} methods consume readable bytes and advance the reader index,
 * {@code write*} methods append at the writer index and advance it, growing the buffer if
 * needed; {@code get*}/{@code set*} methods take an absolute index and move neither index.
 * Multi-byte values are big-endian (network byte order). Every access is bounds-checked
 * and fails with an {@link IndexOutOfBoundsException} naming the indices involved. A
 * method returning a {@code Buffer} returns this one, for chaining, unless it says otherwise.
 *
 * <h2>Views and growth</h2>
 * A buffer made by an allocator is a <em>root</em>. {@link #slice(int, int)},
 * {@link #duplicate()} and their {@code retained} forms make <em>views</em>: buffers with
 * their own indices over (part of) the same memory, sharing the root's single reference
 * count. A root grows on demand ({@link #ensureWritable(int)}) into a larger block from its
 * allocator, and its views follow it to the new block; a view has a fixed capacity and
 * never grows. An address or segment obtained earlier ({@link #memoryAddress()},
 * {@link #segment()}, {@link #nioBuffer()}) is stale after growth.
 *
 * <h2>Reference counting and threads</h2>
 * A new buffer has a reference count of 1. {@link #retain()} adds a reference,
 * {@link #release()} drops one; when the count reaches 0 the memory goes back to the
 * allocator, exactly once, from whichever thread dropped the last reference. Counting is
 * thread-safe (compare-and-set on the state shared by the root and its views), so a buffer
 * may be released on a thread other than the one that allocated it. Using a buffer whose
 * count is 0 (reading, writing, slicing, copying, taking its address), retaining it, or
 * releasing more references than it holds throws {@link IllegalReferenceCountException}
 * and never touches the freed memory. The indices and the content are <em>not</em>
 * thread-safe: one thread at a time uses a buffer, handing it over through something that
 * publishes safely (an event loop's task queue, a channel write).
 *
 * <h2>Ownership rule</h2>
 * The framework follows one rule, and handlers must too: <strong>every reference has
 * exactly one owner, and the owner either hands the reference on or releases it.</strong>
 * A buffer delivered to {@code channelRead} carries one reference, owned by that callback.
 * <ul>
 *   <li>Passing the buffer on ({@code ctx.write}, {@code ctx.fireChannelRead},
 *       {@code channel.write}, ...) hands that reference over: the receiver now owns it,
 *       and the handler must not use or release the buffer afterwards.</li>
 *   <li>Calling {@link #release()} consumes the reference.</li>
 *   <li>A buffer the callback neither passed on nor released is released by the framework
 *       when the callback returns.</li>
 *   <li>To keep the buffer beyond the callback, call {@link #retain()}: the framework still
 *       drops only the callback's reference, and the handler owns the extra one until it
 *       releases it or passes it on.</li>
 * </ul>
 * The cases, in code:
 * <pre>{@code
 * // 1. A handler that only reads: nothing to do, the framework releases the buffer.
 * public void channelRead(ChannelHandlerContext ctx, Object msg) {
 *     Buffer in = (Buffer) msg;
 *     counter.add(in.readableBytes());
 * }
 *
 * // 2. An echo: writing the received buffer back hands its reference to the write path,
 * //    which sends the bytes (no copy) and then releases the buffer.
 * public void channelRead(ChannelHandlerContext ctx, Object msg) {
 *     ctx.write(msg);
 * }
 *
 * // 3. Writing a buffer the handler allocated: allocate() and copyOf() give the handler
 * //    the only reference, the write hands it over, and the write path releases it after
 * //    sending. The received buffer was not passed on, so the framework releases that one.
 * public void channelRead(ChannelHandlerContext ctx, Object msg) {
 *     ctx.write(BufferAllocator.defaultAllocator().copyOf("ok\n", StandardCharsets.US_ASCII));
 * }
 *
 * // 4. Retain, then write: the write takes one reference, the handler keeps the other
 * //    and must release it (or pass it on) later, once it no longer needs the bytes.
 * //    The kept object is the one being written, indices included: read it only with
 * //    absolute get* methods, or keep a retainedDuplicate() instead of retaining.
 * public void channelRead(ChannelHandlerContext ctx, Object msg) {
 *     Buffer in = ((Buffer) msg).retain();   // count 2: one for the write, one for us
 *     ctx.write(in);                         // hands over the callback's reference
 *     this.kept = in;                        // ours; later: kept.release()
 * }
 *
 * // 5. Writing one buffer twice: each write takes a reference, so the second write needs
 * //    one more. retain() gives it, but both writes would then share one pair of indices,
 * //    and the write path consumes the readable bytes of what it sends. retainedDuplicate()
 * //    gives the extra write its own reference AND its own indices: use it (always, when
 * //    the two writes go to channels of different event loops, as indices are not
 * //    thread-safe).
 * public void channelRead(ChannelHandlerContext ctx, Object msg) {
 *     Buffer in = (Buffer) msg;
 *     other.write(in.retainedDuplicate());   // its own reference and indices
 *     ctx.write(in);                         // the callback's reference
 * }
 * }</pre>
 * A buffer wrapped inside another object (a decoded message holding a slice, a tuple, a
 * list) and passed on is <em>not</em> seen as passed on: the framework only recognizes the
 * buffer itself. Retain it (or take a {@link #retainedSlice(int, int)}) before wrapping it,
 * so that the wrapper owns a reference of its own, and have whoever consumes the wrapper
 * release it.
 *
 * @see BufferAllocator
 */
public final class Buffer {
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** The smallest capacity a growing buffer jumps to, so tiny buffers do not grow byte by byte. */
    private static final int MIN_GROWTH = 64;

    private final SharedMemory memory;
    /** Where this buffer's index 0 lies in the root's memory; 0 for the root. */
    private final int offset;
    /** Whether this is the root, the only buffer of its memory that may grow. */
    private final boolean root;
    private final int maxCapacity;
    private int capacity;
    private int readerIndex;
    private int writerIndex;

    /** A root buffer over a freshly allocated block owned by {@code owner}. */
    Buffer(MemoryOwner owner, long address, int capacity, int maxCapacity) {
        this(new SharedMemory(owner, address, capacity), 0, true, capacity, maxCapacity, 0, 0);
    }

    private Buffer(SharedMemory memory, int offset, boolean root, int capacity, int maxCapacity,
                   int readerIndex, int writerIndex) {
        this.memory = memory;
        this.offset = offset;
        this.root = root;
        this.capacity = capacity;
        this.maxCapacity = maxCapacity;
        this.readerIndex = readerIndex;
        this.writerIndex = writerIndex;
    }

    /** A view: a fixed-capacity window on the memory of a root. */
    private Buffer view(int index, int length, int readerIndex, int writerIndex) {
        return new Buffer(memory, offset + index, false, length, length, readerIndex, writerIndex);
    }

    // ---------------------------------------------------------------- indices

    /** {@return the number of bytes this buffer holds now (it may grow up to {@link #maxCapacity()})} */
    public int capacity() {
        return capacity;
    }

    /** {@return the most this buffer may grow to; a view's is its capacity} */
    public int maxCapacity() {
        return maxCapacity;
    }

    /** {@return the index of the next byte to read} */
    public int readerIndex() {
        return readerIndex;
    }

    /** Moves the reader index to {@code readerIndex}, between 0 and {@link #writerIndex()}. */
    public Buffer readerIndex(int readerIndex) {
        BufferChecks.checkReaderIndex(readerIndex, writerIndex);
        this.readerIndex = readerIndex;
        return this;
    }

    /** {@return the index where the next byte is written} */
    public int writerIndex() {
        return writerIndex;
    }

    /**
     * Moves the writer index to {@code writerIndex}, between {@link #readerIndex()} and
     * {@link #capacity()}; for instance after native code wrote {@code n} bytes at
     * {@code memoryAddress() + writerIndex()}: {@code writerIndex(writerIndex() + n)}.
     */
    public Buffer writerIndex(int writerIndex) {
        BufferChecks.checkWriterIndex(writerIndex, readerIndex, capacity);
        this.writerIndex = writerIndex;
        return this;
    }

    /** {@return {@code writerIndex() - readerIndex()}} */
    public int readableBytes() {
        return writerIndex - readerIndex;
    }

    /** {@return {@code capacity() - writerIndex()}, what can be written without growing} */
    public int writableBytes() {
        return capacity - writerIndex;
    }

    /** {@return whether at least one byte is readable} */
    public boolean isReadable() {
        return writerIndex > readerIndex;
    }

    /** {@return whether at least one byte can be written without growing} */
    public boolean isWritable() {
        return capacity > writerIndex;
    }

    /** Sets both indices to 0; the content is left as it is. */
    public Buffer clear() {
        readerIndex = 0;
        writerIndex = 0;
        return this;
    }

    /** Advances the reader index over {@code length} readable bytes. */
    public Buffer skipBytes(int length) {
        checkReadable(length);
        readerIndex += length;
        return this;
    }

    /**
     * Makes sure {@code minWritableBytes} (at least 0) can be written. A root short of room
     * grows to the largest of double its capacity, 64 bytes and {@code writerIndex() +
     * minWritableBytes}, capped at {@link #maxCapacity()}: it takes a new block from the
     * allocator, copies the whole old capacity, gives the old block back; its views follow.
     *
     * @throws IndexOutOfBoundsException if a view lacks the room, or a root would exceed its max capacity
     */
    public Buffer ensureWritable(int minWritableBytes) {
        ensureAccessible();
        BufferChecks.checkMinWritableBytes(minWritableBytes);
        if (minWritableBytes > capacity - writerIndex) {
            grow(minWritableBytes);
        }
        return this;
    }

    private void grow(int minWritableBytes) {
        BufferChecks.checkGrowable(this, root, minWritableBytes);
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
        return this;
    }

    /** Stores the low 8 bits of {@code value} at {@code index}. */
    public Buffer setByte(int index, int value) {
        checkIndex(index, 1);
        memory.segment().set(BYTE, offset + index, (byte) value);
        return this;
    }

    /** Stores the low 16 bits of {@code value} at {@code index}. */
    public Buffer setShort(int index, int value) {
        checkIndex(index, Short.BYTES);
        memory.segment().set(SHORT, offset + index, (short) value);
        return this;
    }

    /** Stores the 32-bit {@code value} at {@code index}. */
    public Buffer setInt(int index, int value) {
        checkIndex(index, Integer.BYTES);
        memory.segment().set(INT, offset + index, value);
        return this;
    }

    /** Stores the 64-bit {@code value} at {@code index}. */
    public Buffer setLong(int index, long value) {
        checkIndex(index, Long.BYTES);
        memory.segment().set(LONG, offset + index, value);
        return this;
    }

    /** Copies {@code length} bytes of {@code src} from {@code srcIndex} in at {@code index}. */
    public Buffer setBytes(int index, byte[] src, int srcIndex, int length) {
        checkIndex(index, length);
        Objects.checkFromIndexSize(srcIndex, length, src.length);
        MemorySegment.copy(src, srcIndex, memory.segment(), BYTE, offset + index, length);
        return this;
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
        return this;
    }

    /**
     * Reads the next {@code length} bytes as a view sharing this memory, nothing copied. The
     * view holds a reference of its own (the count goes up by 1), which the caller must release.
     *
     * @return a retained slice of the next {@code length} readable bytes
     */
    public Buffer readBytes(int length) {
        checkReadable(length);
        Buffer slice = retainedSlice(readerIndex, length);
        readerIndex += length;
        return slice;
    }

    // ---------------------------------------------------------------- relative write

    /** Appends the low 8 bits of {@code value}, growing the buffer if needed. */
    public Buffer writeByte(int value) {
        ensureWritable(1);
        memory.segment().set(BYTE, offset + writerIndex++, (byte) value);
        return this;
    }

    /** Appends the low 16 bits of {@code value}, growing the buffer if needed. */
    public Buffer writeShort(int value) {
        ensureWritable(Short.BYTES);
        memory.segment().set(SHORT, offset + writerIndex, (short) value);
        writerIndex += Short.BYTES;
        return this;
    }

    /** Appends the 32-bit {@code value}, growing the buffer if needed. */
    public Buffer writeInt(int value) {
        ensureWritable(Integer.BYTES);
        memory.segment().set(INT, offset + writerIndex, value);
        writerIndex += Integer.BYTES;
        return this;
    }

    /** Appends the 64-bit {@code value}, growing the buffer if needed. */
    public Buffer writeLong(long value) {
        ensureWritable(Long.BYTES);
        memory.segment().set(LONG, offset + writerIndex, value);
        writerIndex += Long.BYTES;
        return this;
    }

    /** Appends all of {@code src}. */
    public Buffer writeBytes(byte[] src) {
        return writeBytes(src, 0, src.length);
    }

    /** Appends {@code length} bytes of {@code src} from {@code srcIndex}. */
    public Buffer writeBytes(byte[] src, int srcIndex, int length) {
        Objects.checkFromIndexSize(srcIndex, length, src.length);
        ensureWritable(length);
        MemorySegment.copy(src, srcIndex, memory.segment(), BYTE, offset + writerIndex, length);
        writerIndex += length;
        return this;
    }

    /** Appends the remaining bytes of {@code src} (heap or direct, even a view of this buffer), emptying it. */
    public Buffer writeBytes(ByteBuffer src) {
        writeSegment(MemorySegment.ofBuffer(src));
        src.position(src.limit());
        return this;
    }

    /** Appends all bytes of {@code src}, heap or native, even a view of this buffer. */
    public Buffer writeBytes(MemorySegment src) {
        writeSegment(src);
        return this;
    }

    private void writeSegment(MemorySegment src) {
        ensureAccessible();
        BufferChecks.checkFits(this, src.byteSize());
        int length = (int) src.byteSize();
        if (length > capacity - writerIndex) {
            src = BufferCopies.detach(src, memory);
        }
        ensureWritable(length);
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
        ensureWritable(length);
        // Locate the source only now: growing this buffer may have moved src's memory too.
        MemorySegment.copy(src.memory.segment(), src.offset + src.readerIndex,
                memory.segment(), offset + writerIndex, length);
        src.readerIndex += length;
        writerIndex += length;
        return this;
    }

    /** Appends {@code text} encoded in {@code charset}; {@return the number of bytes written} */
    public int writeCharSequence(CharSequence text, Charset charset) {
        return BufferCopies.writeCharSequence(this, text, charset);
    }

    // ---------------------------------------------------------------- search, native views, copies

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
     * {@return the native address of index 0}, for system calls made directly: a read of
     * {@code n <= writableBytes()} bytes into {@code memoryAddress() + writerIndex()}, then
     * {@code writerIndex(writerIndex() + n)}. Valid while the buffer is referenced and does not grow.
     */
    public long memoryAddress() {
        ensureAccessible();
        return memory.address() + offset;
    }

    /**
     * {@return a segment over the whole capacity, sharing this memory} It carries no
     * lifetime check of its own: do not use it after the buffer is freed or grows.
     */
    public MemorySegment segment() {
        ensureAccessible();
        return memory.segment().asSlice(offset, capacity);
    }

    /** {@return a segment over the readable bytes, sharing this memory, with the caveats of {@link #segment()}} */
    public MemorySegment readableSegment() {
        ensureAccessible();
        return memory.segment().asSlice(offset + readerIndex, writerIndex - readerIndex);
    }

    /**
     * {@return a direct, big-endian {@link ByteBuffer} over the readable bytes, sharing this
     * memory} Its position (0) and limit ({@link #readableBytes()}) are its own; with the
     * caveats of {@link #segment()}.
     */
    public ByteBuffer nioBuffer() {
        return readableSegment().asByteBuffer();
    }

    /** {@return a copy of the readable bytes}; no index moves. */
    public byte[] toByteArray() {
        ensureAccessible();
        byte[] bytes = new byte[writerIndex - readerIndex];
        MemorySegment.copy(memory.segment(), BYTE, offset + readerIndex, bytes, 0, bytes.length);
        return bytes;
    }

    /** {@return the readable bytes decoded from {@code charset}}; no index moves. */
    public String toString(Charset charset) {
        return new String(toByteArray(), charset);
    }

    /** {@return for debugging, the indices and reference count}, e.g. {@code Buffer(ridx: 0, widx: 5, cap: 64, refCnt: 1)}; works once freed too. */
    @Override
    public String toString() {
        return "Buffer(ridx: " + readerIndex + ", widx: " + writerIndex + ", cap: " + capacity
                + ", refCnt: " + memory.refCnt() + ")";
    }

    // ---------------------------------------------------------------- views

    /** {@return a view of the readable bytes, like {@code slice(readerIndex(), readableBytes())}} */
    public Buffer slice() {
        return slice(readerIndex, writerIndex - readerIndex);
    }

    /**
     * {@return a view of {@code [index, index + length)}, sharing memory and reference count}
     * It takes no reference, cannot grow, and starts with reader index 0 and writer index {@code length}.
     */
    public Buffer slice(int index, int length) {
        checkIndex(index, length);
        return view(index, length, 0, length);
    }

    /** {@return a view of the whole buffer with a copy of its indices, sharing memory and reference count} It takes no reference and cannot grow. */
    public Buffer duplicate() {
        ensureAccessible();
        return view(0, capacity, readerIndex, writerIndex);
    }

    /** {@return a {@link #slice()} holding a reference the caller must release} */
    public Buffer retainedSlice() {
        return retainedSlice(readerIndex, writerIndex - readerIndex);
    }

    /** {@return a {@link #slice(int, int)} holding a reference the caller must release} */
    public Buffer retainedSlice(int index, int length) {
        Buffer slice = slice(index, length);
        memory.retain(1);
        return slice;
    }

    /** {@return a {@link #duplicate()} holding a reference the caller must release} */
    public Buffer retainedDuplicate() {
        Buffer duplicate = duplicate();
        memory.retain(1);
        return duplicate;
    }

    // ---------------------------------------------------------------- reference counting

    /** {@return the reference count shared by this buffer's root and all its views; 0 once freed} */
    public int refCnt() {
        return memory.refCnt();
    }

    /** Adds one reference; fails if the buffer was freed. */
    public Buffer retain() {
        memory.retain(1);
        return this;
    }

    /** Adds {@code increment} (at least 1) references; fails if the buffer was freed or the count would overflow. */
    public Buffer retain(int increment) {
        memory.retain(increment);
        return this;
    }

    /** Drops one reference; {@return true if it was the last and the memory was freed} */
    public boolean release() {
        return memory.release(1);
    }

    /** Drops {@code decrement} (at least 1) references; {@return true if they were the last and the memory was freed} */
    public boolean release(int decrement) {
        return memory.release(decrement);
    }

    /**
     * Records {@code hint} (say, the handler that last held the buffer) for leak reports;
     * cheap enough for every hand-over. The root and its views keep only the latest hint.
     */
    public Buffer touch(Object hint) {
        memory.touch(hint);
        return this;
    }

    /** {@return the latest hint given to {@link #touch}, by this buffer or any view; for leak reports} */
    Object hint() {
        return memory.hint();
    }

    /** {@return whether {@code other} shares this buffer's memory and reference count (same root)} */
    public boolean sharesReferenceCount(Buffer other) {
        return other != null && other.memory == memory;
    }

    // ---------------------------------------------------------------- checks

    private void ensureAccessible() {
        int refCnt = memory.refCnt();
        if (refCnt == 0) {
            throw BufferChecks.freed(refCnt);
        }
    }

    private void checkIndex(int index, int length) {
        ensureAccessible();
        BufferChecks.checkIndex(index, length, capacity);
    }

    private void checkReadable(int length) {
        ensureAccessible();
        BufferChecks.checkReadable(this, length);
    }
}
