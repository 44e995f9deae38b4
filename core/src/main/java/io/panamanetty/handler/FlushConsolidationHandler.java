package io.panamanetty.handler;

import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;

/**
 * Turns many flushes into few, Netty's {@code FlushConsolidationHandler}: a handler that
 * writes and flushes once per message read (a request/response protocol) costs a system call
 * per response; with this handler in front of it, the flushes made while a batch of reads is
 * in progress are held until {@code channelReadComplete}, and then one flush sends them all.
 * <pre>{@code
 * pipeline.addLast(new FlushConsolidationHandler())   // closer to the socket than
 *         .addLast(new MyRequestHandler());            // the handler that flushes
 * }</pre>
 * <ul>
 *   <li>After {@code explicitFlushAfterFlushes} held flushes (256 by default) one is passed on
 *       anyway, so that a long batch does not hold everything.</li>
 *   <li>Outside a read batch, flushes pass on at once, unless
 *       {@code consolidateWhenNoReadInProgress}: then they are gathered into one flush run as a
 *       later task of the event loop (or passed on at the explicit count).</li>
 *   <li>A held flush is done before a close passes, when an exception arrives, when the
 *       channel turns unwritable (the bytes must move to free room), and when the handler is
 *       removed.</li>
 * </ul>
 * Here, written bytes also leave when the loop's turn ends, flushed or not (see
 * {@link io.panamanetty.channel.Channel}); this handler saves the flush calls and their
 * system calls within a turn. One instance per channel: it keeps the channel's state.
 */
public class FlushConsolidationHandler extends ChannelHandlerAdapter {
    /** The default {@code explicitFlushAfterFlushes}. */
    public static final int DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES = 256;

    private final int explicitFlushAfterFlushes;
    private final boolean consolidateWhenNoReadInProgress;
    private ChannelHandlerContext ctx;
    private int heldFlushes;
    private boolean readInProgress;
    private boolean flushTaskQueued;
    private final Runnable flushTask = this::runQueuedFlush;

    /** Holds flushes during reads, passing one on after every 256; flushes outside reads pass at once. */
    public FlushConsolidationHandler() {
        this(DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, false);
    }

    /**
     * Holds flushes during reads, passing one on after every {@code explicitFlushAfterFlushes}.
     *
     * @throws IllegalArgumentException if {@code explicitFlushAfterFlushes} is not above 0
     */
    public FlushConsolidationHandler(int explicitFlushAfterFlushes) {
        this(explicitFlushAfterFlushes, false);
    }

    /**
     * @param explicitFlushAfterFlushes how many held flushes make one pass on, above 0
     * @param consolidateWhenNoReadInProgress whether flushes outside reads are gathered into one
     *                                        flush in a later task of the loop too
     * @throws IllegalArgumentException if {@code explicitFlushAfterFlushes} is not above 0
     */
    public FlushConsolidationHandler(int explicitFlushAfterFlushes, boolean consolidateWhenNoReadInProgress) {
        if (explicitFlushAfterFlushes <= 0) {
            throw new IllegalArgumentException("explicitFlushAfterFlushes must be above 0: " + explicitFlushAfterFlushes);
        }
        this.explicitFlushAfterFlushes = explicitFlushAfterFlushes;
        this.consolidateWhenNoReadInProgress = consolidateWhenNoReadInProgress;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (readInProgress) {
            if (++heldFlushes == explicitFlushAfterFlushes) {
                flushNow(ctx);
            }
        } else if (consolidateWhenNoReadInProgress) {
            if (++heldFlushes == explicitFlushAfterFlushes) {
                flushNow(ctx);
            } else if (!flushTaskQueued) {
                flushTaskQueued = true;
                ctx.eventLoop().execute(flushTask);
            }
        } else {
            flushNow(ctx);
        }
    }

    private void runQueuedFlush() {
        flushTaskQueued = false;
        if (heldFlushes > 0 && !readInProgress) {   // during a read, channelReadComplete flushes
            flushNow(ctx);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        readInProgress = true;
        ctx.fireChannelRead(message);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        readEnded(ctx);
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        readEnded(ctx);
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        readEnded(ctx);
        ctx.close(promise);
    }

    @Override
    public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
        readEnded(ctx);
        ctx.disconnect(promise);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!ctx.channel().isWritable()) {
            flushIfHeld(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        flushIfHeld(ctx);
    }

    private void readEnded(ChannelHandlerContext ctx) {
        readInProgress = false;
        flushIfHeld(ctx);
    }

    private void flushIfHeld(ChannelHandlerContext ctx) {
        if (heldFlushes > 0) {
            flushNow(ctx);
        }
    }

    private void flushNow(ChannelHandlerContext ctx) {
        heldFlushes = 0;
        ctx.flush();
    }
}
