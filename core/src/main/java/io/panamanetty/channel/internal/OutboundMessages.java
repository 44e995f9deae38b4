package io.panamanetty.channel.internal;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.buffer.ReferenceCounted;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Turns what a user may write into a {@link Buffer} the socket can send. */
public final class OutboundMessages {
    private OutboundMessages() {
    }

    /**
     * {@code message} as a buffer: a native {@link Buffer} as it is (ownership passes on),
     * anything else copied into a new buffer (a buffer over a heap array too, which has no
     * address to give the kernel; it is released once copied).
     *
     * @throws IllegalArgumentException for a type the channel cannot send
     */
    public static Buffer toBuffer(Object message, BufferAllocator allocator) {
        return switch (message) {
            case Buffer buffer -> buffer.isDirect() ? buffer : copyAndRelease(buffer, allocator);
            case byte[] bytes -> allocator.copyOf(bytes);
            case ByteBuffer byteBuffer -> allocator.copyOf(byteBuffer);
            case MemorySegment segment -> allocator.copyOf(segment);
            case CharSequence text -> allocator.copyOf(text, StandardCharsets.UTF_8);
            case null -> throw new NullPointerException("cannot write null");
            default -> throw unsupported(message);
        };
    }

    /** The failure of a write of {@code message}, which is released first if it holds memory (a datagram, say). */
    private static IllegalArgumentException unsupported(Object message) {
        if (message instanceof ReferenceCounted counted) {
            counted.release();
        }
        return new IllegalArgumentException("cannot write a " + message.getClass().getName()
                + " here; write a Buffer, byte[], ByteBuffer, MemorySegment or CharSequence,"
                + " or add an encoder that turns it into one");
    }

    private static Buffer copyAndRelease(Buffer heap, BufferAllocator allocator) {
        try {
            return allocator.copyOf(heap.readableSegment());
        } finally {
            heap.release();
        }
    }
}
