package io.panamanetty.channel;

import io.panamanetty.buffer.Buffer;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A doubly linked list of {@link HandlerContext}s between a head, which turns outbound
 * operations into socket I/O, and a tail, which releases unhandled messages and logs
 * unhandled exceptions. Structure changes are guarded by this object's monitor; the
 * handlers' callbacks run on the channel's event loop.
 */
final class DefaultChannelPipeline implements ChannelPipeline {
    private static final System.Logger LOG = System.getLogger(DefaultChannelPipeline.class.getName());

    private final AbstractChannel channel;
    final HandlerContext head;
    final HandlerContext tail;
    private int generatedNames;

    DefaultChannelPipeline(AbstractChannel channel) {
        this.channel = channel;
        this.head = new HandlerContext(this, "head", new HeadHandler(channel));
        this.tail = new HandlerContext(this, "tail", new TailHandler());
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
            added = new HandlerContext(this, checkNewName(name), handler);
            link(added, head, head.next);
        }
        callHandlerAdded(added);
        return this;
    }

    @Override
    public ChannelPipeline addLast(String name, ChannelHandler handler) {
        HandlerContext added;
        synchronized (this) {
            added = new HandlerContext(this, checkNewName(name), handler);
            link(added, tail.prev, tail);
        }
        callHandlerAdded(added);
        return this;
    }

    @Override
    public ChannelPipeline addLast(ChannelHandler handler) {
        String name;
        synchronized (this) {
            do {
                name = handler.getClass().getSimpleName() + "#" + generatedNames++;
            } while (find(name) != null);
        }
        return addLast(name, handler);
    }

    @Override
    public ChannelHandler remove(String name) {
        HandlerContext removed;
        synchronized (this) {
            removed = find(name);
            if (removed == null) {
                throw new NoSuchElementException("no handler named '" + name + "' in " + names());
            }
            removed.prev.next = removed.next;
            removed.next.prev = removed.prev;
            removed.removed = true;
        }
        callLifecycle(removed, false);
        return removed.handler;
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

    private String checkNewName(String name) {
        if (name == null || name.isEmpty() || name.equals("head") || name.equals("tail") || find(name) != null) {
            throw new IllegalArgumentException("handler name '" + name + "' is empty, reserved or taken: "
                    + names());
        }
        return name;
    }

    private static void link(HandlerContext added, HandlerContext before, HandlerContext after) {
        added.prev = before;
        added.next = after;
        after.prev = added;   // readers walking toward the head see it only once fully linked
        before.next = added;
    }

    private void callHandlerAdded(HandlerContext ctx) {
        callLifecycle(ctx, true);
    }

    private void callLifecycle(HandlerContext ctx, boolean added) {
        EventLoop loop = channel.eventLoop();
        if (!loop.inEventLoop() && channel.isRegistered()) {
            loop.execute(() -> callLifecycle(ctx, added));
            return;
        }
        try {
            if (added) {
                ctx.handler.handlerAdded(ctx);
            } else {
                ctx.handler.handlerRemoved(ctx);
            }
        } catch (Throwable t) {
            ctx.invokeExceptionCaught(t);
        }
    }

    // ----------------------------------------------------------------- entries

    void fireChannelRegistered() {
        head.fireChannelRegistered();
    }

    void fireChannelUnregistered() {
        head.fireChannelUnregistered();
    }

    void fireChannelActive() {
        head.fireChannelActive();
    }

    void fireChannelInactive() {
        head.fireChannelInactive();
    }

    void fireChannelReadComplete() {
        head.fireChannelReadComplete();
    }

    void fireChannelWritabilityChanged() {
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

    /** The end of the inbound path: releases what nobody consumed, logs what nobody handled. */
    private static final class TailHandler implements ChannelHandler {
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
            if (message instanceof Buffer buffer) {
                buffer.release();
            }
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
            LOG.log(Level.WARNING, () -> "an exception reached the end of the pipeline of "
                    + ctx.channel() + " unhandled; add exceptionCaught to a handler", cause);
        }
    }
}
