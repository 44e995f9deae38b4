package io.panamanetty.tls;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferAllocator;

import javax.net.ssl.SSLEngine;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The received TLS bytes a {@link TlsHandler} has not decrypted yet: a partial record kept
 * until the rest of it arrives.
 *
 * <p>When nothing is waiting, a received buffer is {@linkplain #borrow borrowed} and
 * decrypted from directly; only what is left of an incomplete record is then copied into a
 * buffer of its own. Owns the buffer it holds (a borrowed one until {@link #endBorrow}).
 */
final class RecordCumulation {
    private final SSLEngine engine;
    private Buffer buffer;

    RecordCumulation(SSLEngine engine) {
        this.engine = engine;
    }

    /** {@return whether no bytes are held} */
    boolean isEmpty() {
        return buffer == null;
    }

    /** {@return whether there are bytes to decrypt} */
    boolean isReadable() {
        return buffer != null && buffer.isReadable();
    }

    /** {@return a ByteBuffer over the bytes to decrypt, sharing memory; only when readable} */
    ByteBuffer nioBuffer() {
        return buffer.nioBuffer();
    }

    /** Marks {@code count} bytes as decrypted. */
    void skip(int count) {
        buffer.skipBytes(count);
    }

    /** Copies {@code in} to the end of the held bytes, compacting or growing as needed. */
    void append(BufferAllocator alloc, Buffer in) {
        int incoming = in.readableBytes();
        if (buffer == null) {
            buffer = alloc.allocate(Math.max(incoming, engine.getSession().getPacketBufferSize()));
        } else if (buffer.writableBytes() < incoming && buffer.readerIndex() > 0) {
            int readable = buffer.readableBytes();
            if (readable + incoming <= buffer.capacity()) {
                MemorySegment block = buffer.segment();
                MemorySegment.copy(block, buffer.readerIndex(), block, 0, readable);
                buffer.readerIndex(0).writerIndex(readable);
            }
        }
        buffer.writeBytes(in);
    }

    /** Holds the received {@code in} itself, to decrypt straight from it; only when empty. */
    void borrow(Buffer in) {
        buffer = in;
    }

    /**
     * Ends a {@link #borrow}: unless it was already released (fully decrypted, or by
     * {@link #release}), copies what is left of {@code in} into a buffer of its own if
     * {@code keepRest}, and releases {@code in}.
     */
    void endBorrow(Buffer in, BufferAllocator alloc, boolean keepRest) {
        if (buffer != in) {
            return;
        }
        buffer = null;
        if (in.isReadable() && keepRest) {
            Buffer rest = alloc.allocate(Math.max(in.readableBytes(), engine.getSession().getPacketBufferSize()));
            buffer = rest.writeBytes(in);
        }
        in.release();
    }

    /** Releases the held buffer if everything in it has been decrypted. */
    void trim() {
        if (buffer != null && !buffer.isReadable()) {
            buffer.release();
            buffer = null;
        }
    }

    /** Releases the held bytes, if any. */
    void release() {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
    }
}
