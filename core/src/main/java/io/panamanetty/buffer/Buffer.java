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
 * and fails with an {@link IndexOutOfBoundsException} naming the indices involved.
 *
 * <h2>Views and growth</h2>
 * A buffer made by an allocator is a <em>root</em>. {@link #slice(int, int)},
 * {@link #duplicate()} and their {@code retained} forms make <em>views</em>: buffers with
 * their own indices over (part of) the same memory, sharing the root's single reference
 * count. A root grows on demand ({@link #ensureWritable(int)}): it takes a larger block
 * from its allocator (at least double the capacity, at most {@link #maxCapacity()}), copies
 * the content and gives the old block back; existing views follow it to the new block. A
 * view has a fixed capacity and never grows. An address or segment obtained earlier
 * ({@link #memoryAddress()}, {@link #segment()}, {@link #nioBuffer()}) is stale after growth.
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
 * // 5. Writing one buffer twice: each write takes a reference, so the handler needs a
 * //    second one before the second write. retain() gives it, but both writes would then
 * //    share one pair of indices, and the write path consumes the readable bytes of what
 * //    it sends; a retainedDuplicate() gives the extra write its own reference AND its own
 * //    indices, and is the form to use (always, when the two writes go to channels of
 * //    different event loops, as indices are not thread-safe).
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
    private static final ValueLayout.OfShort SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
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
        this.memory = new SharedMemory(owner, address, capacity);
        this.offset = 0;
        this.root = true;
        this.capacity = capacity;
        this.maxCapacity = maxCapacity;
    }

    /** A view: a fixed-capacity window on the memory of a root. */
    private Buffer(SharedMemory memory, int offset, int capacity, int readerIndex, int writerIndex) {
        this.memory = memory;
        this.offset = offset;
        this.root = false;
        this.capacity = capacity;
        this.maxCapacity = capacity;
        this.readerIndex = readerIndex;
        this.writerIndex = writerIndex;
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

    /**
     * Moves the reader index.
     *
     * @param readerIndex the new index, between 0 and {@link #writerIndex()}
     * @return this buffer
     * @throws IndexOutOfBoundsException if out of that range
     */
    public Buffer readerIndex(int readerIndex) {
        if (readerIndex < 0 || readerIndex > writerIndex) {
            throw new IndexOutOfBoundsException("readerIndex: " + readerIndex
                    + " (expected: 0 <= readerIndex <= writerIndex(" + writerIndex + "))");
        }
        this.readerIndex = readerIndex;
        return this;
    }

    /** {@return the index where the next byte is written} */
    public int writerIndex() {
        return writerIndex;
    }

    /**
     * Moves the writer index, for instance after native code wrote {@code n} bytes at
     * {@code memoryAddress() + writerIndex()}: {@code writerIndex(writerIndex() + n)}.
     *
     * @param writerIndex the new index, between {@link #readerIndex()} and {@link #capacity()}
     * @return this buffer
     * @throws IndexOutOfBoundsException if out of that range
     */
    public Buffer writerIndex(int writerIndex) {
        if (writerIndex < readerIndex || writerIndex > capacity) {
            throw new IndexOutOfBoundsException("writerIndex: " + writerIndex + " (expected: readerIndex("
                    + readerIndex + ") <= writerIndex <= capacity(" + capacity + "))");
        }
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

    /**
     * Sets both indices to 0; the content is left as it is.
     *
     * @return this buffer
     */
    public Buffer clear() {
        readerIndex = 0;
        writerIndex = 0;
        return this;
    }

    /**
     * Advances the reader index by {@code length}.
     *
     * @param length how many readable bytes to skip
     * @return this buffer
     * @throws IndexOutOfBoundsException if fewer than {@code length} bytes are readable
     */
    public Buffer skipBytes(int length) {
        checkReadable(length);
        readerIndex += length;
        return this;
    }

    /**
     * Makes sure {@code minWritableBytes} bytes can be written, growing a root buffer if
     * needed: to at least double its capacity (at least 64 bytes), and at
     * least {@code writerIndex() + minWritableBytes}, but not beyond {@link #maxCapacity()}.
     * Growth takes a new block from the allocator, copies the whole old capacity and gives
     * the old block back; views of this buffer follow it.
     *
     * @param minWritableBytes the bytes about to be written
     * @return this buffer
     * @throws IllegalArgumentException         if {@code minWritableBytes} is negative
     * @throws IndexOutOfBoundsException        if this is a view (which cannot grow) without
     *                                          enough room, or if growing would exceed
     *                                          {@link #maxCapacity()}
     * @throws IllegalReferenceCountException   if the buffer was freed
     */
    public Buffer ensureWritable(int minWritableBytes) {
        ensureAccessible();
        if (minWritableBytes < 0) {
            throw new IllegalArgumentException("minWritableBytes: " + minWritableBytes + " (expected: >= 0)");
        }
        if (minWritableBytes <= capacity - writerIndex) {
            return this;
        }
        long required = (long) writerIndex + minWritableBytes;
        if (!root) {
            throw new IndexOutOfBoundsException("a slice or duplicate cannot grow: writerIndex(" + writerIndex
                    + ") + minWritableBytes(" + minWritableBytes + ") exceeds capacity(" + capacity + "): " + this);
        }
        if (required > maxCapacity) {
            throw new IndexOutOfBoundsException("writerIndex(" + writerIndex + ") + minWritableBytes("
                    + minWritableBytes + ") exceeds maxCapacity(" + maxCapacity + "): " + this);
        }
        long doubled = Math.max(MIN_GROWTH, 2L * capacity);
        int newCapacity = (int) Math.min(maxCapacity, Math.max(required, doubled));
        memory.grow(newCapacity);
        capacity = newCapacity;
        return this;
    }

    // ---------------------------------------------------------------- absolute get / set

    /**
     * Reads a byte at an absolute index.
     *
     * @param index the absolute index
     * @return the byte at {@code index}
     */
    public byte getByte(int index) {
        checkIndex(index, 1);
        return memory.segment().get(BYTE, offset + index);
    }

    /**
     * Reads an unsigned byte at an absolute index.
     *
     * @param index the absolute index
     * @return the byte at {@code index} as an unsigned value, 0 to 255
     */
    public int getUnsignedByte(int index) {
        return getByte(index) & 0xFF;
    }

    /**
     * Reads a 16-bit value at an absolute index.
     *
     * @param index the absolute index of the first byte
     * @return the big-endian 16-bit value at {@code index}
     */
    public short getShort(int index) {
        checkIndex(index, Short.BYTES);
        return memory.segment().get(SHORT, offset + index);
    }

    /**
     * Reads an unsigned 16-bit value at an absolute index.
     *
     * @param index the absolute index of the first byte
     * @return the big-endian 16-bit value at {@code index} as an unsigned value, 0 to 65535
     */
    public int getUnsignedShort(int index) {
        return getShort(index) & 0xFFFF;
    }

    /**
     * Reads a 32-bit value at an absolute index.
     *
     * @param index the absolute index of the first byte
     * @return the big-endian 32-bit value at {@code index}
     */
    public int getInt(int index) {
        checkIndex(index, Integer.BYTES);
        return memory.segment().get(INT, offset + index);
    }

    /**
     * Reads an unsigned 32-bit value at an absolute index.
     *
     * @param index the absolute index of the first byte
     * @return the big-endian 32-bit value at {@code index} as an unsigned value
     */
    public long getUnsignedInt(int index) {
        return getInt(index) & 0xFFFF_FFFFL;
    }

    /**
     * Reads a 64-bit value at an absolute index.
     *
     * @param index the absolute index of the first byte
     * @return the big-endian 64-bit value at {@code index}
     */
    public long getLong(int index) {
        checkIndex(index, Long.BYTES);
        return memory.segment().get(LONG, offset + index);
    }

    /**
     * Copies bytes out without moving the indices.
     *
     * @param index    the absolute index of the first byte
     * @param dst      where to copy to
     * @param dstIndex the first index in {@code dst}
     * @param length   how many bytes
     * @return this buffer
     */
    public Buffer getBytes(int index, byte[] dst, int dstIndex, int length) {
        checkIndex(index, length);
        Objects.checkFromIndexSize(dstIndex, length, dst.length);
        MemorySegment.copy(memory.segment(), BYTE, offset + index, dst, dstIndex, length);
        return this;
    }

    /**
     * Stores a byte at an absolute index.
     *
     * @param index the absolute index
     * @param value the byte to store (its low 8 bits)
     * @return this buffer
     */
    public Buffer setByte(int index, int value) {
        checkIndex(index, 1);
        memory.segment().set(BYTE, offset + index, (byte) value);
        return this;
    }

    /**
     * Stores a 16-bit value at an absolute index.
     *
     * @param index the absolute index of the first byte
     * @param value the value to store big-endian (its low 16 bits)
     * @return this buffer
     */
    public Buffer setShort(int index, int value) {
        checkIndex(index, Short.BYTES);
        memory.segment().set(SHORT, offset + index, (short) value);
        return this;
    }

    /**
     * Stores a 32-bit value at an absolute index.
     *
     * @param index the absolute index of the first byte
     * @param value the value to store big-endian
     * @return this buffer
     */
    public Buffer setInt(int index, int value) {
        checkIndex(index, Integer.BYTES);
        memory.segment().set(INT, offset + index, value);
        return this;
    }

    /**
     * Stores a 64-bit value at an absolute index.
     *
     * @param index the absolute index of the first byte
     * @param value the value to store big-endian
     * @return this buffer
     */
    public Buffer setLong(int index, long value) {
        checkIndex(index, Long.BYTES);
        memory.segment().set(LONG, offset + index, value);
        return this;
    }

    /**
     * Copies bytes in without moving the indices.
     *
     * @param index    the absolute index of the first byte
     * @param src      where to copy from
     * @param srcIndex the first index in {@code src}
     * @param length   how many bytes
     * @return this buffer
     */
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

    /** {@return the big-endian 16-bit value at the reader index, which advances by 2} */
    public short readShort() {
        checkReadable(Short.BYTES);
        short value = memory.segment().get(SHORT, offset + readerIndex);
        readerIndex += Short.BYTES;
        return value;
    }

    /** {@return the big-endian unsigned 16-bit value at the reader index, which advances by 2} */
    public int readUnsignedShort() {
        return readShort() & 0xFFFF;
    }

    /** {@return the big-endian 32-bit value at the reader index, which advances by 4} */
    public int readInt() {
        checkReadable(Integer.BYTES);
        int value = memory.segment().get(INT, offset + readerIndex);
        readerIndex += Integer.BYTES;
        return value;
    }

    /** {@return the big-endian unsigned 32-bit value at the reader index, which advances by 4} */
    public long readUnsignedInt() {
        return readInt() & 0xFFFF_FFFFL;
    }

    /** {@return the big-endian 64-bit value at the reader index, which advances by 8} */
    public long readLong() {
        checkReadable(Long.BYTES);
        long value = memory.segment().get(LONG, offset + readerIndex);
        readerIndex += Long.BYTES;
        return value;
    }

    /**
     * Reads {@code dst.length} bytes into {@code dst}.
     *
     * @param dst where to copy to, filled entirely
     * @return this buffer
     * @throws IndexOutOfBoundsException if fewer bytes are readable
     */
    public Buffer readBytes(byte[] dst) {
        return readBytes(dst, 0, dst.length);
    }

    /**
     * Reads {@code length} bytes into {@code dst} from {@code dstIndex}.
     *
     * @param dst      where to copy to
     * @param dstIndex the first index in {@code dst}
     * @param length   how many bytes
     * @return this buffer
     * @throws IndexOutOfBoundsException if fewer bytes are readable, or the range is outside {@code dst}
     */
    public Buffer readBytes(byte[] dst, int dstIndex, int length) {
        checkReadable(length);
        Objects.checkFromIndexSize(dstIndex, length, dst.length);
        MemorySegment.copy(memory.segment(), BYTE, offset + readerIndex, dst, dstIndex, length);
        readerIndex += length;
        return this;
    }

    /**
     * Reads the next {@code length} bytes as a new view holding its own reference (the
     * count of this buffer goes up by one): the caller owns that reference and must
     * release it. The view shares this buffer's memory; nothing is copied.
     *
     * @param length how many bytes
     * @return a retained slice of the next {@code length} readable bytes
     * @throws IndexOutOfBoundsException if fewer bytes are readable
     */
    public Buffer readBytes(int length) {
        checkReadable(length);
        Buffer slice = retainedSlice(readerIndex, length);
        readerIndex += length;
        return slice;
    }

    // ---------------------------------------------------------------- relative write

    /**
     * Appends a byte, growing the buffer if needed.
     *
     * @param value the byte to append (its low 8 bits)
     * @return this buffer
     */
    public Buffer writeByte(int value) {
        ensureWritable(1);
        memory.segment().set(BYTE, offset + writerIndex++, (byte) value);
        return this;
    }

    /**
     * Appends a 16-bit value, growing the buffer if needed.
     *
     * @param value the value to append big-endian (its low 16 bits)
     * @return this buffer
     */
    public Buffer writeShort(int value) {
        ensureWritable(Short.BYTES);
        memory.segment().set(SHORT, offset + writerIndex, (short) value);
        writerIndex += Short.BYTES;
        return this;
    }

    /**
     * Appends a 32-bit value, growing the buffer if needed.
     *
     * @param value the value to append big-endian
     * @return this buffer
     */
    public Buffer writeInt(int value) {
        ensureWritable(Integer.BYTES);
        memory.segment().set(INT, offset + writerIndex, value);
        writerIndex += Integer.BYTES;
        return this;
    }

    /**
     * Appends a 64-bit value, growing the buffer if needed.
     *
     * @param value the value to append big-endian
     * @return this buffer
     */
    public Buffer writeLong(long value) {
        ensureWritable(Long.BYTES);
        memory.segment().set(LONG, offset + writerIndex, value);
        writerIndex += Long.BYTES;
        return this;
    }

    /**
     * Appends all of {@code src}.
     *
     * @param src the bytes
     * @return this buffer
     */
    public Buffer writeBytes(byte[] src) {
        return writeBytes(src, 0, src.length);
    }

    /**
     * Appends {@code length} bytes of {@code src} from {@code srcIndex}.
     *
     * @param src      the bytes
     * @param srcIndex the first index in {@code src}
     * @param length   how many bytes
     * @return this buffer
     * @throws IndexOutOfBoundsException if the range is outside {@code src}
     */
    public Buffer writeBytes(byte[] src, int srcIndex, int length) {
        Objects.checkFromIndexSize(srcIndex, length, src.length);
        ensureWritable(length);
        MemorySegment.copy(src, srcIndex, memory.segment(), BYTE, offset + writerIndex, length);
        writerIndex += length;
        return this;
    }

    /**
     * Appends the remaining bytes of {@code src} and moves its position to its limit.
     *
     * @param src heap or direct bytes; may be a view of this very buffer
     * @return this buffer
     */
    public Buffer writeBytes(ByteBuffer src) {
        writeSegment(MemorySegment.ofBuffer(src));
        src.position(src.limit());
        return this;
    }

    /**
     * Appends all bytes of {@code src}.
     *
     * @param src heap or native bytes; may be a view of this very buffer
     * @return this buffer
     * @throws IndexOutOfBoundsException if {@code src} does not fit
     */
    public Buffer writeBytes(MemorySegment src) {
        writeSegment(src);
        return this;
    }

    /**
     * Appends the readable bytes of {@code src}, consuming them: the reader index of
     * {@code src} advances by as many bytes. {@code src} keeps its references.
     *
     * @param src the buffer to drain; may share memory with this one
     * @return this buffer
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

    /**
     * Appends {@code text} encoded in {@code charset}.
     *
     * @param text    the characters
     * @param charset their encoding
     * @return the number of bytes written
     */
    public int writeCharSequence(CharSequence text, Charset charset) {
        byte[] bytes = text.toString().getBytes(charset);
        writeBytes(bytes);
        return bytes.length;
    }

    // ---------------------------------------------------------------- search

    /**
     * Finds the first occurrence of {@code value} between two absolute indices. If
     * {@code fromIndex <= toIndex}, searches {@code [fromIndex, toIndex)} forwards;
     * otherwise searches {@code [toIndex, fromIndex)} backwards, from {@code fromIndex - 1}.
     * The indices do not move.
     *
     * @param fromIndex where the search starts, 0 to {@link #capacity()}
     * @param toIndex   where it ends, 0 to {@link #capacity()}
     * @param value     the byte sought
     * @return the absolute index of the byte found, or -1 if absent
     */
    public int indexOf(int fromIndex, int toIndex, byte value) {
        ensureAccessible();
        if (fromIndex < 0 || fromIndex > capacity || toIndex < 0 || toIndex > capacity) {
            throw new IndexOutOfBoundsException("fromIndex: " + fromIndex + ", toIndex: " + toIndex
                    + " (expected: both in range(0, " + capacity + "))");
        }
        MemorySegment segment = memory.segment();
        if (fromIndex <= toIndex) {
            for (int i = fromIndex; i < toIndex; i++) {
                if (segment.get(BYTE, offset + i) == value) {
                    return i;
                }
            }
        } else {
            for (int i = fromIndex - 1; i >= toIndex; i--) {
                if (segment.get(BYTE, offset + i) == value) {
                    return i;
                }
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- native views

    /**
     * The native address of index 0 of this buffer, for system calls made directly: a
     * read of {@code n} bytes into {@code memoryAddress() + writerIndex()} (at most
     * {@link #writableBytes()}) followed by {@code writerIndex(writerIndex() + n)}. Valid
     * while the buffer is referenced and does not grow.
     *
     * @return the address
     * @throws IllegalReferenceCountException if the buffer was freed
     */
    public long memoryAddress() {
        ensureAccessible();
        return memory.address() + offset;
    }

    /**
     * A segment over the whole capacity of this buffer, sharing its memory. It carries
     * no lifetime check of its own: do not use it after the buffer is freed or grows.
     *
     * @return the segment, {@link #capacity()} bytes long
     * @throws IllegalReferenceCountException if the buffer was freed
     */
    public MemorySegment segment() {
        ensureAccessible();
        return memory.segment().asSlice(offset, capacity);
    }

    /**
     * A segment over the readable bytes, {@code [readerIndex, writerIndex)}, sharing this
     * buffer's memory; with the same caveats as {@link #segment()}.
     *
     * @return the segment, {@link #readableBytes()} long
     * @throws IllegalReferenceCountException if the buffer was freed
     */
    public MemorySegment readableSegment() {
        ensureAccessible();
        return memory.segment().asSlice(offset + readerIndex, writerIndex - readerIndex);
    }

    /**
     * A direct {@link ByteBuffer} over the readable bytes, sharing this buffer's memory
     * (position 0, limit {@link #readableBytes()}, big-endian). Its position and limit are
     * independent of this buffer's indices; with the same caveats as {@link #segment()}.
     *
     * @return the view
     * @throws IllegalReferenceCountException if the buffer was freed
     */
    public ByteBuffer nioBuffer() {
        return readableSegment().asByteBuffer();
    }

    // ---------------------------------------------------------------- views

    /**
     * A view of the readable bytes (index 0 of the view is this buffer's reader index),
     * sharing memory and reference count, without taking a reference.
     *
     * @return the view, with reader index 0 and writer index {@link #readableBytes()}
     */
    public Buffer slice() {
        return slice(readerIndex, writerIndex - readerIndex);
    }

    /**
     * A view of {@code [index, index + length)}, sharing memory and reference count,
     * without taking a reference. It cannot grow.
     *
     * @param index  the absolute index where the view starts
     * @param length its capacity
     * @return the view, with reader index 0 and writer index {@code length}
     */
    public Buffer slice(int index, int length) {
        checkIndex(index, length);
        return new Buffer(memory, offset + index, length, 0, length);
    }

    /**
     * A view of the whole buffer with its own copy of the current indices, sharing memory
     * and reference count, without taking a reference. It cannot grow.
     *
     * @return the view
     */
    public Buffer duplicate() {
        ensureAccessible();
        return new Buffer(memory, offset, capacity, readerIndex, writerIndex);
    }

    /**
     * Like {@link #slice()}, and takes a reference that the caller must release.
     *
     * @return the view
     */
    public Buffer retainedSlice() {
        return retainedSlice(readerIndex, writerIndex - readerIndex);
    }

    /**
     * Like {@link #slice(int, int)}, and takes a reference that the caller must release.
     *
     * @param index  the absolute index where the view starts
     * @param length its capacity
     * @return the view
     */
    public Buffer retainedSlice(int index, int length) {
        Buffer slice = slice(index, length);
        memory.retain(1);
        return slice;
    }

    /**
     * Like {@link #duplicate()}, and takes a reference that the caller must release.
     *
     * @return the view
     */
    public Buffer retainedDuplicate() {
        Buffer duplicate = duplicate();
        memory.retain(1);
        return duplicate;
    }

    // ---------------------------------------------------------------- copies

    /**
     * Copies the readable bytes; the indices do not move.
     *
     * @return a new array of {@link #readableBytes()} bytes
     */
    public byte[] toByteArray() {
        ensureAccessible();
        byte[] bytes = new byte[writerIndex - readerIndex];
        MemorySegment.copy(memory.segment(), BYTE, offset + readerIndex, bytes, 0, bytes.length);
        return bytes;
    }

    /**
     * Decodes the readable bytes; the indices do not move.
     *
     * @param charset their encoding
     * @return the text
     */
    public String toString(Charset charset) {
        return new String(toByteArray(), charset);
    }

    /**
     * For debugging, the indices and the reference count, e.g.
     * {@code Buffer(ridx: 0, widx: 5, cap: 64, refCnt: 1)}; works on a freed buffer too.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return "Buffer(ridx: " + readerIndex + ", widx: " + writerIndex + ", cap: " + capacity
                + ", refCnt: " + memory.refCnt() + ")";
    }

    // ---------------------------------------------------------------- reference counting

    /** {@return the reference count shared by this buffer's root and all its views; 0 once freed} */
    public int refCnt() {
        return memory.refCnt();
    }

    /**
     * Adds one reference.
     *
     * @return this buffer
     * @throws IllegalReferenceCountException if the buffer was already freed
     */
    public Buffer retain() {
        memory.retain(1);
        return this;
    }

    /**
     * Adds {@code increment} references.
     *
     * @param increment how many, at least 1
     * @return this buffer
     * @throws IllegalReferenceCountException if the buffer was already freed, or the count would overflow
     */
    public Buffer retain(int increment) {
        memory.retain(increment);
        return this;
    }

    /**
     * Drops one reference, freeing the memory if it was the last.
     *
     * @return true if the count dropped to 0 and the memory was freed
     * @throws IllegalReferenceCountException if the buffer was already freed
     */
    public boolean release() {
        return memory.release(1);
    }

    /**
     * Drops {@code decrement} references, freeing the memory if they were the last.
     *
     * @param decrement how many, at least 1
     * @return true if the count dropped to 0 and the memory was freed
     * @throws IllegalReferenceCountException if fewer references are held
     */
    public boolean release(int decrement) {
        return memory.release(decrement);
    }

    /**
     * Records where the buffer was last seen, for leak reports; cheap enough to call on
     * every hand-over. Only the latest hint is kept, shared by the root and its views.
     *
     * @param hint what to report, for instance the handler that last held the buffer
     * @return this buffer
     */
    public Buffer touch(Object hint) {
        memory.touch(hint);
        return this;
    }

    /** {@return the latest hint given to {@link #touch}, by this buffer or any view; for leak reports} */
    Object hint() {
        return memory.hint();
    }

    /**
     * Tells whether two buffers are views of the same memory.
     *
     * @param other another buffer
     * @return true if both are the same root or views of the same root, hence share one
     *         reference count and one block of memory
     */
    public boolean sharesReferenceCount(Buffer other) {
        return other != null && other.memory == memory;
    }

    // ---------------------------------------------------------------- checks

    private void ensureAccessible() {
        int refCnt = memory.refCnt();
        if (refCnt == 0) {
            throw new IllegalReferenceCountException("buffer used after it was freed (refCnt: " + refCnt + ")");
        }
    }

    private void checkIndex(int index, int length) {
        ensureAccessible();
        if (index < 0 || length < 0 || index > capacity - length) {
            throw new IndexOutOfBoundsException("index: " + index + ", length: " + length
                    + " (expected: range(0, " + capacity + "))");
        }
    }

    private void checkReadable(int length) {
        ensureAccessible();
        if (length < 0) {
            throw new IllegalArgumentException("length: " + length + " (expected: >= 0)");
        }
        if (length > writerIndex - readerIndex) {
            throw new IndexOutOfBoundsException("readerIndex(" + readerIndex + ") + length(" + length
                    + ") exceeds writerIndex(" + writerIndex + "): " + this);
        }
    }

    private void writeSegment(MemorySegment src) {
        ensureAccessible();
        long size = src.byteSize();
        if (size > maxCapacity) {
            throw new IndexOutOfBoundsException("writing " + size + " bytes exceeds maxCapacity("
                    + maxCapacity + "): " + this);
        }
        int length = (int) size;
        if (length > capacity - writerIndex && overlapsMemory(src)) {
            // Growing frees the block src points into: copy src out first.
            src = MemorySegment.ofArray(src.toArray(BYTE));
        }
        ensureWritable(length);
        MemorySegment.copy(src, 0, memory.segment(), offset + writerIndex, length);
        writerIndex += length;
    }

    private boolean overlapsMemory(MemorySegment src) {
        if (!src.isNative()) {
            return false;
        }
        long start = memory.address();
        long end = start + memory.capacity();
        return src.address() < end && src.address() + src.byteSize() > start;
    }
}
