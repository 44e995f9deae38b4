package io.panamanetty.buffer;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

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
 * Multi-byte values are big-endian (network byte order), or little-endian in the methods
 * whose names end in {@code LE}. Every access is bounds-checked
 * and fails with an {@link IndexOutOfBoundsException} naming the indices involved. A
 * method returning a {@code Buffer} returns this one, for chaining, unless it says otherwise.
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
 * {@link #asReadOnly()} makes a view through which nothing can be written.
 *
 * <h2>Memory from elsewhere</h2>
 * {@link WrappedBuffers} makes a root over memory the buffer does not own (a
 * {@link MemorySegment}, a {@link ByteBuffer}, a {@code byte[]}), without copying it: it
 * cannot grow, and its release gives the memory back to its owner instead of freeing it. A
 * buffer over heap memory ({@link #isDirect()} false) has no native address; a channel
 * sending it copies it into a native buffer first.
 *
 * <h2>Reference counting and threads</h2>
 * A new buffer has a reference count of 1. {@link #retain()} adds a reference,
 * {@link #release()} drops one; when the count reaches 0 the memory goes back to the
 * allocator, exactly once, from whichever thread dropped the last reference. Counting is
 * thread-safe (compare-and-set on the state shared by the root and its views), so a buffer
 * may be released on a thread other than the one that allocated it. Using a buffer whose
 * count is 0 (reading, writing, slicing, copying, taking its address), retaining it, or
 * releasing more references than it holds throws {@link IllegalReferenceCountException}
 * and never touches the freed memory. One exception: the {@linkplain PooledBufferAllocator
 * pooled allocator} reuses freed root buffer objects, so a root kept after its release can,
 * once reused, reach another owner's bytes; views of it keep failing (see "Recycled buffer
 * objects" there, and its switch to turn reuse off). The indices and the content are <em>not</em>
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
 * What counts as passing the callback's reference on: passing the buffer itself or a plain
 * view of it ({@link #slice()}, {@link #duplicate()}). A retained view
 * ({@link #retainedSlice()}, {@link #retainedDuplicate()}, {@link #readBytes(int)}) carries a
 * reference of its own, so passing one on leaves the callback's reference to the rule above
 * (released by the framework unless the callback releases it), and releasing the input after
 * taking a retained view is fine. A buffer wrapped inside another object (a decoded message
 * holding a slice, a tuple, a list) and passed on is <em>not</em> seen as passed on: wrap a
 * retained view, so that the wrapper owns a reference of its own, and have whoever consumes
 * the wrapper release it.
 *
 * @see BufferAllocator
 */
public final class Buffer extends TypedAccessors implements ReferenceCounted {

    static {
        io.panamanetty.internal.BufferInternals.install(new io.panamanetty.internal.BufferInternals.Access() {
            @Override
            public Buffer carrier(Buffer buffer) {
                return (Buffer) buffer.carrier;
            }

            @Override
            public int retains(Buffer carrier) {
                return carrier.retainCount;
            }

            @Override
            public int releases(Buffer carrier) {
                return carrier.releaseCount;
            }

            @Override
            public int incarnation(Buffer buffer) {
                return buffer.memory.generation;
            }
        });
    }

    /** A root buffer over a freshly allocated block owned by {@code owner}. */
    Buffer(MemoryOwner owner, long address, int capacity, int maxCapacity) {
        super(new SharedMemory(owner, address, capacity), 0, true, false, capacity, maxCapacity, 0, 0, null);
        memory.root = this;
    }

    /** A root buffer over {@code wrapped}, memory that {@code owner} lends; it cannot grow. */
    Buffer(MemoryOwner owner, MemorySegment wrapped, int writerIndex) {
        super(new SharedMemory(owner, wrapped), 0, true, false, (int) wrapped.byteSize(), (int) wrapped.byteSize(),
                0, writerIndex, null);
        memory.root = this;
    }

    /**
     * Makes this root, freed and recycled by its owner, a new buffer over a freshly
     * allocated block: indices 0, a count of 1, a new generation (views of the previous
     * incarnation are refused from now on). The retain and release counters keep running:
     * the ownership rule compares them before and after a callback, and a callback may
     * release its buffer and get the same object back from its next allocation.
     */
    void reincarnate(MemoryOwner owner, long address, int capacity, int maxCapacity) {
        memory.reincarnate(owner, address, capacity);
        this.generation = memory.generation;
        this.capacity = capacity;
        this.maxCapacity = maxCapacity;
        this.readerIndex = 0;
        this.writerIndex = 0;
        this.markedReaderIndex = 0;
        this.markedWriterIndex = 0;
    }

    /**
     * A view: a fixed-capacity window on {@code [index, index + capacity)} of {@code parent};
     * with {@code ownReference} it carries a reference of its own (a retained view); a view of
     * a read-only buffer, or one made {@code readOnly}, refuses writes.
     */
    private Buffer(Buffer parent, int index, int capacity, int readerIndex, int writerIndex, boolean ownReference,
                   boolean readOnly) {
        super(parent.memory, parent.offset + index, false, readOnly || parent.readOnly, capacity, capacity,
                readerIndex, writerIndex, ownReference ? null : parent.carrier);
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

    // ---------------------------------------------------------------- native views

    /**
     * The native address of index 0, for system calls made directly: a read of {@code n}
     * bytes (at most {@link #writableBytes()}) into {@code memoryAddress() + writerIndex()},
     * then {@code writerIndex(writerIndex() + n)}. Valid while referenced and not grown.
     *
     * @return the address
     */
    public long memoryAddress() {
        ensureAccessible();
        SharedMemory m = memory;
        if (m.borrowed) {
            m.checkAddressable();
        }
        return m.address() + offset;
    }

    /** {@return whether the memory is native, with an address; false for a wrapped heap array} */
    public boolean isDirect() {
        return !memory.onHeap;
    }

    /** {@return whether this is a read-only view, through which every write fails} */
    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * {@return a segment over the whole capacity, sharing this buffer's memory} It carries
     * no lifetime check of its own: do not use it after the buffer is freed or grows.
     */
    public MemorySegment segment() {
        ensureAccessible();
        MemorySegment segment = memory.segment().asSlice(offset, capacity);
        return readOnly ? segment.asReadOnly() : segment;
    }

    /** {@return a segment over the readable bytes, sharing memory, with the caveats of {@link #segment()}} */
    public MemorySegment readableSegment() {
        ensureAccessible();
        MemorySegment segment = memory.segment().asSlice(offset + readerIndex, writerIndex - readerIndex);
        return readOnly ? segment.asReadOnly() : segment;
    }

    /**
     * {@return a big-endian {@link ByteBuffer} over the readable bytes, sharing memory} It is
     * direct unless the buffer wraps a heap array, and read-only for a read-only view.
     * Its position (0) and limit ({@link #readableBytes()}) move independently of this
     * buffer's indices; with the caveats of {@link #segment()}.
     */
    public ByteBuffer nioBuffer() {
        return readableSegment().asByteBuffer();
    }

    /**
     * {@return the indices and the reference count, for debugging} For instance
     * {@code Buffer(ridx: 0, widx: 5, cap: 64, refCnt: 1)}; works on a freed buffer too.
     */
    @Override
    public String toString() {
        return "Buffer(ridx: " + readerIndex + ", widx: " + writerIndex + ", cap: " + capacity
                + ", refCnt: " + refCnt() + ")";
    }

    // ---------------------------------------------------------------- views

    /** {@return a view of the readable bytes: {@code slice(readerIndex(), readableBytes())}} */
    public Buffer slice() {
        return slice(readerIndex, writerIndex - readerIndex);
    }

    /**
     * {@return a view of {@code [index, index + length)}, sharing memory and reference count}
     * It takes no reference, cannot grow, and has reader index 0 and writer index {@code length}.
     */
    public Buffer slice(int index, int length) {
        checkIndex(index, length);
        return new Buffer(this, index, length, 0, length, false, false);
    }

    /**
     * {@return a view of the whole buffer with a copy of its indices, sharing memory and
     * reference count} It takes no reference and cannot grow.
     */
    public Buffer duplicate() {
        ensureAccessible();
        return new Buffer(this, 0, capacity, readerIndex, writerIndex, false, false);
    }

    /**
     * {@return a view of the whole buffer, with a copy of its indices, through which nothing can
     * be written} Reads, index moves, slices and duplicates work as on any view (they are
     * read-only too); every {@code set*}/{@code write*} throws a
     * {@link java.nio.ReadOnlyBufferException}. It shares memory and reference count, taking
     * no reference, like {@link #duplicate()}.
     */
    public Buffer asReadOnly() {
        ensureAccessible();
        return new Buffer(this, 0, capacity, readerIndex, writerIndex, false, true);
    }

    /** {@return a {@link #slice()} holding a reference of its own, which the caller must release} */
    public Buffer retainedSlice() {
        return retainedSlice(readerIndex, writerIndex - readerIndex);
    }

    /** {@return a {@link #slice(int, int)} holding a reference of its own, which the caller must release} */
    public Buffer retainedSlice(int index, int length) {
        checkIndex(index, length);
        memory.retain(1);
        Buffer slice = new Buffer(this, index, length, 0, length, true, false);
        slice.retainCount++;
        return slice;
    }

    /** {@return a {@link #duplicate()} holding a reference of its own, which the caller must release} */
    public Buffer retainedDuplicate() {
        ensureAccessible();
        memory.retain(1);
        Buffer duplicate = new Buffer(this, 0, capacity, readerIndex, writerIndex, true, false);
        duplicate.retainCount++;
        return duplicate;
    }

    /**
     * {@return the next {@code length} readable bytes as a {@link #retainedSlice(int, int)}}
     * Nothing is copied; the reader index advances past them. The caller must release the slice.
     */
    public Buffer readBytes(int length) {
        checkReadable(length);
        Buffer slice = retainedSlice(readerIndex, length);
        readerIndex += length;
        return slice;
    }

    // ---------------------------------------------------------------- reference counting

    /** {@return the reference count shared by this buffer's root and all its views; 0 once freed} */
    public int refCnt() {
        SharedMemory m = memory;
        int refCnt = m.refCnt();
        return generation == m.generation ? refCnt : 0;
    }

    /** Adds one reference; throws {@link IllegalReferenceCountException} if the buffer was freed. */
    public Buffer retain() {
        checkIncarnation(1);
        memory.retain(1);
        carrier.retainCount++;
        return this;
    }

    /** Adds {@code increment} references (at least 1); throws if freed or if the count would overflow. */
    public Buffer retain(int increment) {
        checkIncarnation(increment);
        memory.retain(increment);
        carrier.retainCount += increment;
        return this;
    }

    /**
     * Drops one reference, freeing the memory if it was the last.
     *
     * @return true if the count dropped to 0 and the memory was freed
     */
    public boolean release() {
        return release(1);
    }

    /**
     * Drops {@code decrement} references (at least 1; no more than are held), freeing the
     * memory if they were the last.
     *
     * @return true if the count dropped to 0 and the memory was freed
     */
    public boolean release(int decrement) {
        checkIncarnation(-decrement);
        // Counted first: once the count reaches 0, another thread may already reuse the object.
        AbstractBuffer counted = carrier;
        counted.releaseCount += decrement;
        try {
            return memory.release(decrement);
        } catch (RuntimeException e) {
            counted.releaseCount -= decrement;
            throw e;
        }
    }

    /** Refuses a count change through a view of a previous incarnation of the memory. */
    private void checkIncarnation(int change) {
        if (generation != memory.generation) {
            throw new IllegalReferenceCountException(0, change);
        }
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

    /** {@return whether {@code other} and this are one root or views of one root, sharing memory and count} */
    public boolean sharesReferenceCount(Buffer other) {
        return other != null && other.memory == memory && other.generation == generation;
    }
}
