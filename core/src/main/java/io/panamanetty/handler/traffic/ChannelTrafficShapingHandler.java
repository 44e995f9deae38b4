package io.panamanetty.handler.traffic;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandlerContext;

/**
 * Holds one channel to a read and a write rate, in bytes per second (see
 * {@link AbstractTrafficShapingHandler} for how). Add a new one to each channel:
 * <pre>{@code
 * .childInitializer(ch -> ch.pipeline()
 *         .addLast("shaping", new ChannelTrafficShapingHandler(1 << 20, 0, 1000))   // 1 MiB/s out
 *         .addLast("app", new MyHandler()))
 * }</pre>
 * Its {@link TrafficCounter} times its intervals on the channel's event loop, from the moment
 * the handler is added until it is removed (or the channel is closed and deregistered).
 */
public class ChannelTrafficShapingHandler extends AbstractTrafficShapingHandler {
    private volatile Channel channel;

    /**
     * @param writeLimit bytes per second written, 0 for no limit
     * @param readLimit bytes per second read, 0 for no limit
     * @param checkIntervalMillis the length of the counter's intervals
     * @param maxTimeMillis the longest a read pause or a held write lasts, at least 10
     */
    public ChannelTrafficShapingHandler(long writeLimit, long readLimit, long checkIntervalMillis, long maxTimeMillis) {
        super(writeLimit, readLimit, checkIntervalMillis, maxTimeMillis);
    }

    /** As the four-argument constructor, with the {@linkplain #DEFAULT_MAX_TIME_MILLIS default max time}. */
    public ChannelTrafficShapingHandler(long writeLimit, long readLimit, long checkIntervalMillis) {
        this(writeLimit, readLimit, checkIntervalMillis, DEFAULT_MAX_TIME_MILLIS);
    }

    /** As the four-argument constructor, with the default check interval and max time. */
    public ChannelTrafficShapingHandler(long writeLimit, long readLimit) {
        this(writeLimit, readLimit, DEFAULT_CHECK_INTERVAL_MILLIS);
    }

    /** {@return the bytes of this handler's channel's writes held now} */
    public long heldBytes() {
        Channel channel = this.channel;
        return channel == null ? 0 : heldBytes(channel);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        super.handlerAdded(ctx);
        channel = ctx.channel();
        startCounter(ctx.eventLoop());
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stopCounter();
        super.handlerRemoved(ctx);
    }

    @Override
    public void channelUnregistered(ChannelHandlerContext ctx) throws Exception {
        stopCounter();
        ctx.fireChannelUnregistered();
    }
}
