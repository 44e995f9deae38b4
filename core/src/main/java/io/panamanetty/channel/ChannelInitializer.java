package io.panamanetty.channel;

/**
 * A handler that sets up its channel's pipeline once, then removes itself: the way to
 * add several handlers per channel. As in Netty, one instance serves every channel (it
 * is {@link ChannelHandler.Sharable}), so it can be given to a bootstrap directly:
 * <pre>{@code
 * new ServerBootstrap().childHandler(new ChannelInitializer<StreamChannel>() {
 *     protected void initChannel(StreamChannel ch) {
 *         ch.pipeline().addLast(new LineFrameDecoder(8192), new StringDecoder(), new MyHandler());
 *     }
 * });
 * }</pre>
 * Keep per-channel state out of the initializer's fields: make it inside
 * {@link #initChannel}, in the handlers added there.
 *
 * @param <C> the kind of channel it sets up ({@link StreamChannel} for TCP connections,
 *            {@link Channel} for any); the channel is cast to it unchecked
 */
@ChannelHandler.Sharable
public abstract class ChannelInitializer<C extends Channel> extends ChannelHandlerAdapter {

    /** For subclasses. */
    protected ChannelInitializer() {
    }

    /** Adds the channel's handlers; called once per channel, on the channel's event loop. */
    protected abstract void initChannel(C channel) throws Exception;

    @Override
    @SuppressWarnings("unchecked")
    public final void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        try {
            initChannel((C) ctx.channel());
        } finally {
            if (ctx.pipeline().context(this) != null) {
                ctx.pipeline().remove(this);
            }
        }
    }
}
