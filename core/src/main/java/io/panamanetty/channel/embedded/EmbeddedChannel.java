package io.panamanetty.channel.embedded;

import io.panamanetty.buffer.ReferenceCounted;
import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.channel.ChannelConfig;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.EmbeddedEventLoop;
import io.panamanetty.channel.internal.AbstractChannel;
import io.panamanetty.channel.internal.ReadScope;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A channel with no socket, for unit-testing handlers and codecs: write messages in
 * as if read from a socket, and read out what reached the end of the pipeline or
 * was written toward the socket.
 * <pre>{@code
 * var ch = new EmbeddedChannel(new LineFrameDecoder(1024));
 * try {
 *     ch.writeInbound(ch.alloc().copyOf("a\nb", UTF_8));
 *     Buffer line = ch.readInbound();   // "a"; release it when done
 * } finally {
 *     ch.finish();
 * }
 * }</pre>
 * It runs on an {@link EmbeddedEventLoop} of its own: no thread, no descriptor. Each call
 * runs the handlers on the calling thread and then every task they queued, so when it
 * returns the work is done; call it from the thread that made the channel. Tasks queued from
 * other threads (TLS delegated tasks, handlers on an executor) wait for the next call, or
 * for {@link #runPendingTasks()}; timers wait for {@link #advanceTimeBy}. Always
 * {@link #finish()} it: that closes it, ends its loop and releases the messages left in it.
 */
@SuppressWarnings("exports")   // its base is the channels' shared, non-exported one; users see Channel's methods and these
public final class EmbeddedChannel extends AbstractChannel {
    private final ChannelConfig config = new ChannelConfig() { };
    private final EmbeddedEventLoop embeddedLoop;
    private final Queue<Object> inbound = new ConcurrentLinkedQueue<>();
    private final Queue<Object> outbound = new ConcurrentLinkedQueue<>();
    private final Queue<Throwable> exceptions = new ConcurrentLinkedQueue<>();
    private long heldBytes;

    /** A channel whose pipeline holds {@code handlers}, in order; it is active at once. */
    public EmbeddedChannel(ChannelHandler... handlers) {
        this(new EmbeddedEventLoop(), handlers);
    }

    private EmbeddedChannel(EmbeddedEventLoop loop, ChannelHandler... handlers) {
        super(loop);
        this.embeddedLoop = loop;
        runOnLoop(() -> {
            for (ChannelHandler handler : handlers) {
                pipeline.addLast(handler);
            }
            fireRegistered();
            active = true;
            pipeline.fireChannelActive();
            return null;
        });
    }

    /** The allocator handlers of this channel use. */
    public BufferAllocator alloc() {
        return config.allocator();
    }

    @Override
    public ChannelConfig config() {
        return config;
    }

    /**
     * Fires each message into the pipeline as a read from the socket, then
     * {@code channelReadComplete}. Returns true if messages reached the end of the pipeline.
     */
    public boolean writeInbound(Object... messages) {
        runOnLoop(() -> {
            for (Object message : messages) {
                pipeline.fireChannelRead(message);
            }
            pipeline.fireChannelReadComplete();
            return null;
        });
        return !inbound.isEmpty();
    }

    /** Writes each message at the tail and flushes. Returns true if messages reached the head. */
    public boolean writeOutbound(Object... messages) {
        runOnLoop(() -> {
            for (Object message : messages) {
                pipeline.write(message);
            }
            pipeline.flush();
            return null;
        });
        return !outbound.isEmpty();
    }

    /** Fires a user event into the pipeline. */
    public void fireUserEvent(Object event) {
        runOnLoop(() -> pipeline.fireUserEventTriggered(event));
    }

    /** The next message that reached the end of the pipeline, or null; the caller owns it. */
    @SuppressWarnings("unchecked")
    public <T> T readInbound() {
        return (T) inbound.poll();
    }

    /** The next message written toward the socket, or null; the caller owns it. */
    @SuppressWarnings("unchecked")
    public <T> T readOutbound() {
        return (T) outbound.poll();
    }

    /** All messages that reached the end of the pipeline so far; the caller owns them. */
    public List<Object> drainInbound() {
        List<Object> list = new ArrayList<>();
        Object message;
        while ((message = inbound.poll()) != null) {
            list.add(message);
        }
        return list;
    }

    /** Rethrows the first exception that reached the end of the pipeline unhandled, if any. */
    public void checkException() throws Exception {
        Throwable cause = exceptions.poll();
        if (cause instanceof Exception e) {
            throw e;
        }
        if (cause instanceof Error e) {
            throw e;
        }
    }

    /**
     * Runs {@code task} as the loop would (on the calling thread, which must be the one that
     * made the channel), then every task it queued.
     *
     * @throws IllegalStateException off the thread that made the channel
     */
    public <T> T runOnLoop(Callable<T> task) {
        if (!loop.inEventLoop()) {
            throw new IllegalStateException("use an EmbeddedChannel from the thread that made it");
        }
        T result;
        try {
            result = task.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        embeddedLoop.runPendingTasks();
        return result;
    }

    /** Closes, and on the owner thread runs the tasks that follows, so the returned future is done. */
    @Override
    public ChannelFuture close() {
        ChannelFuture future = super.close();
        runIfOwner();
        return future;
    }

    /** Writes, and on the owner thread runs the tasks that follow. */
    @Override
    public ChannelFuture write(Object message) {
        ChannelFuture future = super.write(message);
        runIfOwner();
        return future;
    }

    /** Writes and flushes, and on the owner thread runs the tasks that follow. */
    @Override
    public ChannelFuture writeAndFlush(Object message) {
        ChannelFuture future = super.writeAndFlush(message);
        runIfOwner();
        return future;
    }

    private void runIfOwner() {
        if (loop.inEventLoop()) {
            embeddedLoop.runPendingTasks();
        }
    }

    /** Runs the tasks queued meanwhile (from other threads, say) and the due timers. */
    public void runPendingTasks() {
        embeddedLoop.runPendingTasks();
    }

    /** Moves the loop's clock on by {@code delay} and runs the timers then due. */
    public void advanceTimeBy(long delay, TimeUnit unit) {
        embeddedLoop.advanceTimeBy(delay, unit);
    }

    /**
     * Runs pending tasks until {@code condition} holds (tasks from other threads arriving
     * meanwhile), or {@code timeout} has passed; returns whether it holds. For work handed to
     * other threads, such as a TLS handshake's delegated tasks.
     */
    public boolean runPendingTasksUntil(java.util.function.BooleanSupplier condition, long timeout, TimeUnit unit) {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true) {
            embeddedLoop.runPendingTasks();
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return condition.getAsBoolean();
            }
        }
    }

    /**
     * Closes the channel, ends its loop and releases the messages left in it. Returns
     * true if any were left (a test that expected to read them all can assert false).
     */
    public boolean finish() {
        runOnLoop(() -> close());
        embeddedLoop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        boolean leftovers = !inbound.isEmpty() || !outbound.isEmpty();
        releaseAll(inbound);
        releaseAll(outbound);
        return leftovers;
    }

    private static void releaseAll(Queue<Object> queue) {
        Object message;
        while ((message = queue.poll()) != null) {
            if (message instanceof ReferenceCounted counted && counted.refCnt() > 0) {
                counted.release();
            }
        }
    }

    @Override
    public boolean isWritable() {
        return open;
    }

    /** Counts the bytes handlers hold ({@code PendingOutboundBytes}), so that handlers watching them can be tested. */
    @Override
    public void adjustHeldBytes(long delta) {
        heldBytes = Math.max(0, heldBytes + delta);
    }

    /** The bytes handlers hold: the embedded channel queues nothing itself (a write reaches {@link #readOutbound()} at once). */
    @Override
    public long pendingOutboundBytes() {
        return heldBytes;
    }

    @Override
    protected void unhandledInbound(Object message) {
        ReadScope.noteHandOff(message);   // kept for readInbound(): not released on return
        inbound.add(message);
    }

    @Override
    protected void unhandledException(Throwable cause) {
        exceptions.add(cause);
    }

    @Override
    protected void writeNow(Object message, ChannelPromise promise) {
        if (!open) {
            if (message instanceof ReferenceCounted counted) {
                counted.release();
            }
            promise.tryFailure(new java.nio.channels.ClosedChannelException());
            return;
        }
        outbound.add(message);
        promise.trySuccess();
    }

    @Override
    protected void closeTransport() {
        // no socket
    }
}
