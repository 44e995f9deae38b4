package io.panamanetty.tls;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.ScheduledTask;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;

/**
 * Encrypts with an {@link SSLEngine} into off-heap buffers and writes the records on: held
 * plaintext writes, and what the engine sends on its own (handshake records, alerts,
 * {@code close_notify}).
 */
final class RecordWriter {
    private static final ByteBuffer EMPTY = ByteBuffer.allocateDirect(0);
    /** How long a close waits at most for its close_notify to leave (see {@link #closeChannel}). */
    static final long CLOSE_NOTIFY_TIMEOUT_MILLIS = 3000;
    /** The most plaintext one TLS record carries. */
    static final int MAX_RECORD_PLAINTEXT = 16 * 1024;
    /** Room left per record for its header, explicit nonce, MAC or tag and padding (generous). */
    private static final int RECORD_OVERHEAD = 128;
    /**
     * The most plaintext encrypted into one buffer of records: a larger write is split into
     * chunks of this size, each written on as soon as it is encrypted. Three records: their
     * buffer (see {@link #encrypt}) still fits the pooled allocator's largest size class
     * (64 KiB); four would not, and a larger buffer costs a {@code malloc} each.
     */
    static final int MAX_CHUNK_PLAINTEXT = 3 * MAX_RECORD_PLAINTEXT;

    private final SSLEngine engine;
    /**
     * Set while {@link #writePending} runs: the flush between a large write's chunks completes
     * earlier writes' promises, and a listener that writes and flushes must not have its write
     * encrypted between two chunks; it is held, and the running call sends it in turn.
     */
    private boolean writing;
    /** Set when the handler is removed: a write being sent in chunks stops at the next one. */
    private boolean abandoned;
    /** The write of the records made once the outbound side closed: close_notify (see {@link #closeChannel}). */
    private ChannelFuture closeNotifyWrite;

    RecordWriter(SSLEngine engine) {
        this.engine = engine;
    }

    /**
     * The handler was removed (by a listener, between two chunks of a large write): what is
     * left of the write being sent is dropped, as the handler's held writes are, rather than
     * sent as ciphertext behind whatever is written in plain from now on.
     */
    void abandon() {
        abandoned = true;
    }

    /** {@return whether {@link #writePending} is running (this is a call from within it)} */
    boolean isWriting() {
        return writing;
    }

    /**
     * Encrypts the held writes and writes the records on, then flushes. A write of up to
     * {@link #MAX_CHUNK_PLAINTEXT} bytes becomes one buffer of records, written with its
     * promise. A larger one is encrypted a chunk of that size at a time, each chunk written
     * (and flushed) as soon as it is encrypted, so no buffer of records is much larger than a
     * few records and the channel's water marks see the encrypted bytes as they queue up (the
     * whole write is still encrypted in this call, whatever the channel's writability); its
     * promise completes with the last chunk's write, or fails as soon as any chunk's does.
     * A write that fails to encrypt has its promise failed and the exception is rethrown; the
     * writes after it stay held. If the channel or the engine's outbound side closes meanwhile,
     * or the handler is {@linkplain #abandon() removed}, the rest of the write is dropped and its
     * promise failed.
     * Called again while it runs (from such a listener), it returns at once: the running call
     * sends the writes held meanwhile too, in order.
     */
    void writePending(ChannelHandlerContext ctx, PendingWrites pending) throws SSLException {
        if (writing) {
            return;
        }
        writing = true;
        try {
            PendingWrites.Write write;
            while ((write = pending.poll()) != null) {
                writeOne(ctx, pending, write);
            }
        } finally {
            writing = false;
        }
        ctx.flush();
    }

    private void writeOne(ChannelHandlerContext ctx, PendingWrites pending, PendingWrites.Write write)
            throws SSLException {
        Buffer in = write.buffer();
        ChannelPromise promise = write.promise();
        ByteBuffer src = in.nioBuffer();
        int end = src.limit();
        int total = end - src.position();
        int done = 0;   // bytes encrypted, queued on the channel and reported sent
        try {
            do {
                int chunk = Math.min(total - done, MAX_CHUNK_PLAINTEXT);
                src.limit(src.position() + chunk);
                Buffer out = encrypt(ctx, src, chunk);
                src.limit(end);
                boolean last = done + chunk == total;
                done += chunk;
                // Before the write, which makes the channel count the records: never both at once.
                pending.sent(chunk);
                ctx.write(out, last ? promise : chunkPromise(ctx, promise));
                if (last) {
                    return;
                }
                // Let the socket take them now; if it is full they queue on the channel (each
                // buffer is bounded, the write's total is not: encrypting does not wait).
                ctx.flush();
                if (abandoned || !ctx.channel().isOpen() || engine.isOutboundDone()) {
                    pending.sent(total - done);
                    if (!promise.isVoid()) {   // as in PendingWrites.failAll: the close is reported already
                        promise.tryFailure(new ClosedChannelException());
                    }
                    return;
                }
            } while (true);
        } catch (SSLException | RuntimeException e) {
            pending.sent(total - done);
            if (!promise.isVoid()) {   // a void promise would report it too: the rethrow reports it once
                promise.tryFailure(e);
            }
            throw e;
        } finally {
            in.release();
        }
    }

