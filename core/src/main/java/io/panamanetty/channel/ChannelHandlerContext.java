package io.panamanetty.channel;

import io.panamanetty.buffer.BufferAllocator;

import java.net.SocketAddress;

/**
 * A handler's place in its channel's {@link ChannelPipeline}: how the handler passes
 * events on ({@code fire*}, toward the tail) and starts operations ({@code write},
 * {@code flush}, {@code close}, {@code read}, toward the head, skipping the handlers
 * after it).
 */
public interface ChannelHandlerContext {

    /** The channel. */
    Channel channel();

    /** The channel's pipeline. */
    ChannelPipeline pipeline();

    /** The handler at this place. */
    ChannelHandler handler();

    /** The name of this place in the pipeline. */
    String name();

    /** The channel's event loop. */
    default EventLoop eventLoop() {
        return channel().eventLoop();
    }

    /** The allocator for buffers this handler creates. */
    BufferAllocator alloc();

    /** A new promise for this channel. */
    ChannelPromise newPromise();

    /**
     * The channel's shared promise for writes whose outcome nobody waits for: nothing is
     * allocated, and a failure is reported to {@code exceptionCaught} instead. It cannot be
     * listened to or waited on. {@code ctx.write(msg, ctx.voidPromise())} is the
     * allocation-free write of a hot path.
     */
    ChannelPromise voidPromise();

    /** Passes {@code channelRegistered} to the next handler. */
    ChannelHandlerContext fireChannelRegistered();

    /** Passes {@code channelUnregistered} to the next handler. */
    ChannelHandlerContext fireChannelUnregistered();

    /** Passes {@code channelActive} to the next handler. */
    ChannelHandlerContext fireChannelActive();

    /** Passes {@code channelInactive} to the next handler. */
    ChannelHandlerContext fireChannelInactive();

    /** Passes a message to the next handler (handing over its ownership). */
    ChannelHandlerContext fireChannelRead(Object message);

    /** Passes {@code channelReadComplete} to the next handler. */
    ChannelHandlerContext fireChannelReadComplete();

    /** Passes {@code channelHandshakeComplete} to the next handler. */
    ChannelHandlerContext fireChannelHandshakeComplete();

    /** Passes {@code channelWritabilityChanged} to the next handler. */
    ChannelHandlerContext fireChannelWritabilityChanged();

    /** Passes a user event to the next handler. */
    ChannelHandlerContext fireUserEventTriggered(Object event);

    /** Passes an exception to the next handler. */
    ChannelHandlerContext fireExceptionCaught(Throwable cause);

    /** Binds the channel to {@code localAddress} through the handlers before this one. */
    default ChannelFuture bind(SocketAddress localAddress) {
        return bind(localAddress, newPromise());
    }

    /** As {@link #bind(SocketAddress)}, completing {@code promise}. */
    ChannelFuture bind(SocketAddress localAddress, ChannelPromise promise);

    /** Connects the channel to {@code remoteAddress} through the handlers before this one. */
    default ChannelFuture connect(SocketAddress remoteAddress) {
        return connect(remoteAddress, null, newPromise());
    }

    /** As {@link #connect(SocketAddress)}, completing {@code promise}. */
    default ChannelFuture connect(SocketAddress remoteAddress, ChannelPromise promise) {
        return connect(remoteAddress, null, promise);
    }

    /**
     * Connects the channel to {@code remoteAddress}, from {@code localAddress} (bound first;
     * null for any), through the handlers before this one, completing {@code promise}.
     */
    ChannelFuture connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise);

    /** Disconnects the channel through the handlers before this one (see {@link ChannelHandler#disconnect}). */
    default ChannelFuture disconnect() {
        return disconnect(newPromise());
    }

    /** As {@link #disconnect()}, completing {@code promise}. */
    ChannelFuture disconnect(ChannelPromise promise);

    /** Writes {@code message} through the handlers before this one (handing over its ownership). */
    ChannelFuture write(Object message);

    /** As {@link #write(Object)}, completing {@code promise}. */
    ChannelFuture write(Object message, ChannelPromise promise);

    /** Flushes through the handlers before this one. */
    ChannelHandlerContext flush();

    /** {@link #write(Object)} then {@link #flush()}. */
    ChannelFuture writeAndFlush(Object message);

    /** {@link #write(Object, ChannelPromise)} then {@link #flush()}. */
    ChannelFuture writeAndFlush(Object message, ChannelPromise promise);

    /** Closes the channel through the handlers before this one. */
    ChannelFuture close();

    /** As {@link #close()}, completing {@code promise}. */
    ChannelFuture close(ChannelPromise promise);

    /** Requests a read through the handlers before this one. */
    ChannelHandlerContext read();
}
