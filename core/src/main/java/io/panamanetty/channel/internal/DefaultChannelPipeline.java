package io.panamanetty.channel.internal;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPipeline;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.EventLoop;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A doubly linked list of {@link HandlerContext}s between a head, which turns outbound
 * operations into socket I/O, and a tail, which releases unhandled messages and logs
 * unhandled exceptions. Structure changes are guarded by this object's monitor; the
 * handlers' callbacks run on the channel's event loop.
 */
public final class DefaultChannelPipeline implements ChannelPipeline {

    final AbstractChannel channel;
    final HandlerContext head;
    final HandlerContext tail;
    private int generatedNames;

    DefaultChannelPipeline(AbstractChannel channel) {
        this.channel = channel;
        this.head = new HandlerContext(this, "head", new HeadHandler(channel));
        this.tail = new HandlerContext(this, "tail", new TailHandler(channel));
        head.next = tail;
        tail.prev = head;
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public ChannelPipeline addFirst(String name, ChannelHandler handler) {
        HandlerContext added;
        synchronized (this) {
            added = newContext(name, handler);
            link(added, head, head.next);
        }
        callLifecycle(added, true);
        return this;
    }

    @Override
    public ChannelPipeline addLast(String name, ChannelHandler handler) {
        HandlerContext added;
        synchronized (this) {
            added = newContext(name, handler);
            link(added, tail.prev, tail);
        }
        callLifecycle(added, true);
        return this;
    }

    @Override
    public ChannelPipeline addLast(ChannelHandler handler) {
        return addLast(null, handler);
    }

    @Override
    public ChannelPipeline addLast(java.util.concurrent.Executor executor, String name, ChannelHandler handler) {
        java.util.Objects.requireNonNull(executor, "executor");
        HandlerContext added;
        synchronized (this) {
            added = newContext(name, handler, executor);
            link(added, tail.prev, tail);
        }
        callLifecycle(added, true);
        return this;
    }

    @Override
    public ChannelPipeline addBefore(String baseName, String name, ChannelHandler handler) {
        HandlerContext added;
        synchronized (this) {
            HandlerContext base = existing(baseName);
            added = newContext(name, handler);
            link(added, base.prev, base);
        }
        callLifecycle(added, true);
        return this;
    }

    @Override
    public ChannelPipeline addAfter(String baseName, String name, ChannelHandler handler) {
        HandlerContext added;
        synchronized (this) {
            HandlerContext base = existing(baseName);
            added = newContext(name, handler);
            link(added, base, base.next);
        }
        callLifecycle(added, true);
        return this;
    }

    @Override
    public ChannelHandler replace(String oldName, String newName, ChannelHandler handler) {
        HandlerContext old;
        HandlerContext added;
        synchronized (this) {
            old = existing(oldName);
            unlink(old);
            try {
                added = newContext(newName == null || newName.equals(oldName) ? oldName : newName, handler);
            } catch (RuntimeException e) {
                link(old, old.prev, old.next);
                throw e;
            }
            link(added, old.prev, old.next);
        }
        callLifecycle(added, true);
        callLifecycle(old, false);
        return old.handler;
    }

    @Override
    public ChannelHandler remove(String name) {
        HandlerContext removed;
        synchronized (this) {
            removed = existing(name);
            unlink(removed);
        }
        callLifecycle(removed, false);
        return removed.handler;
    }

    @Override
    public ChannelPipeline remove(ChannelHandler handler) {
        HandlerContext removed;
        synchronized (this) {
            removed = find(handler);
            if (removed == null) {
                throw new NoSuchElementException(handler + " is not in the pipeline " + names());
            }
            unlink(removed);
        }
        callLifecycle(removed, false);
        return this;
    }

    @Override
    public synchronized ChannelHandlerContext context(ChannelHandler handler) {
        return find(handler);
    }

    @Override
    public synchronized ChannelHandler get(String name) {
        HandlerContext ctx = find(name);
        return ctx == null ? null : ctx.handler;
    }

    @Override
    public synchronized ChannelHandlerContext context(String name) {
        return find(name);
    }

    @Override
    public synchronized List<String> names() {
        List<String> names = new ArrayList<>();
        for (HandlerContext ctx = head.next; ctx != tail; ctx = ctx.next) {
            names.add(ctx.name);
        }
        return names;
    }

    private HandlerContext find(String name) {
        for (HandlerContext ctx = head.next; ctx != tail; ctx = ctx.next) {
            if (ctx.name.equals(name)) {
                return ctx;
            }
        }
        return null;
    }

    /**
     * Removes every handler (calling {@code handlerRemoved}) once the channel has closed
     * and its last callbacks ran, so handler instances can be reused and collected.
     */
    public void destroy() {
        while (true) {
            HandlerContext last;
            synchronized (this) {
                last = tail.prev;
                if (last == head) {
                    return;
                }
                unlink(last);
            }
            callLifecycle(last, false);
        }
    }

    private HandlerContext find(ChannelHandler handler) {
        for (HandlerContext ctx = head.next; ctx != tail; ctx = ctx.next) {
            if (ctx.handler == handler) {
                return ctx;
            }
        }
        return null;
    }

    private HandlerContext existing(String name) {
        HandlerContext ctx = find(name);
        if (ctx == null) {
            throw new NoSuchElementException("no handler named '" + name + "' in " + names());
        }
        return ctx;
    }

    /** A context for {@code handler} under {@code name} (generated when null), checking both. */
    private HandlerContext newContext(String name, ChannelHandler handler) {
        return newContext(name, handler, null);
    }

    private HandlerContext newContext(String name, ChannelHandler handler, java.util.concurrent.Executor executor) {
        java.util.Objects.requireNonNull(handler, "handler");
        if (name == null) {
            do {
                name = handler.getClass().getSimpleName() + "#" + generatedNames++;
            } while (find(name) != null);
        }
        if (name.isEmpty() || name.equals("head") || name.equals("tail") || find(name) != null) {
            throw new IllegalArgumentException("handler name '" + name + "' is empty, reserved or taken: "
                    + names());
        }
        HandlerSharing.claim(handler);
        return new HandlerContext(this, name, handler, executor);
    }

    private static void link(HandlerContext added, HandlerContext before, HandlerContext after) {
        added.prev = before;
        added.next = after;
        after.prev = added;   // readers walking toward the head see it only once fully linked
        before.next = added;
    }

    private static void unlink(HandlerContext ctx) {
        ctx.prev.next = ctx.next;
        ctx.next.prev = ctx.prev;
    }

    private void callLifecycle(HandlerContext ctx, boolean added) {
        EventLoop loop = channel.eventLoop();
        if (!loop.inEventLoop()) {
            try {
                loop.execute(() -> callLifecycle(ctx, added));
                return;
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the loop has terminated: run it here, there is no other thread left
            }
        }
        try {
            if (added) {
                ctx.handler.handlerAdded(ctx);
            } else {
                HandlerSharing.release(ctx.handler);
                ctx.handler.handlerRemoved(ctx);
            }
        } catch (Throwable t) {
            ctx.invokeExceptionCaught(t);
        }
    }

    // ----------------------------------------------------------------- entries

    /** Fires {@code channelRegistered} from the head. */
    public void fireChannelRegistered() {
        head.fireChannelRegistered();
    }

    /** Fires {@code channelUnregistered} from the head. */
    public void fireChannelUnregistered() {
        head.fireChannelUnregistered();
    }

    /** Fires {@code channelActive} from the head. */
    public void fireChannelActive() {
        head.fireChannelActive();
    }

    /** Fires {@code channelInactive} from the head. */
    public void fireChannelInactive() {
        head.fireChannelInactive();
    }

    /** Fires {@code channelReadComplete} from the head. */
    public void fireChannelReadComplete() {
        head.fireChannelReadComplete();
    }

    /** Fires {@code channelWritabilityChanged} from the head. */
    public void fireChannelWritabilityChanged() {
        head.fireChannelWritabilityChanged();
    }

    @Override
    public ChannelPipeline fireChannelRead(Object message) {
        head.fireChannelRead(message);
        return this;
    }

    @Override
    public ChannelPipeline fireUserEventTriggered(Object event) {
        head.fireUserEventTriggered(event);
        return this;
    }

    @Override
    public ChannelPipeline fireExceptionCaught(Throwable cause) {
        head.fireExceptionCaught(cause);
        return this;
    }

    @Override
    public ChannelFuture write(Object message) {
        return tail.write(message);
    }

    ChannelFuture write(Object message, ChannelPromise promise) {
        return tail.write(message, promise);
    }

    @Override
    public ChannelFuture writeAndFlush(Object message) {
        return tail.writeAndFlush(message);
    }

    ChannelFuture writeAndFlush(Object message, ChannelPromise promise) {
        return tail.writeAndFlush(message, promise);
    }

    @Override
    public ChannelPipeline flush() {
        tail.flush();
        return this;
    }

    @Override
    public ChannelFuture close() {
        return tail.close();
    }

    ChannelFuture close(ChannelPromise promise) {
        return tail.close(promise);
    }

    void read() {
        tail.read();
    }

    @Override
    public ChannelFuture bind(SocketAddress localAddress, ChannelPromise promise) {
        return tail.bind(localAddress, promise);
    }

    @Override
    public ChannelFuture connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
        return tail.connect(remoteAddress, localAddress, promise);
    }

    @Override
    public ChannelFuture disconnect(ChannelPromise promise) {
        return tail.disconnect(promise);
    }

    /** The end of the inbound path: releases what nobody consumed, logs what nobody handled. */
    private static final class TailHandler implements ChannelHandler {
        final AbstractChannel channel;

        TailHandler(AbstractChannel channel) {
            this.channel = channel;
        }

        @Override
        public void channelRegistered(ChannelHandlerContext ctx) {
        }

        @Override
        public void channelUnregistered(ChannelHandlerContext ctx) {
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            channel.unhandledInbound(message);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
        }

        @Override
        public void channelHandshakeComplete(ChannelHandlerContext ctx) {
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            channel.unhandledException(cause);
        }
    }
}
