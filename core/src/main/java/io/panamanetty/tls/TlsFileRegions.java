package io.panamanetty.tls;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.ReferenceCounted;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.PendingOutboundBytes;
import io.panamanetty.file.FileRegion;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * The {@link FileRegion}s written through a {@link TlsHandler}: their bytes must be
 * encrypted, so instead of {@code sendfile(2)} a region is read in chunks, each written
 * through the handler as plaintext once the one before it has left. Memory stays bounded by
 * one chunk (and its records) however large the file.
 * Writes made while a region is being sent wait here, in order, and follow it; the region's
 * unsent bytes and the waiting writes count toward the channel's writability. Event-loop
 * confined.
 */
final class TlsFileRegions {
    private static final int CHUNK = 64 * 1024;

    /** Where the chunks and the writes that waited go: the handler's own write and flush. */
    interface PlainWrites {
        void writeAndFlush(ChannelHandlerContext ctx, Object message, ChannelPromise promise) throws Exception;
    }

    private final PlainWrites out;
    /** Messages and their promises, in turn, written after the current region. */
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private FileRegion region;
    private ChannelPromise promise;
    private long sent;
    private boolean chunkInFlight;
    /** The message this class is passing to the handler's write right now, which must not be taken again. */
    private Object passingThrough;
    /** The handler's context, once a region was written. */
    private ChannelHandlerContext ctx;

    TlsFileRegions(PlainWrites out) {
        this.out = out;
    }

    /** Takes the write if it is a region, or comes after one being sent; false if the handler should write it. */
    boolean intercept(ChannelHandlerContext ctx, Object message, ChannelPromise writePromise) {
        if (message == passingThrough) {
            passingThrough = null;   // once: a write a listener makes during the flush is the user's again
            return false;
        }
        if (region == null && waiting.isEmpty() && !(message instanceof FileRegion)) {
            return false;
        }
        this.ctx = ctx;
        if (region != null || !waiting.isEmpty()) {   // behind the region, or behind the writes that follow it
            ReferenceCounted queued = message instanceof FileRegion next ? next
                    : PendingWrites.toBuffer(ctx.alloc(), message);
            waiting.add(queued);
            waiting.add(writePromise);
            PendingOutboundBytes.increment(ctx.channel(), bytes(queued));
            return true;
        }
        start(ctx, (FileRegion) message, writePromise);
        return true;
    }

    private void start(ChannelHandlerContext ctx, FileRegion next, ChannelPromise writePromise) {
        region = next;
        promise = writePromise;
        sent = 0;
        PendingOutboundBytes.increment(ctx.channel(), next.count());
        pump(ctx);
    }

    /**
     * Writes the region's next chunk once the one before it has left (its promise is done:
     * the socket took its records), and finishes the region after the last. One chunk at a
     * time bounds the memory; it does not wait for writability, which the region's own unsent
     * bytes keep off until near its end.
     */
    private void pump(ChannelHandlerContext ctx) {
        while (region != null && !chunkInFlight) {
            if (sent == region.count()) {
                finish(ctx);
                continue;
            }
            Buffer chunk;
            try {
                chunk = readChunk(ctx);
            } catch (IOException e) {
                failAll(e);
                ctx.close();   // the peer has part of the file: the stream cannot go on (no close_notify)
                return;
            }
            int length = chunk.readableBytes();
            sent += length;
            PendingOutboundBytes.decrement(ctx.channel(), length);   // the handler counts it from here
            chunkInFlight = true;
            ChannelPromise chunkPromise = ctx.newPromise();
            chunkPromise.addListener(f -> {
                chunkInFlight = false;
                if (!f.isSuccess()) {
                    failAll(f.cause());
                } else {
                    pump(ctx);
                }
            });
            writeThrough(ctx, chunk, chunkPromise);
        }
    }

    private Buffer readChunk(ChannelHandlerContext ctx) throws IOException {
        int length = (int) Math.min(CHUNK, region.count() - sent);
        Buffer chunk = ctx.alloc().allocate(length);
        try {
            while (chunk.readableBytes() < length) {
                if (region.readInto(chunk, sent + chunk.readableBytes(), length - chunk.readableBytes()) == 0) {
                    throw new IOException(region + ": the file ended after " + (region.position() + sent
                            + chunk.readableBytes()) + " bytes, inside the region; was it truncated while being sent?");
                }
            }
            return chunk;
        } catch (IOException | RuntimeException e) {
            chunk.release();
            throw e instanceof IOException io ? io : new IOException("reading " + region + " failed: " + e, e);
        }
    }

    /** The region is sent: its promise completes, then the writes that waited follow, up to the next region. */
    private void finish(ChannelHandlerContext ctx) {
        FileRegion done = region;
        ChannelPromise donePromise = promise;
        region = null;
        promise = null;
        release(done);
        while (region == null && !waiting.isEmpty()) {
            ReferenceCounted message = (ReferenceCounted) waiting.poll();
            ChannelPromise writePromise = (ChannelPromise) waiting.poll();
            PendingOutboundBytes.decrement(ctx.channel(), bytes(message));
            if (message instanceof FileRegion next) {
                start(ctx, next, writePromise);   // on failure it fails its own promise; the next writes go on
            } else {
                writeThrough(ctx, message, writePromise);
            }
        }
        donePromise.trySuccess();   // last: what its listeners write comes after the writes made before
    }

    private void writeThrough(ChannelHandlerContext ctx, Object message, ChannelPromise writePromise) {
        passingThrough = message;
        try {
            out.writeAndFlush(ctx, message, writePromise);
        } catch (Exception e) {
            writePromise.tryFailure(e);
        } finally {
            passingThrough = null;
        }
    }

    /** The channel failed or closed: the region and every waiting write fail and are released. */
    void failAll(Throwable cause) {
        if (region != null) {
            decrement(region.count() - sent);
            FileRegion failed = region;
            ChannelPromise failedPromise = promise;
            region = null;
            promise = null;
            release(failed);
            failedPromise.tryFailure(cause);
        }
        while (!waiting.isEmpty()) {
            ReferenceCounted message = (ReferenceCounted) waiting.poll();
            decrement(bytes(message));
            release(message);
            ((ChannelPromise) waiting.poll()).tryFailure(cause);
        }
    }

    private void decrement(long bytes) {
        if (ctx != null && ctx.channel().eventLoop().inEventLoop()) {
            PendingOutboundBytes.decrement(ctx.channel(), bytes);
        }
    }

    private static long bytes(ReferenceCounted message) {
        return message instanceof FileRegion region ? region.count() : ((Buffer) message).readableBytes();
    }

    private static void release(ReferenceCounted message) {
        try {
            message.release();
        } catch (RuntimeException e) {
            // released already: nothing more to free
        }
    }
}
