package io.panamanetty.handler.traffic;

import io.panamanetty.channel.ChannelConfig;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ScheduledTask;

import java.util.concurrent.TimeUnit;

/**
 * One channel's pause in reading while its shaping handler's read rate catches up. With
 * auto-read on, the pause turns it off and back on when it ends; with auto-read off (the
 * application reads on demand), the setting is left alone and the application's read
 * requests wait for the end of the pause instead. Confined to the channel's event loop.
 *
 * <p>An application that turns auto-read off during a pause finds it on again when the
 * pause ends: the handler cannot tell its own "off" from the application's.
 */
final class ReadSuspension {
    private final ChannelHandlerContext ctx;
    private boolean suspended;
    private boolean turnedAutoReadOff;
    private boolean readRequested;
    private long resumeAtNanos;
    private ScheduledTask<?> resumeTask;

    ReadSuspension(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    boolean isSuspended() {
        return suspended;
    }

    /** Stops reading for {@code waitNanos}, or until then if a pause already runs that ends sooner. */
    void suspendFor(long waitNanos) {
        long resumeAt = ctx.eventLoop().nanoTime() + waitNanos;
        if (suspended) {
            if (resumeAt - resumeAtNanos > 0) {
                resumeTask.cancel();
                schedule(resumeAt);
            }
            return;
        }
        suspended = true;
        ChannelConfig config = ctx.channel().config();
        if (config.isAutoRead()) {
            config.setAutoRead(false);
            turnedAutoReadOff = true;
        }
        schedule(resumeAt);
    }

    /** The application asked for a read during the pause: it is passed on when the pause ends. */
    void deferRead() {
        readRequested = true;
    }

    private void schedule(long resumeAt) {
        resumeAtNanos = resumeAt;
        resumeTask = ctx.eventLoop().schedule(this::resume, Math.max(0, resumeAt - ctx.eventLoop().nanoTime()),
                TimeUnit.NANOSECONDS);
    }

    /** Ends the pause: auto-read back on if the pause turned it off, and a deferred read passed on. */
    void resume() {
        if (resumeTask != null) {
            resumeTask.cancel();
            resumeTask = null;
        }
        if (!suspended) {
            return;
        }
        suspended = false;
        if (turnedAutoReadOff) {
            turnedAutoReadOff = false;
            if (ctx.channel().isOpen()) {
                ctx.channel().config().setAutoRead(true);
            }
        }
        if (readRequested) {
            readRequested = false;
            if (ctx.channel().isOpen()) {
                ctx.read();
            }
        }
    }
}
