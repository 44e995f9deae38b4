package io.panamanetty.channel;

/**
 * A handler that sets up its channel's pipeline once, then removes itself: the way to
 * add several handlers per channel from a bootstrap's single-handler factory.
 * <pre>{@code
 * new ServerBootstrap().childHandler(() -> new ChannelInitializer() {
 *     protected void initChannel(Channel ch) {
 *         ch.pipeline().addLast("framer", new LineFrameDecoder(8192))
 *                      .addLast("app", new MyHandler());
 *     }
 * });
 * }</pre>
 */
public abstract class ChannelInitializer extends ChannelHandlerAdapter {

    /** For subclasses. */
    protected ChannelInitializer() {
    }

    /** Adds the channel's handlers; called once, on the channel's event loop. */
    protected abstract void initChannel(Channel channel) throws Exception;

    @Override
    public final void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        try {
            initChannel(ctx.channel());
        } finally {
            if (ctx.pipeline().context(this) != null) {
                ctx.pipeline().remove(this);
            }
        }
    }
}
