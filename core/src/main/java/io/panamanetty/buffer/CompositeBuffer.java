package io.panamanetty.buffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.Charset;
import java.util.Objects;

/**
 * Several buffers read as one, without copying them (Netty's {@code CompositeByteBuf}): a
 * header and a body, say, written to a channel in one {@code writev} of all components.
 *
 * <pre>{@code
 * Buffer header = ctx.alloc().allocate(4).writeInt(body.readableBytes());
 * ctx.write(ctx.alloc().compositeBuffer().addComponent(header).addComponent(body));
 * }</pre>
 *
 * <p>Each component added gives the composite its reference (as a write would) and
 * contributes its readable bytes at the time, after those already there. The composite has
 * indices of its own over the bytes of all components: the reader index moves as it is read,
 * the writer index is the total length (it only grows as components are added; bytes are
 * written into the components, not into the composite). Reads ({@code get*}, {@code read*},
 * search) work across component boundaries, big-endian, or little-endian for {@code *LE}.
 *
 * <h2>References</h2>
 * A composite has one reference count of its own, 1 when made; its last {@link #release()}
 * releases every component, so it is released as one. {@link #retainedSlice(int, int)} makes
 * another composite over retained slices of the components concerned (no copy), which the
 * caller releases. Written to a channel, the composite's reference passes to the channel like
 * a buffer's, and its readable components are sent together; the components go to the socket
 * as they are (a component wrapping a heap array is copied, see {@link WrappedBuffers}). The
 * framework's safety net (releasing a buffer a {@code channelRead} neither passed on nor
 * released) covers {@link Buffer}s, not composites: release or pass on the composites you
 * make. To add a buffer received in {@code channelRead}, add {@code in.retain()}: the
 * composite then holds a reference of its own, and the framework drops the callback's.
 *
 * <p>Like a pooled buffer object, a released composite is reused for a later
 * {@link #create()} on the same thread (see {@code io.panamanetty.allocator.recycle} on
 * {@link PooledBufferAllocator}): do not use one after releasing it. The indices are not
 * thread-safe; the reference count is.
 */
public final class CompositeBuffer implements GatheredBuffers {
    private static final VarHandle REF_CNT;

