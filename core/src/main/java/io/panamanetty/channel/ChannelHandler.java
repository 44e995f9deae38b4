package io.panamanetty.channel;

import java.net.SocketAddress;

/**
 * Reacts to a channel's events and may intercept its outbound operations. Every
 * method has a default that passes the event on to the next handler, so a handler
 * overrides only what it cares about. All callbacks of one channel run on its event
 * loop, one at a time.
 *
 * <p>Inbound events ({@code channel*}, {@code userEventTriggered}, {@code exceptionCaught})
 * travel from the pipeline's head (the socket) to its tail; outbound operations
 * ({@code write}, {@code flush}, {@code close}, {@code read}) from the tail to the head.
 *
 * <p>An exception thrown by a callback goes to {@link #exceptionCaught} of the same
 * handler's context; one thrown there is logged. Neither ever stops the event loop
 * or touches other channels.
 *
 * <p>Buffers received in {@link #channelRead} follow the ownership rule described on
 * {@link io.panamanetty.buffer.Buffer}: pass them on, release them, or let the
 * framework release them when the callback returns.
 */
public interface ChannelHandler {

    /**
     * Marks a handler class whose instances may be added to several pipelines at once
     * (it keeps no per-channel state, or guards it). Without it, adding an instance
     * that is already in a pipeline fails.
     */
    @java.lang.annotation.Documented
    @java.lang.annotation.Inherited
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE)
    @interface Sharable {
    }

    /** This handler was added to a pipeline. */
    default void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    }

    /** This handler was removed from its pipeline. */
    default void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
    }

    /** The channel was registered with its event loop. */
    default void channelRegistered(ChannelHandlerContext ctx) throws Exception {
        ctx.fireChannelRegistered();
    }

    /** The channel was deregistered from its event loop (after it closed). */
    default void channelUnregistered(ChannelHandlerContext ctx) throws Exception {
        ctx.fireChannelUnregistered();
    }

    /** The channel is connected (TCP connection ready). */
    default void channelActive(ChannelHandlerContext ctx) throws Exception {
        ctx.fireChannelActive();
    }

    /** The channel is no longer connected. */
    default void channelInactive(ChannelHandlerContext ctx) throws Exception {
        ctx.fireChannelInactive();
    }

    /**
     * A message arrived: a {@link io.panamanetty.buffer.Buffer} from the socket, or
     * whatever the handler before this one passed on.
     */
    default void channelRead(ChannelHandlerContext ctx, Object message) throws Exception {
        ctx.fireChannelRead(message);
    }

    /** The current batch of reads is over (the socket has no more for now). */
    default void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        ctx.fireChannelReadComplete();
    }

    /** The TLS handshake finished successfully. */
    default void channelHandshakeComplete(ChannelHandlerContext ctx) throws Exception {
        ctx.fireChannelHandshakeComplete();
    }

    /**
     * {@link Channel#isWritable()} changed: read it here. Two events in a row never both report
     * unwritable, and once {@code isWritable()} has returned false an event follows when the
     * channel is writable again, so a writer may stop on false and go on from this event.
     */
    default void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        ctx.fireChannelWritabilityChanged();
    }

    /** A user-defined or stock event, e.g. {@link ChannelInputShutdownEvent}. */
    default void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        ctx.fireUserEventTriggered(event);
    }

    /** A callback or an I/O operation failed. */
    default void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        ctx.fireExceptionCaught(cause);
    }

    /**
     * Intercepts a bind on its way to the socket: {@code localAddress} is what the
     * bootstrap (or the handler after this one) asked for.
     */
    default void bind(ChannelHandlerContext ctx, SocketAddress localAddress, ChannelPromise promise) throws Exception {
        ctx.bind(localAddress, promise);
    }

    /**
     * Intercepts a connect on its way to the socket. {@code remoteAddress} is as the user
     * gave it: an {@link java.net.InetSocketAddress} that may still be unresolved (the
     * transport resolves it off the loop when it arrives there unresolved), so a proxy
     * handler sees the host name. {@code localAddress} is the address to bind first, or null.
     */
    default void connect(ChannelHandlerContext ctx, SocketAddress remoteAddress, SocketAddress localAddress,
                         ChannelPromise promise) throws Exception {
        ctx.connect(remoteAddress, localAddress, promise);
    }

    /**
     * Intercepts a disconnect on its way to the socket: a datagram channel forgets its
     * peer; a stream channel, which cannot be disconnected and stay open, closes.
     */
    default void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        ctx.disconnect(promise);
    }

    /** Intercepts a write on its way to the socket. */
    default void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) throws Exception {
        ctx.write(message, promise);
    }

    /** Intercepts a flush on its way to the socket. */
    default void flush(ChannelHandlerContext ctx) throws Exception {
        ctx.flush();
    }

    /** Intercepts a close on its way to the socket. */
    default void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        ctx.close(promise);
    }

    /** Intercepts a read request on its way to the socket. */
    default void read(ChannelHandlerContext ctx) throws Exception {
        ctx.read();
    }
}
