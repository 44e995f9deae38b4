package io.panamanetty.tls;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.channel.ChannelPromise;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * The plaintext writes a {@link TlsHandler} holds, with their promises, until it can encrypt
 * them (the handshake is done and a flush asked for). Owns the held buffers: each is released
 * when taken out to be encrypted or when its write is failed.
 */
final class PendingWrites {
    /** One held write: its plaintext and the promise to complete once it is sent. */
    record Write(Buffer buffer, ChannelPromise promise) {
    }

    private final ArrayDeque<Write> writes = new ArrayDeque<>();

    /**
     * {@return {@code message} as a buffer to hold} A {@link Buffer} is taken as is; the other
     * supported types are copied into a new one.
     *
     * @throws NullPointerException if {@code message} is null
     * @throws IllegalArgumentException if {@code message} is of a type that cannot be encrypted
     */
    static Buffer toBuffer(BufferAllocator alloc, Object message) {
        return switch (message) {
            case Buffer b -> b;
            case byte[] bytes -> alloc.copyOf(bytes);
            case ByteBuffer bytes -> alloc.copyOf(bytes);
            case MemorySegment bytes -> alloc.copyOf(bytes);
            case CharSequence text -> alloc.copyOf(text, StandardCharsets.UTF_8);
            case null -> throw new NullPointerException("cannot write null");
            default -> throw new IllegalArgumentException("TlsHandler cannot encrypt a "
                    + message.getClass().getName() + "; write a Buffer, byte[], ByteBuffer, MemorySegment"
                    + " or CharSequence");
        };
    }

    void add(Buffer buffer, ChannelPromise promise) {
        writes.add(new Write(buffer, promise));
    }

    boolean isEmpty() {
        return writes.isEmpty();
    }

    /** {@return the oldest held write, now the caller's to release and complete, or null if none} */
    Write poll() {
        return writes.poll();
    }

    /** Releases every held write and fails its promise with {@code cause}. */
    void failAll(Throwable cause) {
        Write write;
        while ((write = writes.poll()) != null) {
            write.buffer().release();
            if (!write.promise().isVoid()) {   // a void promise would report it again; it is reported once
                write.promise().tryFailure(cause);
            }
        }
    }
}
