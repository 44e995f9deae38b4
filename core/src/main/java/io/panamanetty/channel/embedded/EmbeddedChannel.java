package io.panamanetty.channel.embedded;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.channel.ChannelConfig;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.internal.AbstractChannel;
import io.panamanetty.channel.internal.ReadScope;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
 * It runs on a real event loop of its own, so handlers see the same threading as in
 * production; each call waits for the loop to finish the work. Always {@link #finish()}
 * it: that closes it, stops its loop and releases the messages left in it.
 */
public final class EmbeddedChannel extends AbstractChannel {
    private final ChannelConfig config = new ChannelConfig() { };
    private final EventLoopGroup group;
    private final Queue<Object> inbound = new ConcurrentLinkedQueue<>();
    private final Queue<Object> outbound = new ConcurrentLinkedQueue<>();
    private final Queue<Throwable> exceptions = new ConcurrentLinkedQueue<>();

    /** A channel whose pipeline holds {@code handlers}, in order; it is active at once. */
    public EmbeddedChannel(ChannelHandler... handlers) {
        this(new EventLoopGroup(1, "embedded"), handlers);
    }

    private EmbeddedChannel(EventLoopGroup group, ChannelHandler... handlers) {
        super(group.next());
        this.group = group;
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

    /** Runs {@code task} on this channel's loop and waits for it; useful to run pending timers. */
    public <T> T runOnLoop(Callable<T> task) {
        FutureTask<T> future = new FutureTask<>(task);
        if (loop.inEventLoop()) {
            future.run();
        } else {
            loop.execute(future);
        }
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the embedded channel's loop", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the embedded channel's loop did not finish in 30 s", e);
        }
    }

    /**
     * Closes the channel, stops its loop and releases the messages left in it. Returns
     * true if any were left (a test that expected to read them all can assert false).
     */
    public boolean finish() {
        if (loop.inEventLoop()) {
            throw new IllegalStateException("finish() waits for the channel's loop; call it from the test thread");
        }
        try {
            close().await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.close();
        boolean leftovers = !inbound.isEmpty() || !outbound.isEmpty();
        releaseAll(inbound);
        releaseAll(outbound);
        return leftovers;
    }

    private static void releaseAll(Queue<Object> queue) {
        Object message;
        while ((message = queue.poll()) != null) {
            if (message instanceof Buffer buffer && buffer.refCnt() > 0) {
                buffer.release();
            }
        }
    }

    @Override
    public boolean isWritable() {
        return open;
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
            if (message instanceof Buffer buffer) {
                buffer.release();
            }
            promise.tryFailure(new java.nio.channels.ClosedChannelException());
            return;
        }
        outbound.add(message);
        promise.trySuccess();
    }

    @Override
    protected void flushNow() {
        // writes reach the outbound queue at once
    }

    @Override
    protected void flushWrittenThisTurn() {
        // nothing waits for the end of a turn
    }

    @Override
    protected void readNow() {
        // messages come in through writeInbound
    }

    @Override
    protected void closeTransport() {
        // no socket
    }
}
