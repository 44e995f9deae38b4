package io.panamanetty.channel.internal;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.buffer.GatheredBuffers;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelPromise;

import java.util.function.BiConsumer;

/**
 * Queues a write of several buffers ({@link GatheredBuffers}, a composite) as consecutive
 * entries of an {@link OutboundBuffer}, one per component, so that the transport's ordinary
 * gathering sends them all in one {@code writev}, without copying. Only the last entry carries
 * the write's promise: it completes once every component has left, and a failure of the queue
 * (a failed {@code writev}, a close) fails every entry, that one included. The other entries
 * carry {@link #PART}, which ignores its outcome.
 */
public final class GatheredWrites {
    private GatheredWrites() {
    }

    /**
     * Queues the readable components of {@code gathered} (whose reference passes to the queue)
     * on {@code outbound} (an {@link OutboundBuffer}'s {@code add}, or a queue in front of one), the last one
     * with {@code promise}; an empty one completes the promise.
     * A component over heap memory is copied into a buffer of {@code allocator}.
     */
    public static void add(BiConsumer<Buffer, ChannelPromise> outbound, GatheredBuffers gathered,
                           BufferAllocator allocator, ChannelPromise promise) {
        int queued = 0;
        try {
            int count = gathered.componentCount();
            for (int i = 0; i < count; i++) {
                Buffer component = OutboundMessages.toBuffer(gathered.takeComponent(i), allocator);
                outbound.accept(component, i == count - 1 ? promise : PART);
                queued++;
            }
            if (count == 0) {
                promise.trySuccess();
            }
        } catch (RuntimeException e) {
            promise.tryFailure(e);   // what was queued still leaves: the stream already holds it
        } finally {
            try {
                gathered.release();
            } catch (RuntimeException e) {
                if (queued == 0) {
                    promise.tryFailure(e);
                }
            }
        }
    }

    /** The promise of the entries before the last of a gathered write: its outcome is the last entry's. */
    static final ChannelPromise PART = new OutcomelessPromise() {
        @Override
        public boolean tryFailure(Throwable cause) {
            return true;   // the last entry's promise reports the failure
        }

        @Override
        public Channel channel() {
            throw unsupported();
        }

        @Override
        UnsupportedOperationException unsupported() {
            return new UnsupportedOperationException("the part of a gathered write has no outcome of its own");
        }

        @Override
        public String toString() {
            return "GatheredWrites.PART";
        }
    };
}
