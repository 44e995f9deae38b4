package io.panamanetty.handler.traffic;

import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.EventLoop;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Holds all the channels it is added to, together, to one read and one write rate in bytes
 * per second (see {@link AbstractTrafficShapingHandler} for how): one instance, shared by
 * channels on any loops of any groups, with one thread-safe {@link TrafficCounter} for all.
 * <pre>{@code
 * GlobalTrafficShapingHandler shaping = new GlobalTrafficShapingHandler(workers.next(), 10 << 20, 0, 1000);
 * new ServerBootstrap().group(workers)
 *         .childInitializer(ch -> ch.pipeline().addLast("shaping", shaping).addLast("app", new MyHandler()));
 * ...
 * shaping.release();   // stops the counter's timer
 * }</pre>
 * The rate is shared first come, first served: each channel's bytes book time on one
 * timeline, so a busy channel slows the others down too.
 */
@ChannelHandler.Sharable
public class GlobalTrafficShapingHandler extends AbstractTrafficShapingHandler {
    private final EventLoop timer;
    private final AtomicBoolean counting = new AtomicBoolean();

    /**
     * @param timer the loop that times the counter's intervals, from the first channel on (any
     *              loop; it runs no I/O for this handler)
     * @param writeLimit bytes per second written by all channels together, 0 for no limit
     * @param readLimit bytes per second read by all channels together, 0 for no limit
     * @param checkIntervalMillis the length of the counter's intervals
     * @param maxTimeMillis the longest a read pause or a held write lasts, at least 10
     */
    public GlobalTrafficShapingHandler(EventLoop timer, long writeLimit, long readLimit, long checkIntervalMillis,
                                       long maxTimeMillis) {
        super(writeLimit, readLimit, checkIntervalMillis, maxTimeMillis);
        this.timer = Objects.requireNonNull(timer, "timer");
    }

    /** As the five-argument constructor, with the {@linkplain #DEFAULT_MAX_TIME_MILLIS default max time}. */
    public GlobalTrafficShapingHandler(EventLoop timer, long writeLimit, long readLimit, long checkIntervalMillis) {
        this(timer, writeLimit, readLimit, checkIntervalMillis, DEFAULT_MAX_TIME_MILLIS);
    }

    /** Starts the counter's intervals with the first channel. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        super.handlerAdded(ctx);
        if (counting.compareAndSet(false, true)) {
            startCounter(timer);
        }
    }

    /**
     * Stops the counter's interval timer; call it when no channel uses the handler any more.
     * The intervals do not start again.
     */
    public void release() {
        counting.set(true);
        stopCounter();
    }
}
