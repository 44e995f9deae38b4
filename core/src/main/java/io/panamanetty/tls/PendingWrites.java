package io.panamanetty.tls;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.buffer.CompositeBuffer;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.PendingOutboundBytes;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * The plaintext writes a {@link TlsHandler} holds, with their promises, until it can encrypt
 * them (the handshake is done and a flush asked for). Owns the held buffers: each is released
 * when taken out to be encrypted or when its write is failed.
 *
 * <p>The held plaintext counts toward the channel's writability ({@link PendingOutboundBytes}):
 * a writer that respects {@code isWritable()} stops while the handshake keeps its writes
 * here. A write's bytes count from {@link #add} until whoever {@linkplain #poll() took it
 * out} reports them {@linkplain #sent sent} (chunk by chunk as they are encrypted and
 * queued on the channel) or until {@link #failAll} drops them.
 */
final class PendingWrites {
    /** One held write: its plaintext and the promise to complete once it is sent. */
    record Write(Buffer buffer, ChannelPromise promise) {
    }

    private final ArrayDeque<Write> writes = new ArrayDeque<>();
    /** The channel whose writability the held bytes count toward; null until attached. */
    private Channel channel;
    /** Plaintext bytes added and not yet reported sent or dropped. */
    private long heldBytes;

    /** Counts the held bytes toward {@code channel}'s writability from now on. */
    void attach(Channel channel) {
        this.channel = channel;
    }

    /** {@return the plaintext bytes held (including what is left of a write taken out and not yet sent)} */
    long heldBytes() {
        return heldBytes;
    }

    /**
     * {@return {@code message} as a buffer to hold} A {@link Buffer} is taken as is; the other
     * supported types are copied into a new one (a {@link CompositeBuffer} is then released).
     *
     * @throws NullPointerException if {@code message} is null
     * @throws IllegalArgumentException if {@code message} is of a type that cannot be encrypted
     */
    static Buffer toBuffer(BufferAllocator alloc, Object message) {
        return switch (message) {
            case Buffer b -> b;
            case CompositeBuffer composite -> copyAndRelease(alloc, composite);   // encrypted into records anyway
            case byte[] bytes -> alloc.copyOf(bytes);
            case ByteBuffer bytes -> alloc.copyOf(bytes);
            case MemorySegment bytes -> alloc.copyOf(bytes);
            case CharSequence text -> alloc.copyOf(text, StandardCharsets.UTF_8);
            case null -> throw new NullPointerException("cannot write null");
            default -> throw unsupported(message);
        };
    }

    private static IllegalArgumentException unsupported(Object message) {
        if (message instanceof io.panamanetty.buffer.ReferenceCounted counted) {
            counted.release();   // the write fails: what it held goes, as for any failed write
        }
        return new IllegalArgumentException("TlsHandler cannot encrypt a " + message.getClass().getName()
                + "; write a Buffer, byte[], ByteBuffer, MemorySegment, CharSequence or FileRegion");
    }

    private static Buffer copyAndRelease(BufferAllocator alloc, CompositeBuffer composite) {
        try {
            return composite.copy(alloc);
        } finally {
            composite.release();
        }
    }

    /** Holds {@code buffer}'s readable bytes, to be sent with {@code promise}, after those held already. */
    void add(Buffer buffer, ChannelPromise promise) {
        writes.add(new Write(buffer, promise));
        int bytes = buffer.readableBytes();
        heldBytes += bytes;
        if (counting()) {
            PendingOutboundBytes.increment(channel, bytes);
        }
    }

    /**
     * Stops counting {@code bytes} of a write taken out with {@link #poll()}: they have been
     * passed on (or dropped). Never goes below zero ({@link #failAll} may have dropped them
     * already).
     */
    void sent(long bytes) {
        long counted = Math.min(bytes, heldBytes);
        if (counted <= 0) {
            return;
        }
        heldBytes -= counted;
        if (counting()) {
            PendingOutboundBytes.decrement(channel, counted);
        }
    }

    /**
     * Whether to tell the channel: once attached, and on its event loop, where the handler
     * runs; but a handler removed after the loop terminated is removed on the closing thread,
     * and the channel is gone then.
     */
    private boolean counting() {
        return channel != null && channel.eventLoop().inEventLoop();
    }

    boolean isEmpty() {
        return writes.isEmpty();
    }

    /**
     * {@return the oldest held write, now the caller's to release and complete, or null if
     * none} Its bytes still count as held until reported {@linkplain #sent sent}.
     */
    Write poll() {
        return writes.poll();
    }

    /**
     * Releases every held write and fails its promise with {@code cause}; stops counting every
     * held byte, including those of a write taken out and not yet reported sent.
     */
    void failAll(Throwable cause) {
        Write write;
        while ((write = writes.poll()) != null) {
            write.buffer().release();
            if (!write.promise().isVoid()) {   // a void promise would report it again; it is reported once
                write.promise().tryFailure(cause);
            }
        }
        sent(heldBytes);   // last: a writability change may make a handler write (and be failed)
    }
}
