package io.panamanetty.handler.stream;

import io.panamanetty.buffer.ReferenceCounted;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;

import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/**
 * Sends {@link ChunkedInput}s written to the channel one chunk at a time, pulling the next
 * chunk only while the channel {@linkplain Channel#isWritable() is writable} and resuming when
 * it turns writable again, so that a transfer of any size holds at most about the high water
 * mark (plus one chunk) in memory, however slow the peer:
 * <pre>{@code
 * pipeline.addLast("chunked", new ChunkedWriteHandler());
 * channel.writeAndFlush(new ChunkedFile(path)).addListener(f -> ...);   // done when the last chunk is written
 * }</pre>
 * The write's future completes once the last chunk has been written to the socket, or fails
 * with the first chunk that fails; the input is closed either way, and also when the channel
 * closes mid-transfer. Messages written after a chunked input wait for it and keep their order.
 *
 * <p>Where Netty's handler starts sending on {@code flush}, this one starts on the write, as
 * every write here sends (the loop flushes at the end of its turn). A source with nothing to
 * give yet ({@link ChunkedInput#readChunk} null before its end) pauses the transfer until
 * {@link #resumeTransfer()}.
 */
public class ChunkedWriteHandler extends ChannelHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(ChunkedWriteHandler.class.getName());

    /** Hears how far each chunked transfer has got. */
    @FunctionalInterface
    public interface ProgressListener {
        /**
         * A chunk of {@code input} reached the socket (on the event loop).
         *
         * @param progress the bytes read from the input so far
         * @param total the input's {@linkplain ChunkedInput#length() length}, or -1 if unknown
         */
        void progressed(ChunkedInput<?> input, long progress, long total);
    }

    /** A write waiting its turn: a chunked input or an ordinary message. */
    private static final class PendingWrite {
        final Object message;
        final ChannelPromise promise;
        boolean done;

        PendingWrite(Object message, ChannelPromise promise) {
            this.message = message;
            this.promise = promise;
        }
    }

    private final ProgressListener progressListener;
    private final ArrayDeque<PendingWrite> queue = new ArrayDeque<>();
    private volatile ChannelHandlerContext context;
    private boolean writing;

    /** A handler without progress reports. */
    public ChunkedWriteHandler() {
        this(null);
    }

    /** A handler that reports each transfer's progress to {@code progressListener} (null for none). */
    public ChunkedWriteHandler(ProgressListener progressListener) {
        this.progressListener = progressListener;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        discard(new IllegalStateException("ChunkedWriteHandler removed from the pipeline before the write was sent"));
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
        if (queue.isEmpty() && !(message instanceof ChunkedInput)) {
            ctx.write(message, promise);
            return;
        }
        queue.add(new PendingWrite(message, promise));
        writeQueued(ctx);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        writeQueued(ctx);
        ctx.flush();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        writeQueued(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            writeQueued(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        discard(new ClosedChannelException());
        ctx.fireChannelInactive();
    }

    /**
     * Goes on with a paused transfer: one whose input had nothing to give when last asked.
     * Safe from any thread.
     */
    public void resumeTransfer() {
        ChannelHandlerContext ctx = context;
        if (ctx == null) {
            return;
        }
        if (ctx.eventLoop().inEventLoop()) {
            writeQueued(ctx);
        } else {
            ctx.eventLoop().execute(() -> writeQueued(ctx));
        }
    }

    /** Writes queued messages and chunks while the channel is writable. */
    private void writeQueued(ChannelHandlerContext ctx) {
        if (writing) {
            return;   // a write's outcome arrived while writing: the loop below goes on anyway
        }
        writing = true;
        boolean wrote = false;
        try {
            Channel channel = ctx.channel();
            while (!queue.isEmpty()) {
                if (!channel.isActive()) {
                    if (!channel.isOpen()) {
                        discard(new ClosedChannelException());
                    }
                    break;   // not connected yet: channelActive resumes
                }
                if (!channel.isWritable()) {
                    break;   // channelWritabilityChanged resumes
                }
                PendingWrite head = queue.peek();
                if (head.message instanceof ChunkedInput<?> input) {
                    if (!writeChunk(ctx, head, input)) {
                        break;
                    }
                } else {
                    queue.poll();
                    ctx.write(head.message, head.promise);
                }
                wrote = true;
            }
        } finally {
            writing = false;
        }
        if (wrote) {
            ctx.flush();
        }
    }

    /** Writes the next chunk of {@code head}; false if its input has nothing to give yet. */
    private boolean writeChunk(ChannelHandlerContext ctx, PendingWrite head, ChunkedInput<?> input) {
        Object chunk = null;
        boolean end;
        try {
            chunk = input.readChunk(ctx.alloc());
            end = input.isEndOfInput();
        } catch (Throwable t) {
            release(chunk);
            finish(head, t);
            return true;
        }
        if (chunk == null) {
            if (!end) {
                return false;
            }
            chunk = ctx.alloc().allocate(0);   // completes the promise after the chunks before it
        }
        if (end) {
            queue.poll();
            head.done = true;
            ChannelPromise last = ctx.newPromise();
            last.addListener(f -> {
                closeInput(input);
                if (f.isSuccess()) {
                    reportProgress(input);
                    head.promise.trySuccess();
                } else {
                    head.promise.tryFailure(f.cause());
                }
            });
            ctx.write(chunk, last);
        } else {
            ChannelPromise part = ctx.newPromise();
            part.addListener(f -> {
                if (f.isSuccess()) {
                    reportProgress(input);
                } else {
                    finish(head, f.cause());
                }
            });
            ctx.write(chunk, part);
        }
        return true;
    }

    private void reportProgress(ChunkedInput<?> input) {
        if (progressListener != null) {
            progressListener.progressed(input, input.progress(), input.length());
        }
    }

    /** Ends {@code write} with {@code cause}: removes it from the queue, closes its input, fails its promise. */
    private void finish(PendingWrite write, Throwable cause) {
        if (write.done) {
            return;
        }
        write.done = true;
        queue.remove(write);
        if (write.message instanceof ChunkedInput<?> input) {
            closeInput(input);
        } else {
            release(write.message);
        }
        write.promise.tryFailure(cause);
    }

    /** Fails every queued write with {@code cause}. */
    private void discard(Throwable cause) {
        PendingWrite write;
        while ((write = queue.poll()) != null) {
            finish(write, cause);
        }
    }

    private static void closeInput(ChunkedInput<?> input) {
        try {
            input.close();
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "closing " + input + " failed", t);
        }
    }

    private static void release(Object message) {
        if (message instanceof ReferenceCounted counted && counted.refCnt() > 0) {
            counted.release();
        }
    }
}
