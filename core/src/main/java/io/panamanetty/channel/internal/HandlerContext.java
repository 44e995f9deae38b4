package io.panamanetty.channel.internal;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPipeline;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.internal.BufferInternals;

import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.RejectedExecutionException;

/**
 * One node of a {@link DefaultChannelPipeline}: a handler, its name and its links.
 * Dispatch always happens on the channel's event loop; calls from other threads are
 * handed to it.
 */
final class HandlerContext implements ChannelHandlerContext {
    /** The "message" of a bind or connect hopping to the loop: see {@link #hop(Runnable, Object, ChannelPromise)}. */
    private static final Object OPERATION = new Object();

    final DefaultChannelPipeline pipeline;
    final String name;
    final ChannelHandler handler;
    volatile HandlerContext next;
    volatile HandlerContext prev;
    /** Where this handler's inbound callbacks run: null for the channel's event loop. */
    final SerialExecutor executor;

    HandlerContext(DefaultChannelPipeline pipeline, String name, ChannelHandler handler) {
        this(pipeline, name, handler, null);
    }

    HandlerContext(DefaultChannelPipeline pipeline, String name, ChannelHandler handler,
                   java.util.concurrent.Executor executor) {
        this.pipeline = pipeline;
        this.name = name;
        this.handler = handler;
        this.executor = executor == null ? null : new SerialExecutor(executor);
    }

    @Override
    public Channel channel() {
        return pipeline.channel();
    }

    @Override
    public ChannelPipeline pipeline() {
        return pipeline;
    }

