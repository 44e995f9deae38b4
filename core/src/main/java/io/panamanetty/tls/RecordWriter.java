package io.panamanetty.tls;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.ChannelHandlerContext;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import java.nio.ByteBuffer;

/**
 * Encrypts with an {@link SSLEngine} into off-heap buffers and writes the records on: held
 * plaintext writes, and what the engine sends on its own (handshake records, alerts,
 * {@code close_notify}).
 */
final class RecordWriter {
    private static final ByteBuffer EMPTY = ByteBuffer.allocateDirect(0);

    private final SSLEngine engine;

    RecordWriter(SSLEngine engine) {
        this.engine = engine;
    }

    /**
     * Encrypts the held writes, each into one buffer of records written with its promise, and
     * flushes. A write that fails has its promise failed and the exception is rethrown; the
     * writes after it stay held.
     */
    void writePending(ChannelHandlerContext ctx, PendingWrites pending) throws SSLException {
        PendingWrites.Write write;
        while ((write = pending.poll()) != null) {
            Buffer in = write.buffer();
            Buffer out = null;
            try {
                int packetSize = engine.getSession().getPacketBufferSize();
                int readable = in.readableBytes();
                out = ctx.alloc().allocate(readable + (readable / 16384 + 1) * 128 + packetSize);
                ByteBuffer src = in.nioBuffer();
                do {
                    out.ensureWritable(packetSize);
                    SSLEngineResult result = engine.wrap(src, writableView(out));
                    out.writerIndex(out.writerIndex() + result.bytesProduced());
                    if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("cannot write: the TLS session is closed");
                    }
                } while (src.hasRemaining());
            } catch (SSLException | RuntimeException e) {
                in.release();
                if (out != null) {
                    out.release();
                }
                write.promise().tryFailure(e);
                throw e;
            }
            in.release();
            ctx.write(out, write.promise());
        }
        ctx.flush();
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
        flushOut(ctx, out);
        return finished;
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