    static {
        try {
            REF_CNT = MethodHandles.lookup().findVarHandle(CompositeBuffer.class, "refCnt", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final CompositeParts parts = new CompositeParts();
    private volatile int refCnt = 1;
    private int readerIndex;

    private CompositeBuffer() {
    }

    /** {@return an empty composite with a count of 1} Allocates nothing when a released one can be reused. */
    public static CompositeBuffer create() {
        CompositeBuffer reused = CompositeBufferPool.take();
        if (reused == null) {
            return new CompositeBuffer();
        }
        reused.refCnt = 1;
        return reused;
    }

    /** {@return a composite of {@code buffers}, in order, whose references it takes over} */
    public static CompositeBuffer of(Buffer... buffers) {
        CompositeBuffer composite = create();
        for (Buffer buffer : buffers) {
            composite.addComponent(buffer);
        }
        return composite;
    }

    /**
     * Appends the readable bytes of {@code buffer}, taking over its reference (even if it
     * throws: a refused buffer is released). An empty buffer is released at once.
     *
     * @throws IllegalReferenceCountException if this composite or {@code buffer} was freed
     * @throws IllegalArgumentException if the total would exceed {@link BufferAllocator#MAX_CAPACITY}
     */
    public CompositeBuffer addComponent(Buffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
        try {
            ensureAccessible();
            if (!buffer.isReadable()) {
                buffer.release();
                return this;
            }
            parts.add(buffer);
        } catch (RuntimeException e) {
            if (buffer.refCnt() > 0) {
                buffer.release();
            }
            throw e;
        }
        return this;
    }

    /** {@return how many components were added (empty ones are not kept)} */
    public int numComponents() {
        return parts.count;
    }

    /** {@return the {@code index}-th component, still owned by the composite: read it, do not release it} */
    public Buffer component(int index) {
        Objects.checkIndex(index, parts.count);
        return parts.buffers[index];
    }

    // ---------------------------------------------------------------- indices

    /** {@return the index of the next byte to read} */
    public int readerIndex() {
        return readerIndex;
    }

    /** Moves the reader index, between 0 and {@link #writerIndex()}. */
    public CompositeBuffer readerIndex(int readerIndex) {
        BufferChecks.checkReaderIndex(readerIndex, parts.length());
        this.readerIndex = readerIndex;
        return this;
    }

    /** {@return the total length of the components: the end of the readable bytes} */
    public int writerIndex() {
        return parts.length();
    }

    /** {@return {@code writerIndex() - readerIndex()}} */
    public int readableBytes() {
        return parts.length() - readerIndex;
    }

    /** {@return whether at least one byte is readable} */
    public boolean isReadable() {
        return readableBytes() > 0;
    }

    /** Advances the reader index over {@code length} readable bytes. */
    public CompositeBuffer skipBytes(int length) {
        checkReadable(length);
        readerIndex += length;
        return this;
    }

    // ---------------------------------------------------------------- reads

    /** {@return the byte at {@code index}} */
    public byte getByte(int index) {
        checkIndex(index, 1);
        int i = parts.locate(index);
        return parts.buffers[i].getByte(parts.local(i, index));
    }

    /** {@return the byte at {@code index}, unsigned} */
    public int getUnsignedByte(int index) {
        return getByte(index) & 0xFF;
    }

    /** {@return the big-endian 16-bit value at {@code index}} */
    public short getShort(int index) {
        return (short) bits(index, Short.BYTES, false);
    }

    /** {@return the big-endian 16-bit value at {@code index}, unsigned} */
    public int getUnsignedShort(int index) {
        return getShort(index) & 0xFFFF;
    }

    /** {@return the little-endian 16-bit value at {@code index}} */
    public short getShortLE(int index) {
        return (short) bits(index, Short.BYTES, true);
    }

    /** {@return the big-endian 32-bit value at {@code index}} */
    public int getInt(int index) {
        return (int) bits(index, Integer.BYTES, false);
    }

    /** {@return the big-endian 32-bit value at {@code index}, unsigned} */
    public long getUnsignedInt(int index) {
        return getInt(index) & 0xFFFF_FFFFL;
    }

    /** {@return the little-endian 32-bit value at {@code index}} */
    public int getIntLE(int index) {
        return (int) bits(index, Integer.BYTES, true);
    }

    /** {@return the big-endian 64-bit value at {@code index}} */
    public long getLong(int index) {
        return bits(index, Long.BYTES, false);
    }

    /** {@return the little-endian 64-bit value at {@code index}} */
    public long getLongLE(int index) {
        return bits(index, Long.BYTES, true);
    }

    /** {@return the byte at the reader index, which advances by 1} */
    public byte readByte() {
        checkReadable(1);
        return getByte(readerIndex++);
    }

    /** {@return the byte at the reader index, unsigned; it advances by 1} */
    public int readUnsignedByte() {
        return readByte() & 0xFF;
    }

    /** {@return the big-endian 16-bit value at the reader index, which advances by 2} */
    public short readShort() {
        checkReadable(Short.BYTES);
        short value = getShort(readerIndex);
        readerIndex += Short.BYTES;
        return value;
    }

    /** {@return the big-endian 16-bit value at the reader index, unsigned; it advances by 2} */
    public int readUnsignedShort() {
        return readShort() & 0xFFFF;
    }

    /** {@return the big-endian 32-bit value at the reader index, which advances by 4} */
    public int readInt() {
        checkReadable(Integer.BYTES);
        int value = getInt(readerIndex);
        readerIndex += Integer.BYTES;
        return value;
    }

    /** {@return the big-endian 32-bit value at the reader index, unsigned; it advances by 4} */
    public long readUnsignedInt() {
        return readInt() & 0xFFFF_FFFFL;
    }

    /** {@return the big-endian 64-bit value at the reader index, which advances by 8} */
    public long readLong() {
        checkReadable(Long.BYTES);
        long value = getLong(readerIndex);
        readerIndex += Long.BYTES;
        return value;
    }

    /** Copies {@code length} bytes from {@code index} into {@code dst} at {@code dstIndex}, component by component. */
    public CompositeBuffer getBytes(int index, byte[] dst, int dstIndex, int length) {
        checkIndex(index, length);
        Objects.checkFromIndexSize(dstIndex, length, dst.length);
        while (length > 0) {
            int i = parts.locate(index);
            int n = Math.min(length, parts.ends[i] - index);
            parts.buffers[i].getBytes(parts.local(i, index), dst, dstIndex, n);
            index += n;
            dstIndex += n;
            length -= n;
        }
        return this;
    }

    /** Reads {@code dst.length} bytes into {@code dst}. */
    public CompositeBuffer readBytes(byte[] dst) {
        checkReadable(dst.length);
        getBytes(readerIndex, dst, 0, dst.length);
        readerIndex += dst.length;
        return this;
    }

    /** {@return a copy of the readable bytes} No index moves. */
    public byte[] toByteArray() {
        ensureAccessible();
        byte[] bytes = new byte[readableBytes()];
        getBytes(readerIndex, bytes, 0, bytes.length);
        return bytes;
    }

    /** {@return the readable bytes decoded from {@code charset}} No index moves. */
    public String toString(Charset charset) {
        return new String(toByteArray(), charset);
    }

    /** {@return a new buffer of {@code allocator} holding a copy of the readable bytes, in one piece} */
    public Buffer copy(BufferAllocator allocator) {
        ensureAccessible();
        Buffer copy = allocator.allocate(readableBytes());
        try {
            for (int i = readerIndex < parts.length() ? parts.locate(readerIndex) : parts.count; i < parts.count; i++) {
                int from = Math.max(readerIndex, parts.start(i));
                copy.writeBytes(parts.buffers[i].slice(parts.local(i, from), parts.ends[i] - from));
            }
            return copy;
        } catch (RuntimeException | Error e) {
            copy.release();
            throw e;
        }
    }

    // ---------------------------------------------------------------- search

    /**
     * Hands the readable bytes to {@code processor}, first to last, until it returns false.
     *
     * @return the index at which it returned false, or -1
     */
    public int forEachByte(ByteProcessor processor) {
        ensureAccessible();
        for (int index = readerIndex, end = parts.length(); index < end; ) {
            int i = parts.locate(index);
            int found = parts.buffers[i].forEachByte(parts.local(i, index), parts.ends[i] - index, processor);
            if (found >= 0) {
                return index + found - parts.local(i, index);
            }
            index = parts.ends[i];
        }
        return -1;
    }

    /** {@return how many readable bytes come before the first {@code value}, or -1 if none is readable} */
    public int bytesBefore(byte value) {
        int found = forEachByte(b -> b != value);
        return found < 0 ? -1 : found - readerIndex;
    }

    // ---------------------------------------------------------------- views

    /** {@return {@code retainedSlice(readerIndex(), readableBytes())}} */
    public CompositeBuffer retainedSlice() {
        return retainedSlice(readerIndex, readableBytes());
    }

    /**
     * {@return a new composite over {@code [index, index + length)}, made of retained slices of
     * the components concerned} Nothing is copied; the caller owns (and releases) the result.
     */
    public CompositeBuffer retainedSlice(int index, int length) {
        checkIndex(index, length);
        CompositeBuffer slice = create();
        try {
            for (int end = index + length; index < end; ) {
                int i = parts.locate(index);
                int n = Math.min(end, parts.ends[i]) - index;
                slice.addComponent(parts.buffers[i].retainedSlice(parts.local(i, index), n));
                index += n;
            }
            return slice;
        } catch (RuntimeException | Error e) {
            slice.release();
            throw e;
        }
    }

    // ---------------------------------------------------------------- gathering

    @Override
    public int componentCount() {
        ensureAccessible();
        return readerIndex < parts.length() ? parts.count - parts.locate(readerIndex) : 0;
    }

    @Override
    public Buffer takeComponent(int index) {
        int count = componentCount();
        Objects.checkIndex(index, count);
        int i = parts.count - count + index;
        Buffer buffer = parts.buffers[i];
        if (buffer == null) {
            throw new IllegalStateException("component " + index + " was taken already");
        }
        int from = Math.max(readerIndex, parts.start(i));
        int base = parts.local(i, from);
        int end = parts.bases[i] + parts.ends[i] - parts.start(i);
        if (refCnt != 1) {
            return buffer.retainedSlice(base, end - base);   // others share this composite: leave its parts alone
        }
        parts.buffers[i] = null;
        if (base > buffer.writerIndex()) {
            buffer.writerIndex(end).readerIndex(base);
        } else {
            buffer.readerIndex(base).writerIndex(end);
        }
        return buffer;
    }

    // ---------------------------------------------------------------- reference counting

    @Override
    public int refCnt() {
        return refCnt;
    }

    @Override
    public CompositeBuffer retain() {
        for (;;) {
            int current = refCnt;
            if (current == 0 || current == Integer.MAX_VALUE) {
                throw new IllegalReferenceCountException(current, 1);
            }
            if (REF_CNT.weakCompareAndSet(this, current, current + 1)) {
                return this;
            }
        }
    }

    /**
     * Drops one reference; the last releases every component and frees the composite for reuse.
     *
     * @return true if the count dropped to 0
     */
    @Override
    public boolean release() {
        for (;;) {
            int current = refCnt;
            if (current == 0) {
                throw new IllegalReferenceCountException(0, -1);
            }
            if (REF_CNT.weakCompareAndSet(this, current, current - 1)) {
                if (current > 1) {
                    return false;
                }
                RuntimeException failure = parts.releaseAll();
                readerIndex = 0;
                CompositeBufferPool.give(this);
                if (failure != null) {
                    throw failure;
                }
                return true;
            }
        }
    }

    /** Passes {@code hint} to every component, for leak reports. */
    @Override
    public CompositeBuffer touch(Object hint) {
        for (int i = 0; i < parts.count; i++) {
            if (parts.buffers[i] != null) {
                parts.buffers[i].touch(hint);
            }
        }
        return this;
    }

    /** {@return the indices, component count and reference count, for debugging} */
    @Override
    public String toString() {
        return "CompositeBuffer(ridx: " + readerIndex + ", widx: " + parts.length() + ", components: " + parts.count
                + ", refCnt: " + refCnt + ")";
    }

    // ---------------------------------------------------------------- helpers

    /** Reads {@code size} bytes at {@code index} as one number, from one component when they lie in one. */
    private long bits(int index, int size, boolean littleEndian) {
        checkIndex(index, size);
        int i = parts.locate(index);
        if (index + size <= parts.ends[i]) {
            Buffer buffer = parts.buffers[i];
            int at = parts.local(i, index);
            return switch (size) {
                case Short.BYTES -> littleEndian ? buffer.getShortLE(at) : buffer.getShort(at);
                case Integer.BYTES -> littleEndian ? buffer.getIntLE(at) : buffer.getInt(at);
                default -> littleEndian ? buffer.getLongLE(at) : buffer.getLong(at);
            };
        }
        long value = 0;
        for (int j = 0; j < size; j++) {
            long b = getByte(index + j) & 0xFFL;
            value |= littleEndian ? b << (8 * j) : b << (8 * (size - 1 - j));
        }
        return value;
    }

    private void ensureAccessible() {
        if (refCnt == 0) {
            throw BufferChecks.freed(0);
        }
    }

    private void checkIndex(int index, int length) {
        ensureAccessible();
        BufferChecks.checkIndex(index, length, parts.length());
    }

    private void checkReadable(int length) {
        ensureAccessible();
        if (length < 0 || length > readableBytes()) {
            throw new IndexOutOfBoundsException("readerIndex(" + readerIndex + ") + length(" + length
                    + ") exceeds writerIndex(" + parts.length() + "): " + this);
        }
    }
}