    @Override
    public ChannelHandler handler() {
        return handler;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public BufferAllocator alloc() {
        return pipeline.channel().config().allocator();
    }

    @Override
    public ChannelPromise newPromise() {
        return new DefaultChannelPromise(channel());
    }

    @Override
    public ChannelPromise voidPromise() {
        return pipeline.channel.voidPromise;
    }

    private boolean inLoop() {
        return pipeline.channel().eventLoop().inEventLoop();
    }

    /**
     * Hands {@code retry} to the channel's loop and returns false (for
     * {@code if (inLoop() || hop(...))}: the lambda is only created off the loop, so the
     * on-loop path allocates nothing).
     */
    private boolean hop(Runnable retry) {
        pipeline.channel().eventLoop().execute(retry);
        return false;
    }

    /**
     * {@link #hop} for an outbound operation from another thread: once the loop has
     * terminated (its channels are closed), a write fails with {@link ClosedChannelException}
     * and releases its message, a close ({@code message} null) succeeds, a bind or connect
     * ({@link #OPERATION}) fails, instead of throwing.
     */
    private boolean hop(Runnable retry, Object message, ChannelPromise promise) {
        try {
            return hop(retry);
        } catch (RejectedExecutionException e) {
            if (message == null && !channel().isOpen()) {
                promise.trySuccess();   // a close of a channel already closed
                return false;
            }
            if (message instanceof io.panamanetty.buffer.ReferenceCounted counted) {
                counted.release();
            }
            ClosedChannelException closed = new ClosedChannelException();
            closed.initCause(e);
            promise.tryFailure(closed);
            return false;
        }
    }

    // ---------------------------------------------------------------- inbound

    @Override
    public ChannelHandlerContext fireChannelRegistered() {
        if (inLoop() || hop(this::fireChannelRegistered)) {
            HandlerContext n = next;
            if (n.executor == null) {
                n.invokeChannelRegistered();
            } else {
                n.executor.execute(n::invokeChannelRegistered);
            }
        }
        return this;
    }

    @Override
    public ChannelHandlerContext fireChannelUnregistered() {
        if (inLoop() || hop(this::fireChannelUnregistered)) {
            HandlerContext n = next;
            if (n.executor == null) {
                n.invokeChannelUnregistered();
            } else {
                n.executor.execute(n::invokeChannelUnregistered);
            }
        }
        return this;
    }

    @Override
    public ChannelHandlerContext fireChannelActive() {
        if (inLoop() || hop(this::fireChannelActive)) {
            HandlerContext n = next;
            if (n.executor == null) {
                n.invokeChannelActive();
            } else {
                n.executor.execute(n::invokeChannelActive);
            }
        }
        return this;
    }

    @Override
    public ChannelHandlerContext fireChannelInactive() {
        if (inLoop() || hop(this::fireChannelInactive)) {
            HandlerContext n = next;
            if (n.executor == null) {
                n.invokeChannelInactive();
            } else {
                n.executor.execute(n::invokeChannelInactive);
            }
        }
        return this;
    }

    @Override
    public ChannelHandlerContext fireChannelRead(Object message) {
        ReadScope.noteHandOff(message);
        if (inLoop() || hop(() -> fireChannelRead(message))) {
            HandlerContext n = next;
            if (n.executor == null) {
                n.invokeChannelRead(message);
            } else {
                n.executor.execute(() -> n.invokeChannelRead(message));
            }
        }
        return this;
    }

    /** Calls this handler's {@code channelRead}, applying the buffer ownership rule. */
    void invokeChannelRead(Object message) {
        Buffer buffer = ReadScope.bufferOf(message);
        if (buffer == null) {
            ReadScope.invokeWithoutBuffer(this, message);   // a descriptor follows the ownership rule there
            return;
        }
        BufferInternals.Access buffers = ReadScope.BUFFERS;
        Buffer carrier = buffers.carrier(buffer);
        int retainsBefore = buffers.retains(carrier);
        int releasesBefore = buffers.releases(carrier);
        int incarnation = buffers.incarnation(carrier);
        ReadScope scope = ReadScope.current();
        Object outerCarrier = scope.carrier;
        boolean outerPassedOn = scope.passedOn;
        scope.carrier = carrier;
        scope.passedOn = false;
        boolean passedOn;
        try {
            handler.channelRead(this, message);
        } catch (Throwable t) {
            invokeExceptionCaught(t);
        } finally {
            passedOn = scope.passedOn;
            scope.carrier = outerCarrier;
            scope.passedOn = outerPassedOn;
        }
        // The callback's reference is gone if it passed the buffer on, or released through
        // it more often than it retained, or if the memory was freed and recycled (the object
        // may now be a new buffer the callback allocated); otherwise it ends here.
        if (buffers.incarnation(carrier) != incarnation) {
            return;
        }
        int retains = buffers.retains(carrier) - retainsBefore;
        int releases = buffers.releases(carrier) - releasesBefore;
        if (!passedOn && releases <= retains && buffer.refCnt() > 0) {
            // neither passed on nor released: the callback's reference ends here (through the
            // packet, so that a received one goes back to its loop for reuse, or a Unix one closes its descriptors)
            if (message != buffer && message instanceof io.panamanetty.buffer.ReferenceCounted packet
                    && packet.refCnt() > 0) {
                packet.release();
            } else {
                buffer.release();
            }
        }
    }

    @Override
    public ChannelHandlerContext fireChannelReadComplete() {
        if (inLoop() || hop(this::fireChannelReadComplete)) {
            HandlerContext n = next;
            if (n.executor == null) {
                n.invokeChannelReadComplete();
            } else {
                n.executor.execute(n::invokeChannelReadComplete);
            }
        }
        return this;
    }

    @Override
    public ChannelHandlerContext fireChannelHandshakeComplete() {
        if (inLoop() || hop(this::fireChannelHandshakeComplete)) {
            HandlerContext n = next;
            if (n.executor == null) {
                n.invokeChannelHandshakeComplete();
            } else {
                n.executor.execute(n::invokeChannelHandshakeComplete);
            }
        }
        return this;
    }

    @Override
    public ChannelHandlerContext fireChannelWritabilityChanged() {
        if (inLoop() || hop(this::fireChannelWritabilityChanged)) {
            HandlerContext n = next;
            if (n.executor == null) {
                n.invokeChannelWritabilityChanged();
            } else {
                n.executor.execute(n::invokeChannelWritabilityChanged);
            }
        }
        return this;
    }

    @Override
    public ChannelHandlerContext fireUserEventTriggered(Object event) {
        if (inLoop() || hop(() -> fireUserEventTriggered(event))) {
            HandlerContext n = next;
            if (n.executor == null) {
                n.invokeUserEventTriggered(event);
            } else {
                n.executor.execute(() -> n.invokeUserEventTriggered(event));
            }
        }
        return this;
    }

    @Override
    public ChannelHandlerContext fireExceptionCaught(Throwable cause) {
        if (inLoop() || hop(() -> fireExceptionCaught(cause))) {
            HandlerContext n = next;
            if (n.executor == null) {
                n.invokeExceptionCaught(cause);
            } else {
                n.executor.execute(() -> n.invokeExceptionCaught(cause));
            }
        }
        return this;
    }

    void invokeExceptionCaught(Throwable cause) {
        try {
            handler.exceptionCaught(this, cause);
        } catch (Throwable t) {
            SafeLog.warning(HandlerContext.class, () -> "exceptionCaught of handler '" + name + "' on " + channel()
                    + " threw while handling " + cause + "; logged and ignored", t);
        }
    }

    void invokeChannelRegistered() {
        try {
            handler.channelRegistered(this);
        } catch (Throwable t) {
            invokeExceptionCaught(t);
        }
    }

    void invokeChannelUnregistered() {
        try {
            handler.channelUnregistered(this);
        } catch (Throwable t) {
            invokeExceptionCaught(t);
        }
    }

    void invokeChannelActive() {
        try {
            handler.channelActive(this);
        } catch (Throwable t) {
            invokeExceptionCaught(t);
        }
    }

    void invokeChannelInactive() {
        try {
            handler.channelInactive(this);
        } catch (Throwable t) {
            invokeExceptionCaught(t);
        }
    }

    void invokeChannelReadComplete() {
        try {
            handler.channelReadComplete(this);
        } catch (Throwable t) {
            invokeExceptionCaught(t);
        }
    }

    void invokeChannelHandshakeComplete() {
        try {
            handler.channelHandshakeComplete(this);
        } catch (Throwable t) {
            invokeExceptionCaught(t);
        }
    }

    void invokeChannelWritabilityChanged() {
        try {
            handler.channelWritabilityChanged(this);
        } catch (Throwable t) {
            invokeExceptionCaught(t);
        }
    }

    void invokeUserEventTriggered(Object event) {
        try {
            handler.userEventTriggered(this, event);
        } catch (Throwable t) {
            invokeExceptionCaught(t);
        }
    }

    // --------------------------------------------------------------- outbound

    @Override
    public ChannelFuture write(Object message) {
        return write(message, newPromise());
    }

    @Override
    public ChannelFuture write(Object message, ChannelPromise promise) {
        ReadScope.noteHandOff(message);
        if (inLoop() || hop(() -> write(message, promise), message, promise)) {
            HandlerContext p = prev;
            try {
                p.handler.write(p, message, promise);
            } catch (Throwable t) {
                promise.tryFailure(t);
            }
        }
        return promise;
    }

    @Override
    public ChannelHandlerContext flush() {
        if (inLoop() || hop(this::flush)) {
            HandlerContext p = prev;
            try {
                p.handler.flush(p);
            } catch (Throwable t) {
                p.invokeExceptionCaught(t);
            }
        }
        return this;
    }

    @Override
    public ChannelFuture writeAndFlush(Object message) {
        return writeAndFlush(message, newPromise());
    }

    @Override
    public ChannelFuture writeAndFlush(Object message, ChannelPromise promise) {
        ReadScope.noteHandOff(message);   // before handing to another loop, as write() does
        if (inLoop() || hop(() -> writeAndFlush(message, promise), message, promise)) {
            write(message, promise);
            flush();
        }
        return promise;
    }

    @Override
    public ChannelFuture close() {
        return close(newPromise());
    }

    @Override
    public ChannelFuture close(ChannelPromise promise) {
        if (inLoop() || hop(() -> close(promise), null, promise)) {
            HandlerContext p = prev;
            try {
                p.handler.close(p, promise);
            } catch (Throwable t) {
                promise.tryFailure(t);
            }
        }
        return promise;
    }

    @Override
    public ChannelFuture bind(SocketAddress localAddress, ChannelPromise promise) {
        if (inLoop() || hop(() -> bind(localAddress, promise), OPERATION, promise)) {
            HandlerContext p = prev;
            try {
                p.handler.bind(p, localAddress, promise);
            } catch (Throwable t) {
                promise.tryFailure(t);
            }
        }
        return promise;
    }

    @Override
    public ChannelFuture connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
        if (inLoop() || hop(() -> connect(remoteAddress, localAddress, promise), OPERATION, promise)) {
            HandlerContext p = prev;
            try {
                p.handler.connect(p, remoteAddress, localAddress, promise);
            } catch (Throwable t) {
                promise.tryFailure(t);
            }
        }
        return promise;
    }

    @Override
    public ChannelFuture disconnect(ChannelPromise promise) {
        if (inLoop() || hop(() -> disconnect(promise), null, promise)) {   // fails or succeeds as a close would
            HandlerContext p = prev;
            try {
                p.handler.disconnect(p, promise);
            } catch (Throwable t) {
                promise.tryFailure(t);
            }
        }
        return promise;
    }

    @Override
    public ChannelHandlerContext read() {
        if (inLoop() || hop(this::read)) {
            HandlerContext p = prev;
            try {
                p.handler.read(p);
            } catch (Throwable t) {
                p.invokeExceptionCaught(t);
            }
        }
        return this;
    }

    @Override
    public String toString() {
        return "ChannelHandlerContext(" + name + ", " + channel() + ")";
    }
}
