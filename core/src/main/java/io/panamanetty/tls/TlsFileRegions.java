package io.panamanetty.tls;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.ReferenceCounted;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.PendingOutboundBytes;
import io.panamanetty.file.FileRegion;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
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
    private FileChannel file;
    private long sent;
    private boolean chunkInFlight;
    /** Set while this class itself writes, so that its writes are not taken for the user's. */
    private boolean writingThrough;
    /** The handler's context, once a region was written. */
    private ChannelHandlerContext ctx;

    TlsFileRegions(PlainWrites out) {
        this.out = out;
    }

    /** Takes the write if it is a region, or comes after one being sent; false if the handler should write it. */
    boolean intercept(ChannelHandlerContext ctx, Object message, ChannelPromise writePromise) {
        if (writingThrough || (region == null && !(message instanceof FileRegion))) {
            return false;
        }
        this.ctx = ctx;
        if (region != null) {
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
        try {
            file = next.isZeroCopy() ? FileChannel.open(next.path(), StandardOpenOption.READ) : next.fileChannel();
        } catch (IOException e) {
            region = null;
            next.release();
            writePromise.tryFailure(e);
            return;
        }
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
                ctx.close();   // the peer has part of the file: the stream cannot go on
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
        ByteBuffer target = chunk.segment().asSlice(chunk.writerIndex(), length).asByteBuffer();
        long at = region.position() + sent;
        while (target.hasRemaining()) {
            if (file.read(target, at + target.position()) < 0) {
                chunk.release();
                throw new IOException(region + ": the file ended after " + (at + target.position())
                        + " bytes, inside the region; was it truncated while being sent?");
            }
        }
        chunk.writerIndex(chunk.writerIndex() + length);
        return chunk;
    }

    /** The region is sent: its promise completes, then the writes that waited follow, up to the next region. */
    private void finish(ChannelHandlerContext ctx) {
        FileRegion done = region;
        ChannelPromise donePromise = promise;
        closeFile(done);
        region = null;
        promise = null;
        done.release();
        donePromise.trySuccess();
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
    }

    private void writeThrough(ChannelHandlerContext ctx, Object message, ChannelPromise writePromise) {
        writingThrough = true;
        try {
            out.writeAndFlush(ctx, message, writePromise);
        } catch (Exception e) {
            writePromise.tryFailure(e);
        } finally {
            writingThrough = false;
        }
    }

    /** The channel failed or closed: the region and every waiting write fail and are released. */
    void failAll(Throwable cause) {
        if (region != null) {
            decrement(region.count() - sent);
            FileRegion failed = region;
            ChannelPromise failedPromise = promise;
            closeFile(failed);
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

    private void closeFile(FileRegion of) {
        if (of.isZeroCopy() && file != null) {
            try {
                file.close();
            } catch (IOException e) {
                // read-only: nothing was left unwritten
            }
        }
        file = null;
    }

    private static void release(ReferenceCounted message) {
        try {
            message.release();
        } catch (RuntimeException e) {
            // released already: nothing more to free
        }
    }
}
