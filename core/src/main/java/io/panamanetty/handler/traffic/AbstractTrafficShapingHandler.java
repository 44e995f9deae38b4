package io.panamanetty.handler.traffic;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.CompositeBuffer;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What the two traffic-shaping handlers share: limits in bytes per second on what a channel
 * reads and writes, a {@link TrafficCounter} per check interval, and how a channel is held
 * to the limits. {@link ChannelTrafficShapingHandler} shapes one channel;
 * {@link GlobalTrafficShapingHandler} all the channels it is added to, together.
 *
 * <p><b>Reads.</b> A read over the limit pauses the channel's reading for as long as the rate
 * needs to pay for it (at most the max time): auto-read goes off and comes back on, or, for
 * an application that keeps auto-read off, its {@code read()} requests wait for the pause to
 * end. TCP flow control then holds the peer back.
 *
 * <p><b>Writes.</b> A write over the limit is held, in order with the writes after it, and
 * passed on when the rate allows (at most the max time after it was written). The bytes held
 * count toward the channel's writability like queued ones: a writer that waits for
 * {@code isWritable()} (or {@code channelWritabilityChanged}) is held to the rate with at most
 * about the high water mark in memory.
 *
 * <p>Sizes are the readable bytes of a {@link Buffer}, {@link CompositeBuffer},
 * {@code byte[]}, {@link ByteBuffer} or {@link MemorySegment}; other messages count 0 bytes
 * and keep their place in line. A wait shorter than 10 ms is not applied (it would cost more
 * timers than it smooths). Time the rate left unused (a writer that came back late, a loop
 * that stalled) is made up for, up to a tenth of the check interval: within an interval the
 * bytes stay within about a tenth of the limit's worth. A limit of 0 means none.
 */
public abstract class AbstractTrafficShapingHandler implements ChannelHandler {
    /** The check interval when none is given: {@value} ms. */
    public static final long DEFAULT_CHECK_INTERVAL_MILLIS = 1000;
    /** The longest a read pause or a held write lasts when no max time is given: {@value} ms. */
    public static final long DEFAULT_MAX_TIME_MILLIS = 15_000;

    private static final long MINIMAL_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** One channel's shaping state. */
    private record Shaped(HeldWrites writes, ReadSuspension reads) {
    }

    private final TrafficCounter counter;
    private final Pacer readPacer;
    private final Pacer writePacer;
    private final long maxTimeNanos;
    private final Map<Channel, Shaped> channels = new ConcurrentHashMap<>();

    AbstractTrafficShapingHandler(long writeLimit, long readLimit, long checkIntervalMillis, long maxTimeMillis) {
        if (checkIntervalMillis <= 0) {
            throw new IllegalArgumentException("check interval must be positive: " + checkIntervalMillis + " ms");
        }
        if (maxTimeMillis < TimeUnit.NANOSECONDS.toMillis(MINIMAL_WAIT_NANOS)) {
            throw new IllegalArgumentException("max time must be at least 10 ms: " + maxTimeMillis + " ms");
        }
        this.counter = new TrafficCounter(TimeUnit.MILLISECONDS.toNanos(checkIntervalMillis));
        long creditNanos = TimeUnit.MILLISECONDS.toNanos(checkIntervalMillis) / 10;
        this.readPacer = new Pacer(readLimit, creditNanos);
        this.writePacer = new Pacer(writeLimit, creditNanos);
        this.maxTimeNanos = TimeUnit.MILLISECONDS.toNanos(maxTimeMillis);
    }

    /** Changes the limits, in bytes per second (0 for none); they apply to the bytes that come next. Any thread. */
    public void configure(long newWriteLimit, long newReadLimit) {
        writePacer.setLimit(newWriteLimit);
        readPacer.setLimit(newReadLimit);
    }

    /** {@return the write limit in bytes per second, 0 for none} */
    public long writeLimit() {
        return writePacer.limit();
    }

