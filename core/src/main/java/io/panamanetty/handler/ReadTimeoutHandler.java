package io.panamanetty.handler;

import io.panamanetty.channel.ChannelHandlerContext;

import java.util.concurrent.TimeUnit;

/**
 * Closes a channel that has read nothing for a while, after firing a
 * {@link ReadTimeoutException} through {@code exceptionCaught} (once). Time runs on the
 * channel's event loop's clock, from the channel turning active or from the last read.
 * <pre>{@code
 * pipeline.addLast("readTimeout", new ReadTimeoutHandler(30, TimeUnit.SECONDS))
 *         .addLast("app", new MyHandler());   // sees the ReadTimeoutException, then channelInactive
 * }</pre>
 * An {@link IdleStateHandler} watching reads only, which acts on the idle event itself.
 */
public class ReadTimeoutHandler extends IdleStateHandler {
    private final long timeoutNanos;
    private boolean closed;

    /**
     * @param timeout the time without reads after which the channel is closed, above 0
     * @param unit its unit
     * @throws IllegalArgumentException if {@code timeout} is not above 0
     */
    public ReadTimeoutHandler(long timeout, TimeUnit unit) {
        super(positive(timeout, unit), 0, 0, TimeUnit.NANOSECONDS);
        this.timeoutNanos = unit.toNanos(timeout);
    }

    private static long positive(long timeout, TimeUnit unit) {
        if (timeout <= 0) {
            throw new IllegalArgumentException("read timeout must be above 0: " + timeout + " " + unit);
        }
        return unit.toNanos(timeout);
    }

    @Override
    protected final void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        if (event.first()) {
            readTimedOut(ctx);
        }
    }

    /**
     * Nothing was read for the timeout: fires a {@link ReadTimeoutException} and closes the
     * channel, once. Override to act otherwise.
     */
    protected void readTimedOut(ChannelHandlerContext ctx) {
        if (closed) {
            return;
        }
        closed = true;
        ctx.fireExceptionCaught(new ReadTimeoutException("nothing read for "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms on " + ctx.channel()));
        ctx.close();
    }
}
