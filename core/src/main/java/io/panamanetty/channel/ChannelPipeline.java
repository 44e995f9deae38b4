package io.panamanetty.channel;

import java.net.SocketAddress;
import java.util.List;

/**
 * The chain of handlers of one channel, between a head (the socket) and a tail.
 * Inbound events enter at the head and travel toward the tail; outbound operations
 * started on the channel enter at the tail and travel toward the head.
 *
 * <pre>{@code
 * ch.pipeline().addLast("decoder", new LineFrameDecoder(8192))
 *              .addLast("app", new MyHandler());
 * }</pre>
 * Handlers may be added, replaced and removed while the channel is live, from any
 * thread; the change takes effect for the next event, and {@code handlerAdded} /
 * {@code handlerRemoved} run on the channel's event loop. A handler instance may sit
 * in one pipeline at a time unless its class is annotated {@link ChannelHandler.Sharable}.
 */
public interface ChannelPipeline {

    /** The channel this pipeline belongs to. */
    Channel channel();

    /** Adds {@code handler} right after the head. */
    ChannelPipeline addFirst(String name, ChannelHandler handler);

    /** Adds {@code handler} right before the tail. */
    ChannelPipeline addLast(String name, ChannelHandler handler);

    /** Adds {@code handler} right before the tail under a generated name. */
    ChannelPipeline addLast(ChannelHandler handler);

    /**
     * Adds {@code handlers} right before the tail, in the order given, each under a
     * generated name (Netty's {@code addLast(h1, h2, h3)}).
     *
     * @throws NullPointerException if a handler is null (those before it are added)
     */
    default ChannelPipeline addLast(ChannelHandler... handlers) {
        for (ChannelHandler handler : handlers) {
            addLast(java.util.Objects.requireNonNull(handler, "handler"));
        }
        return this;
    }

    /**
     * Adds {@code handlers} right after the head, keeping the order given (the first one
     * ends up first), each under a generated name.
     *
     * @throws NullPointerException if a handler is null (none is added then)
     */
    default ChannelPipeline addFirst(ChannelHandler... handlers) {
        for (ChannelHandler handler : handlers) {
            java.util.Objects.requireNonNull(handler, "handler");
        }
        for (int i = handlers.length - 1; i >= 0; i--) {
            addFirst(null, handlers[i]);
        }
        return this;
    }

    /**
     * Adds {@code handler} right before the tail, its inbound callbacks run on
     * {@code executor} instead of the event loop, one at a time and in order, so that
     * it may block (e.g. {@code Executors.newVirtualThreadPerTaskExecutor()}). A buffer
     * handed to it stays valid while queued; the ownership rule applies on that thread
     * as on the loop. Its {@code ctx.write}/{@code ctx.fire*} calls hop back to the loop.
     */
    ChannelPipeline addLast(java.util.concurrent.Executor executor, String name, ChannelHandler handler);

    /** Adds {@code handler} right before the handler named {@code baseName}. */
    ChannelPipeline addBefore(String baseName, String name, ChannelHandler handler);

    /** Adds {@code handler} right after the handler named {@code baseName}. */
    ChannelPipeline addAfter(String baseName, String name, ChannelHandler handler);

    /**
     * Puts {@code handler} in place of the handler named {@code oldName} (under
     * {@code newName}, or the old name if null) and returns the old handler.
     */
    ChannelHandler replace(String oldName, String newName, ChannelHandler handler);

    /** Removes the handler named {@code name} and returns it. */
    ChannelHandler remove(String name);

    /** Removes {@code handler}. */
    ChannelPipeline remove(ChannelHandler handler);

    /** The context of {@code handler}, or null if it is not in this pipeline. */
    ChannelHandlerContext context(ChannelHandler handler);

    /** The handler named {@code name}, or null. */
    ChannelHandler get(String name);

    /** The context of the handler named {@code name}, or null. */
    ChannelHandlerContext context(String name);

    /** The names of the handlers, head to tail (head and tail excluded). */
    List<String> names();

    /** Fires {@code channelRead} at the head. */
    ChannelPipeline fireChannelRead(Object message);

    /** Fires a user event at the head. */
    ChannelPipeline fireUserEventTriggered(Object event);

    /** Fires an exception at the head. */
    ChannelPipeline fireExceptionCaught(Throwable cause);

    /** Writes at the tail. */
    ChannelFuture write(Object message);

    /** Writes and flushes at the tail. */
    ChannelFuture writeAndFlush(Object message);

    /** Flushes at the tail. */
    ChannelPipeline flush();

    /** Closes at the tail. */
    ChannelFuture close();

    /**
     * Binds at the tail, so the handlers may see, delay or alter it on its way to the socket
     * ({@link ChannelHandler#bind}); {@code promise} (from {@link ChannelHandlerContext#newPromise()},
     * say) completes when the socket is bound.
     */
    ChannelFuture bind(SocketAddress localAddress, ChannelPromise promise);

    /** Connects at the tail, through the handlers ({@link ChannelHandler#connect}); {@code localAddress} may be null. */
    ChannelFuture connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise);

    /** Disconnects at the tail, through the handlers ({@link ChannelHandler#disconnect}). */
    ChannelFuture disconnect(ChannelPromise promise);
}