    /** {@return the read limit in bytes per second, 0 for none} */
    public long readLimit() {
        return readPacer.limit();
    }

    /** {@return the longest a read pause or a held write lasts, in milliseconds} */
    public long maxTimeMillis() {
        return TimeUnit.NANOSECONDS.toMillis(maxTimeNanos);
    }

    /** {@return the counter of the bytes this handler has read and written} */
    public TrafficCounter trafficCounter() {
        return counter;
    }

    /**
     * {@return the bytes of {@code channel}'s writes this handler holds now} 0 for a channel
     * it does not shape. Exact on the channel's event loop, a close approximation elsewhere.
     */
    public long heldBytes(Channel channel) {
        Shaped shaped = channels.get(channel);
        return shaped == null ? 0 : shaped.writes().heldBytes();
    }

    /**
     * Called at the end of every check interval, on the loop that times the intervals, with
     * the counter whose last-interval figures were just set. Does nothing unless overridden.
     */
    protected void doAccounting(TrafficCounter trafficCounter) {
    }

    /** For subclasses: starts the counter's intervals on {@code loop}. */
    void startCounter(io.panamanetty.channel.EventLoop loop) {
        counter.start(loop, this::doAccounting);
    }

    /** For subclasses: stops the counter's intervals. */
    void stopCounter() {
        counter.stop();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        Shaped shaped = new Shaped(new HeldWrites(ctx, counter), new ReadSuspension(ctx));
        if (channels.putIfAbsent(ctx.channel(), shaped) != null) {
            throw new IllegalStateException(getClass().getSimpleName() + " is already in the pipeline of "
                    + ctx.channel() + "; add it once per channel");
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        Shaped shaped = channels.remove(ctx.channel());
        if (shaped == null) {
            return;
        }
        shaped.reads().resume();
        if (ctx.channel().isOpen()) {
            shaped.writes().releaseAll();
        } else {
            shaped.writes().failAll(new ClosedChannelException());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        Shaped shaped = channels.get(ctx.channel());
        if (shaped != null) {
            shaped.writes().failAll(new ClosedChannelException());
            shaped.reads().resume();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) throws Exception {
        long size = sizeOf(message);
        Shaped shaped = channels.get(ctx.channel());
        if (size > 0 && shaped != null) {
            counter.bytesRead(size);
            long now = ctx.eventLoop().nanoTime();
            long wait = Math.min(readPacer.book(size, now) - now, maxTimeNanos);
            if (wait >= MINIMAL_WAIT_NANOS) {
                shaped.reads().suspendFor(wait);
            }
        }
        ctx.fireChannelRead(message);
    }

    @Override
    public void read(ChannelHandlerContext ctx) throws Exception {
        Shaped shaped = channels.get(ctx.channel());
        if (shaped != null && shaped.reads().isSuspended()) {
            shaped.reads().deferRead();
        } else {
            ctx.read();
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) throws Exception {
        Shaped shaped = channels.get(ctx.channel());
        if (shaped == null) {
            ctx.write(message, promise);
            return;
        }
        long size = sizeOf(message);
        long now = ctx.eventLoop().nanoTime();
        long wait = Math.min(writePacer.book(size, now) - now, maxTimeNanos);
        HeldWrites writes = shaped.writes();
        if (writes.isEmpty() && wait < MINIMAL_WAIT_NANOS) {
            writes.pass(message, promise, size);
        } else {
            writes.hold(message, promise, size, now + wait);
        }
    }

    /** {@return the bytes {@code message} will put on the wire, as far as this handler can tell} */
    static long sizeOf(Object message) {
        return switch (message) {
            case Buffer buffer -> buffer.readableBytes();
            case CompositeBuffer composite -> composite.readableBytes();
            case byte[] bytes -> bytes.length;
            case ByteBuffer byteBuffer -> byteBuffer.remaining();
            case MemorySegment segment -> segment.byteSize();
            case null, default -> 0;
        };
    }
}