    /**
     * {@return the promise for a chunk of a larger write that is not its last} Its failure fails
     * the write's {@code promise}; a void one stays void (the last chunk reports any failure).
     */
    private static ChannelPromise chunkPromise(ChannelHandlerContext ctx, ChannelPromise promise) {
        ChannelPromise chunkPromise = ctx.newPromise();
        if (!promise.isVoid()) {
            chunkPromise.addListener(f -> {
                if (!f.isSuccess()) {
                    promise.tryFailure(f.cause());
                }
            });
        }
        return chunkPromise;
    }

    /**
     * Encrypts the {@code plaintext} remaining bytes of {@code src} into a new buffer of records.
     * The caller owns the buffer; it is released if this throws. The engine wants room for a
     * whole packet before each wrap, so the buffer holds the records before the last one
     * and a packet: it does not have to grow.
     */
    private Buffer encrypt(ChannelHandlerContext ctx, ByteBuffer src, int plaintext) throws SSLException {
        int packetSize = engine.getSession().getPacketBufferSize();
        int records = Math.max(1, (plaintext + MAX_RECORD_PLAINTEXT - 1) / MAX_RECORD_PLAINTEXT);
        Buffer out = ctx.alloc().allocate((records - 1) * (MAX_RECORD_PLAINTEXT + RECORD_OVERHEAD) + packetSize);
        try {
            do {
                out.ensureWritable(packetSize);
                SSLEngineResult result = engine.wrap(src, writableView(out));
                out.writerIndex(out.writerIndex() + result.bytesProduced());
                if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw new SSLException("cannot write: the TLS session is closed");
                }
            } while (src.hasRemaining());
        } catch (SSLException | RuntimeException e) {
            out.release();
            throw e;
        }
        return out;
    }

    /**
     * Sends what the engine wants to send on its own: while it needs to wrap, or, once
     * {@code outboundClosed}, until its outbound side is done.
     *
     * @return whether the handshake finished on one of these wraps
     */
    boolean writeEngineRecords(ChannelHandlerContext ctx, boolean outboundClosed) throws SSLException {
        Buffer out = ctx.alloc().allocate(engine.getSession().getPacketBufferSize());
        boolean finished = false;
        try {
            while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP || outboundClosed && !engine.isOutboundDone()) {
                out.ensureWritable(engine.getSession().getPacketBufferSize());
                SSLEngineResult result = engine.wrap(EMPTY, writableView(out));
                out.writerIndex(out.writerIndex() + result.bytesProduced());
                if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                    finished = true;
                }
                if (result.getStatus() == SSLEngineResult.Status.CLOSED || result.bytesProduced() == 0
                        && result.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    break;
                }
            }
        } catch (SSLException | RuntimeException e) {
            flushOut(ctx, out);   // the engine may have produced an alert before failing
            throw e;
        }
        if (outboundClosed && out.isReadable()) {
            closeNotifyWrite = ctx.write(out);   // close_notify: a close may wait on it
            ctx.flush();
        } else {
            flushOut(ctx, out);
        }
        return finished;
    }

    /**
     * Closes the channel after {@link #writeEngineRecords} sent {@code close_notify}, once that
     * write (and so everything queued before it) has left or failed: a close at once dropped
     * what the socket had not taken yet, so a slow peer lost the end of the stream and the
     * close_notify, and could not tell the close from a truncation. With {@code bounded} (a
     * close asked for here, not the peer's close_notify answered) it waits at most
     * {@value #CLOSE_NOTIFY_TIMEOUT_MILLIS} ms, so a peer that stops reading cannot hold the
     * channel open; otherwise as long as a clear-text channel whose input ended waits for its queue.
     */
    void closeChannel(ChannelHandlerContext ctx, ChannelPromise promise, boolean bounded) {
        ChannelFuture sent = closeNotifyWrite;
        if (sent == null || sent.isDone()) {
            ctx.close(promise);
            return;
        }
        ScheduledTask<?> deadline = bounded
                ? ctx.eventLoop().schedule(() -> ctx.close(promise), CLOSE_NOTIFY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                : null;
        sent.addListener(f -> {
            if (deadline != null) {
                deadline.cancel();
            }
            ctx.close(promise);
        });
    }

    /** Sends the alert (if any) the engine produces after a failure; best effort. */
    void writeAlert(ChannelHandlerContext ctx) {
        Buffer out = ctx.alloc().allocate(engine.getSession().getPacketBufferSize());
        try {
            SSLEngineResult result = engine.wrap(EMPTY, writableView(out));
            out.writerIndex(out.writerIndex() + result.bytesProduced());
        } catch (SSLException | RuntimeException e) {
            // no alert then
        }
        flushOut(ctx, out);
    }

    private static void flushOut(ChannelHandlerContext ctx, Buffer out) {
        if (out.isReadable()) {
            ctx.write(out, ctx.voidPromise());
            ctx.flush();
        } else {
            out.release();
        }
    }

    /** {@return a ByteBuffer over the writable bytes of {@code buffer}, sharing memory} */
    static ByteBuffer writableView(Buffer buffer) {
        return buffer.segment().asSlice(buffer.writerIndex(), buffer.writableBytes()).asByteBuffer();
    }
}
