package io.panamanetty.handler.traffic;

import io.panamanetty.buffer.ReferenceCounted;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.PendingOutboundBytes;
import io.panamanetty.channel.ScheduledTask;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One channel's writes held back by its shaping handler until the rate allows them, in order.
 * The bytes held count toward the channel's writability ({@link PendingOutboundBytes}), so a
 * writer that follows {@code isWritable()} stops at the high water mark instead of filling
 * this queue without bound. Confined to the channel's event loop.
 */
final class HeldWrites {
    private record Held(Object message, ChannelPromise promise, long size, long sendAtNanos) {
    }

    private final ChannelHandlerContext ctx;
    private final TrafficCounter counter;
    private final ArrayDeque<Held> queue = new ArrayDeque<>();
    private long heldBytes;
    private long lastSendAtNanos;
    private ScheduledTask<?> releaseTask;

    HeldWrites(ChannelHandlerContext ctx, TrafficCounter counter) {
        this.ctx = ctx;
        this.counter = counter;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    long heldBytes() {
        return heldBytes;
    }

    /** Holds {@code message} until {@code sendAtNanos} on the loop's clock, and after every write held before it. */
    void hold(Object message, ChannelPromise promise, long size, long sendAtNanos) {
        long sendAt = queue.isEmpty() || sendAtNanos - lastSendAtNanos > 0 ? sendAtNanos : lastSendAtNanos;
        lastSendAtNanos = sendAt;
        queue.add(new Held(message, promise, size, sendAt));
        heldBytes += size;
        PendingOutboundBytes.increment(ctx.channel(), size);
        if (releaseTask == null) {
            scheduleRelease(sendAt);
        }
    }

    /** Passes {@code message} on at once, counting it as written. */
    void pass(Object message, ChannelPromise promise, long size) {
        counter.bytesWritten(size);
        ctx.write(message, promise);
    }

    private void scheduleRelease(long atNanos) {
        long delay = Math.max(0, atNanos - ctx.eventLoop().nanoTime());
        releaseTask = ctx.eventLoop().schedule(this::releaseDue, delay, TimeUnit.NANOSECONDS);
    }

    private void releaseDue() {
        releaseTask = null;
        long now = ctx.eventLoop().nanoTime();
        boolean wrote = false;
        while (!queue.isEmpty() && queue.peek().sendAtNanos() - now <= 0) {
            passHeld(queue.poll());
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
        if (!queue.isEmpty()) {
            scheduleRelease(queue.peek().sendAtNanos());
        }
    }

    private void passHeld(Held held) {
        heldBytes -= held.size();
        PendingOutboundBytes.decrement(ctx.channel(), held.size());   // just before: the channel counts what it queues
        pass(held.message(), held.promise(), held.size());
    }

    /** Passes every held write on now (the handler is leaving an open channel). */
    void releaseAll() {
        cancelTimer();
        if (queue.isEmpty()) {
            return;
        }
        while (!queue.isEmpty()) {
            passHeld(queue.poll());
        }
        ctx.flush();
    }

    /** Drops every held write, failing its promise with {@code cause} (the channel closed). */
    void failAll(Throwable cause) {
        cancelTimer();
        Held held;
        while ((held = queue.poll()) != null) {
            heldBytes -= held.size();
            PendingOutboundBytes.decrement(ctx.channel(), held.size());
            if (held.message() instanceof ReferenceCounted counted && counted.refCnt() > 0) {
                counted.release();
            }
            held.promise().tryFailure(cause);
        }
    }

    private void cancelTimer() {
        if (releaseTask != null) {
            releaseTask.cancel();
            releaseTask = null;
        }
    }
}
