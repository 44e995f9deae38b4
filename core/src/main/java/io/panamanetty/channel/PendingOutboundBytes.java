package io.panamanetty.channel;

import io.panamanetty.channel.internal.AbstractChannel;

/**
 * Counts outbound bytes that a handler holds itself, before they reach the channel's
 * outbound queue, toward the channel's {@linkplain Channel#isWritable() writability}, as if
 * they were queued: the channel turns unwritable once queued and held bytes together pass
 * the high water mark, and writable again once they fall below the low one (the same
 * {@code channelWritabilityChanged} events). Netty's
 * {@code ChannelOutboundBuffer.incrementPendingOutboundBytes} does the same.
 * {@code TlsHandler} counts the plaintext writes it holds (those made before its handshake
 * ends, and those waiting for a flush) this way.
 *
 * <p>Call on the channel's event loop only. A handler subtracts every byte it added, when it
 * passes the data on (just before: the channel counts what it queues) or drops it.
 * {@link Channel#isWritable()} changes at once; {@code channelWritabilityChanged} fires in a
 * later task of the loop, so that it never runs inside the calling handler's own operation. Channels
 * without an outbound queue (a listening channel) ignore these calls; an {@code EmbeddedChannel}
 * only counts them, for {@link #pending}.
 *
 * <p>{@link #pending} and {@link #written} read the counts back: what a handler watches to see
 * whether a write is making progress.
 */
public final class PendingOutboundBytes {
    private PendingOutboundBytes() {
    }

    /**
     * Adds {@code bytes} held by a handler of {@code channel}.
     *
     * @throws IllegalArgumentException if {@code bytes} is negative
     * @throws IllegalStateException if not called on the channel's event loop
     */
    public static void increment(Channel channel, long bytes) {
        adjust(channel, checked(bytes));
    }

    /**
     * Subtracts {@code bytes} a handler of {@code channel} held and has passed on or dropped.
     *
     * @throws IllegalArgumentException if {@code bytes} is negative
     * @throws IllegalStateException if not called on the channel's event loop
     */
    public static void decrement(Channel channel, long bytes) {
        adjust(channel, -checked(bytes));
    }

    /**
     * The outbound bytes of {@code channel} not yet written: queued in its outbound queue plus
     * held by its handlers; 0 for a channel without a queue (an {@code EmbeddedChannel} counts
     * only what handlers hold). With {@link #written}, what a handler watches to see a write
     * make progress ({@code IdleStateHandler}'s {@code observeOutput}).
     *
     * @throws IllegalStateException if not called on the channel's event loop
     */
    public static long pending(Channel channel) {
        return channel instanceof AbstractChannel known && onLoop(known) ? known.pendingOutboundBytes() : 0;
    }

    /**
     * The bytes {@code channel} has written to its transport since it opened (the kernel took
     * them); only grows. 0 for a channel without an outbound queue.
     *
     * @throws IllegalStateException if not called on the channel's event loop
     */
    public static long written(Channel channel) {
        return channel instanceof AbstractChannel known && onLoop(known) ? known.writtenOutboundBytes() : 0;
    }

    private static boolean onLoop(AbstractChannel channel) {
        if (!channel.eventLoop().inEventLoop()) {
            throw new IllegalStateException("pending outbound bytes of " + channel + " read off its event loop");
        }
        return true;
    }

    private static long checked(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative byte count: " + bytes);
        }
        return bytes;
    }

    private static void adjust(Channel channel, long delta) {
        if (delta == 0 || !(channel instanceof AbstractChannel known)) {
            return;
        }
        if (!known.eventLoop().inEventLoop()) {
            throw new IllegalStateException("pending outbound bytes of " + channel + " changed off its event loop");
        }
        known.adjustHeldBytes(delta);   // the outbound queue keeps the count, if the channel has one
    }
}
