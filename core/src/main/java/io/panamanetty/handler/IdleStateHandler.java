package io.panamanetty.handler;

import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.PendingOutboundBytes;
import io.panamanetty.channel.ScheduledTask;

import java.util.concurrent.TimeUnit;

/**
 * Fires an {@link IdleStateEvent} through {@code userEventTriggered} when a channel has
 * read nothing, written nothing, or done neither for a while; the event repeats every
 * such period while the channel stays idle. A time of 0 turns that check off.
 * <pre>{@code
 * pipeline.addLast("idle", new IdleStateHandler(60, 0, 0, TimeUnit.SECONDS))
 *         .addLast("app", new ChannelHandlerAdapter() {
 *             public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
 *                 if (evt instanceof IdleStateEvent) ctx.close();
 *             }
 *         });
 * }</pre>
 * A write counts once it has reached the socket (its future completed), or, written
 * with the void promise, once queued.
 *
 * <h2>Slow peers ({@code observeOutput})</h2>
 * A large write to a peer that reads slowly completes late, so by the rule above the channel
 * looks write-idle while its bytes are still leaving. With {@code observeOutput}, output
 * making progress counts as writing too, for {@link IdleState#WRITER_IDLE} and
 * {@link IdleState#ALL_IDLE}: each check looks at the channel's outbound bytes
 * ({@link PendingOutboundBytes#pending} and {@link PendingOutboundBytes#written}), and if they
 * changed since the last look, the channel wrote at that moment. So a stalled write (a peer
 * that stopped reading) is reported after one to two periods without progress, and a write
 * that keeps moving is not reported at all.
 *
 * <p>Subclasses may override {@link #channelIdle} to act on idleness themselves
 * ({@link ReadTimeoutHandler} does).
 */
public class IdleStateHandler extends ChannelHandlerAdapter {
    private final long readerIdleNanos;
    private final long writerIdleNanos;
    private final long allIdleNanos;
    private final boolean observeOutput;

    private long lastReadNanos;
    private long lastWriteNanos;
    private boolean firstReaderEvent = true;
    private boolean firstWriterEvent = true;
    private boolean firstAllEvent = true;
    private ScheduledTask<?> readerCheck;
    private ScheduledTask<?> writerCheck;
    private ScheduledTask<?> allCheck;
    private boolean started;
    /** What {@code observeOutput} last saw of the channel's outbound bytes. */
    private long lastPendingBytes;
    private long lastWrittenBytes;

    /**
     * @param readerIdle time without reads before {@link IdleState#READER_IDLE}, 0 for never
     * @param writerIdle time without writes before {@link IdleState#WRITER_IDLE}, 0 for never
     * @param allIdle time without either before {@link IdleState#ALL_IDLE}, 0 for never
     * @param unit the unit of the three times
     */
    public IdleStateHandler(long readerIdle, long writerIdle, long allIdle, TimeUnit unit) {
        this(false, readerIdle, writerIdle, allIdle, unit);
    }

    /**
     * @param observeOutput whether output making progress (outbound bytes leaving or being
     *                      queued) counts as writing, even before a write completes; see above
     * @param readerIdle time without reads before {@link IdleState#READER_IDLE}, 0 for never
     * @param writerIdle time without writes before {@link IdleState#WRITER_IDLE}, 0 for never
     * @param allIdle time without either before {@link IdleState#ALL_IDLE}, 0 for never
     * @param unit the unit of the three times
     */
    public IdleStateHandler(boolean observeOutput, long readerIdle, long writerIdle, long allIdle, TimeUnit unit) {
        this.observeOutput = observeOutput;
        this.readerIdleNanos = Math.max(0, unit.toNanos(readerIdle));
        this.writerIdleNanos = Math.max(0, unit.toNanos(writerIdle));
        this.allIdleNanos = Math.max(0, unit.toNanos(allIdle));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        lastReadNanos = ctx.eventLoop().nanoTime();
        firstReaderEvent = true;
        firstAllEvent = true;
        ctx.fireChannelRead(message);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
        if (promise.isVoid()) {
            wrote(ctx);   // no outcome to wait for: count the write as it is queued
        } else {
            promise.addListener(f -> {
                if (f.isSuccess()) {
                    ctx.eventLoop().execute(() -> wrote(ctx));
                }
            });
        }
        ctx.write(message, promise);
    }

