package io.panamanetty.handler;

import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.ScheduledTask;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Fails a write that has not completed (reached the socket) within a timeout: its future
 * fails with a {@link WriteTimeoutException}, which is also fired through
 * {@code exceptionCaught} (once), and the channel is closed. Time runs on the channel's event
 * loop's clock, from the moment the write passes this handler.
 * <pre>{@code
 * pipeline.addLast("writeTimeout", new WriteTimeoutHandler(30, TimeUnit.SECONDS));
 * }</pre>
 * A write made with the void promise is watched too: it is given a promise of its own, whose
 * failure goes to the void promise (that is, to {@code exceptionCaught}).
 */
public class WriteTimeoutHandler extends ChannelHandlerAdapter {
    private final long timeoutNanos;
    /** The timers of the writes not done yet, cancelled as each completes or the handler goes. */
    private final Set<ScheduledTask<?>> pending = new LinkedHashSet<>();
    private boolean closed;

    /**
     * @param timeout how long a write may take, above 0
     * @param unit its unit
     * @throws IllegalArgumentException if {@code timeout} is not above 0
     */
    public WriteTimeoutHandler(long timeout, TimeUnit unit) {
        if (timeout <= 0) {
            throw new IllegalArgumentException("write timeout must be above 0: " + timeout + " " + unit);
        }
        this.timeoutNanos = unit.toNanos(timeout);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
        ChannelPromise watched = promise;
        if (promise.isVoid()) {
            watched = ctx.newPromise();
            watched.addListener(f -> {
                if (!f.isSuccess() && !(f.cause() instanceof WriteTimeoutException)) {   // that one is fired below
                    promise.tryFailure(f.cause());
                }
            });
        }
        ChannelPromise write = watched;
        ScheduledTask<?> timer = ctx.eventLoop().schedule(() -> timedOut(ctx, write), timeoutNanos, TimeUnit.NANOSECONDS);
        pending.add(timer);
        write.addListener(f -> {
            timer.cancel();
            if (ctx.eventLoop().inEventLoop()) {
                pending.remove(timer);
            } else {
                ctx.eventLoop().execute(() -> pending.remove(timer));
            }
        });
        ctx.write(message, write);
    }

    private void timedOut(ChannelHandlerContext ctx, ChannelPromise write) {
        if (write.isDone()) {
            return;
        }
        WriteTimeoutException timeout = new WriteTimeoutException("a write did not complete within "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms on " + ctx.channel());
        write.tryFailure(timeout);
        writeTimedOut(ctx, timeout);
    }

    /**
     * A write did not complete in time (its future has failed with {@code timeout}): fires
     * {@code timeout} and closes the channel, once. Override to act otherwise.
     */
    protected void writeTimedOut(ChannelHandlerContext ctx, WriteTimeoutException timeout) {
        if (closed) {
            return;
        }
        closed = true;
        ctx.fireExceptionCaught(timeout);
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        for (ScheduledTask<?> timer : pending) {
            timer.cancel();
        }
        pending.clear();
    }
}
