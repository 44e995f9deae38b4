package io.panamanetty.transport.uring;

import io.panamanetty.bindings.IoUringRing;
import io.panamanetty.bindings.Memory;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.ProvidedBufferRing;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferAllocator;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loop's receive buffers: a provided-buffer ring ({@link ProvidedBufferRing#registerEmpty})
 * whose buffers are buffers of an allocator, lent to the kernel. A receive that filled at
 * least half of one ({@link #worthTaking}) {@linkplain #take takes} it: that buffer goes up
 * the pipeline as it is (its capacity the ring's buffer size, so at most twice what it holds)
 * and a fresh one is lent in its place, so a large read costs no copy. Measured for issue 18
 * at 1024-byte pipelined echo: the copy was an eighth of the server's samples, and taking the
 * buffer gave x1.19-1.26 the messages/s (three processes of each in one run; thresholds of
 * 4, 16 and 32 KiB measured the same). A smaller receive is {@linkplain #received copied out}
 * and the same buffer lent again, so a handler that keeps many small reads never holds a
 * whole ring buffer for each. Once a completion naming a buffer has been handled,
 * {@link #completed} lends it (or its replacement) again. Event-loop confined, except the
 * static counts.
 */
final class ReceiveBuffers {
    /** Buffers lent by every loop's ring now, and their bytes: outstanding, though held by no handler. */
    private static final AtomicLong LENT = new AtomicLong();
    private static final AtomicLong LENT_BYTES = new AtomicLong();

    private final ProvidedBufferRing ring;
    private final BufferAllocator allocator;
    /** The buffer lent as each id, and its address. */
    private final Buffer[] lent;
    private final long[] addresses;
    /** The id whose buffer {@link #take} handed on and replaced in the completion being handled; -1 if none. */
    private int takenId = -1;
    /** Buffers {@link #take} has handed on (for tests). */
    private long handedOn;
    private boolean closed;

    private ReceiveBuffers(ProvidedBufferRing ring, BufferAllocator allocator) {
        this.ring = ring;
        this.allocator = allocator;
        this.lent = new Buffer[ring.entries()];
        this.addresses = new long[ring.entries()];
    }

    /**
     * Registers group {@code groupId} of {@code count} buffers of {@code size} bytes with
     * {@code uring}, each a buffer of {@code allocator}, all lent.
     *
     * @throws NativeIoException if the registration fails
     */
    static ReceiveBuffers register(IoUringRing uring, int groupId, int count, int size, BufferAllocator allocator)
            throws NativeIoException {
        ReceiveBuffers buffers = new ReceiveBuffers(ProvidedBufferRing.registerEmpty(uring, groupId, count, size),
                allocator);
        try {
            for (int id = 0; id < count; id++) {
                Buffer buffer = allocator.allocate(size);   // may grow later, like any read
                try {
                    buffers.lend(id, buffer);
                } catch (RuntimeException e) {
                    buffer.release();
                    throw e;
                }
                LENT.incrementAndGet();
                LENT_BYTES.addAndGet(buffer.capacity());
            }
        } catch (RuntimeException | Error e) {
            buffers.close();
            throw e;
        }
        buffers.ring.publish();
        return buffers;
    }

    /** Lends {@code buffer} as {@code id}; it is this object's (released by {@link #close}) once this returns. */
    private void lend(int id, Buffer buffer) {
        long address = buffer.memoryAddress() + buffer.writerIndex();
        ring.provide(id, address);
        lent[id] = buffer;
        addresses[id] = address;
    }

    /**
     * The buffers all loops' rings have lent now: {@code BufferStatistics} counts them as
     * outstanding though no handler holds them (tests that compare its counts subtract them).
     */
    static long lentNow() {
        return LENT.get();
    }

    /** The bytes of {@link #lentNow()}'s buffers. */
    static long lentBytesNow() {
        return LENT_BYTES.get();
    }

    /** Whether a receive of {@code length} bytes should {@link #take} its buffer: it filled at least half of it. */
    boolean worthTaking(int length) {
        return length >= ring.bufferSize() / 2;
    }

    /** How many received buffers were handed on whole so far. */
    long handedOn() {
        return handedOn;
    }

    int groupId() {
        return ring.groupId();
    }

    int bufferSize() {
        return ring.bufferSize();
    }

    /** The allocator whose buffers {@link #take} hands on. */
    BufferAllocator allocator() {
        return allocator;
    }

    /** The first {@code length} bytes received into buffer {@code id}, to copy out during the completion. */
    MemorySegment received(int id, int length) {
        if (length < 0 || length > ring.bufferSize()) {
            throw new IndexOutOfBoundsException("length " + length + " of a " + ring.bufferSize() + "-byte buffer");
        }
        return Memory.segment(addresses[id], length);
    }

    /**
     * Takes buffer {@code id}, into which {@code length} bytes were received: the caller owns
     * the returned buffer (those bytes readable), and another buffer is lent as {@code id}.
     *
     * @return null if no replacement could be allocated (copy out of it instead)
     */
    Buffer take(int id, int length) {
        Buffer replacement;
        try {
            replacement = allocator.allocate(ring.bufferSize());
        } catch (RuntimeException | OutOfMemoryError e) {
            return null;
        }
        Buffer full = lent[id];
        try {
            lend(id, replacement);
        } catch (RuntimeException e) {
            replacement.release();
            return null;
        }
        full.writerIndex(full.writerIndex() + length);
        takenId = id;
        handedOn++;
        return full;
    }

    /** The completion naming buffer {@code id} has been handled: lends it again, unless {@link #take} replaced it. */
    void completed(int id) {
        if (takenId == id) {
            takenId = -1;
        } else {
            ring.provide(id, addresses[id]);
        }
        ring.publish();
    }

    /** Unregisters the group and releases the buffers; no receive may be in flight on it. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        ring.close();
        for (int id = 0; id < lent.length; id++) {
            Buffer buffer = lent[id];
            if (buffer != null) {
                lent[id] = null;
                LENT.decrementAndGet();
                LENT_BYTES.addAndGet(-buffer.capacity());
                buffer.release();
            }
        }
    }
}