    private void wrote(ChannelHandlerContext ctx) {
        lastWriteNanos = ctx.eventLoop().nanoTime();
        firstWriterEvent = true;
        firstAllEvent = true;
    }

    private void start(ChannelHandlerContext ctx) {
        if (started) {
            return;
        }
        started = true;
        lastReadNanos = lastWriteNanos = ctx.eventLoop().nanoTime();
        if (observeOutput) {
            lastPendingBytes = PendingOutboundBytes.pending(ctx.channel());
            lastWrittenBytes = PendingOutboundBytes.written(ctx.channel());
        }
        if (readerIdleNanos > 0) {
            readerCheck = schedule(ctx, IdleState.READER_IDLE, readerIdleNanos);
        }
        if (writerIdleNanos > 0) {
            writerCheck = schedule(ctx, IdleState.WRITER_IDLE, writerIdleNanos);
        }
        if (allIdleNanos > 0) {
            allCheck = schedule(ctx, IdleState.ALL_IDLE, allIdleNanos);
        }
    }

    private void stop() {
        started = false;
        for (ScheduledTask<?> task : new ScheduledTask<?>[] {readerCheck, writerCheck, allCheck}) {
            if (task != null) {
                task.cancel();
            }
        }
        readerCheck = writerCheck = allCheck = null;
    }

    private ScheduledTask<?> schedule(ChannelHandlerContext ctx, IdleState state, long delayNanos) {
        return ctx.eventLoop().schedule(() -> check(ctx, state), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check(ChannelHandlerContext ctx, IdleState state) {
        if (!started || !ctx.channel().isOpen()) {
            return;
        }
        if (observeOutput && state != IdleState.READER_IDLE && outputProgressed(ctx)) {
            wrote(ctx);
        }
        long last = switch (state) {
            case READER_IDLE -> lastReadNanos;
            case WRITER_IDLE -> lastWriteNanos;
            case ALL_IDLE -> Math.max(lastReadNanos, lastWriteNanos);
        };
        long period = switch (state) {
            case READER_IDLE -> readerIdleNanos;
            case WRITER_IDLE -> writerIdleNanos;
            case ALL_IDLE -> allIdleNanos;
        };
        long left = period - (ctx.eventLoop().nanoTime() - last);
        if (left > 0) {
            reschedule(ctx, state, left);
            return;
        }
        reschedule(ctx, state, period);
        boolean first = switch (state) {
            case READER_IDLE -> firstReaderEvent;
            case WRITER_IDLE -> firstWriterEvent;
            case ALL_IDLE -> firstAllEvent;
        };
        switch (state) {
            case READER_IDLE -> firstReaderEvent = false;
            case WRITER_IDLE -> firstWriterEvent = false;
            case ALL_IDLE -> firstAllEvent = false;
        }
        channelIdle(ctx, new IdleStateEvent(state, first));
    }

    /** True if the channel's outbound bytes moved since the last look; remembers what it saw. */
    private boolean outputProgressed(ChannelHandlerContext ctx) {
        long pending = PendingOutboundBytes.pending(ctx.channel());
        long written = PendingOutboundBytes.written(ctx.channel());
        boolean moved = pending != lastPendingBytes || written != lastWrittenBytes;
        lastPendingBytes = pending;
        lastWrittenBytes = written;
        return moved;
    }

    /**
     * The channel has been idle as {@code event} says: by default the event goes on through
     * {@code userEventTriggered}. Runs on the channel's event loop.
     */
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        ctx.fireUserEventTriggered(event);
    }

    private void reschedule(ChannelHandlerContext ctx, IdleState state, long delayNanos) {
        ScheduledTask<?> next = schedule(ctx, state, delayNanos);
        switch (state) {
            case READER_IDLE -> readerCheck = next;
            case WRITER_IDLE -> writerCheck = next;
            case ALL_IDLE -> allCheck = next;
        }
    }
}
