package io.panamanetty.tls;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.ScheduledTask;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Encrypts and decrypts a channel's bytes with an {@link SSLEngine}; get one per channel
 * from {@link TlsContext#newHandler()} (server) or {@link TlsContext#newHandler(String, int)}
 * (client) and put it first in the pipeline.
 *
 * <p>Handlers after it read plaintext {@link Buffer}s and write plaintext ({@code Buffer},
 * {@code byte[]}, {@code ByteBuffer}, {@code MemorySegment} or {@code CharSequence});
 * records are encrypted and decrypted directly between off-heap buffers. Partial records are
 * cumulated until complete.
 *
 * <p>The handshake starts when the channel is active. It runs on the event loop without
 * blocking; the engine's delegated (CPU-heavy) tasks run on a virtual thread. Writes made
 * before it finishes are held and sent once it has. On success
 * {@link ChannelHandler#channelHandshakeComplete} is fired and {@link #handshakeFuture()}
 * completes; on failure (bad certificate, host name mismatch, non-TLS input, the peer closing
 * mid-handshake, the {@linkplain TlsContext#handshakeTimeout() timeout}) the future fails, the
 * exception (an {@link SSLException}, whose message gives the reason) is fired to
 * {@code exceptionCaught}, and this channel is closed. Renegotiation is refused (TLS 1.3 has
 * none; a TLS 1.2 peer asking for it fails the connection). Closing the channel sends a
 * {@code close_notify} first; receiving one closes the channel.
 *
 * <p>Keeps per-channel state: one instance per channel.
 */
public final class TlsHandler implements ChannelHandler {
    private static final ByteBuffer EMPTY = ByteBuffer.allocateDirect(0);
    /** Decrypted bytes are passed on in buffers of up to about this size. */
    private static final int MAX_PLAINTEXT_CHUNK = 64 * 1024;

    private final SSLEngine engine;
    private final Duration handshakeTimeout;
    private final CompletableFuture<SSLSession> handshake = new CompletableFuture<>();
    private final ArrayDeque<PendingWrite> pending = new ArrayDeque<>();

    private ChannelHandlerContext ctx;
    private Buffer cumulation;
    private ScheduledTask timeoutTask;
    private boolean started;
    private boolean handshakeDone;
    private boolean taskRunning;
    private boolean flushRequested;
    private boolean failed;
    private boolean outboundClosed;
    private boolean removed;

    private record PendingWrite(Buffer buffer, ChannelPromise promise) {
    }

    TlsHandler(SSLEngine engine, Duration handshakeTimeout) {
        this.engine = engine;
        this.handshakeTimeout = handshakeTimeout;
    }

    /** {@return the engine, e.g. for its session or ALPN result once the handshake is done} */
    public SSLEngine engine() {
        return engine;
    }

    /**
     * {@return a future completed with the session when the handshake succeeds, or
     * exceptionally with the reason it failed} A copy: completing it does not affect the handler.
     */
    public CompletableFuture<SSLSession> handshakeFuture() {
        return handshake.copy();
    }

    /** {@return the ALPN protocol agreed on, or null if none (or not yet)} */
    public String applicationProtocol() {
        String protocol = handshake.isDone() ? engine.getApplicationProtocol() : null;
        return protocol == null || protocol.isEmpty() ? null : protocol;
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            startHandshake(ctx);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        removed = true;
        releaseAll(new ClosedChannelException());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        startHandshake(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelTimeout();
        if (!handshake.isDone() && !failed) {
            failed = true;
            SSLHandshakeException cause = new SSLHandshakeException("connection to " + ctx.channel().remoteAddress()
                    + " closed by the peer during the TLS handshake");
            handshake.completeExceptionally(cause);
            releaseAll(cause);
            ctx.fireExceptionCaught(cause);
        } else {
            releaseAll(new ClosedChannelException());
        }
        try {
            engine.closeInbound();
        } catch (SSLException e) {
            // truncation (no close_notify received): the connection is gone anyway
        }
        engine.closeOutbound();
        ctx.fireChannelInactive();
    }

    private void startHandshake(ChannelHandlerContext ctx) {
        if (started) {
            return;
        }
        started = true;
        long millis = Math.max(1, handshakeTimeout.toMillis());
        timeoutTask = ctx.eventLoop().schedule(() -> {
            if (!handshake.isDone() && !failed) {
                fail(ctx, new TlsHandshakeTimeoutException("TLS handshake with " + ctx.channel().remoteAddress()
                        + " timed out after " + millis + " ms"));
            }
        }, millis, TimeUnit.MILLISECONDS);
        try {
            engine.beginHandshake();
        } catch (SSLException | RuntimeException e) {
            fail(ctx, e);
            return;
        }
        drive(ctx);
    }

    // ------------------------------------------------------------------ inbound

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) throws Exception {
        if (!(message instanceof Buffer in)) {
            ctx.fireChannelRead(message);
            return;
        }
        if (failed || removed || !in.isReadable()) {
            in.release();
            return;
        }
        if (cumulation != null) {
            try {
                append(ctx, in);
            } finally {
                in.release();
            }
            drive(ctx);
            return;
        }
        // Nothing waiting: decrypt straight from the received buffer, and copy only what is
        // left of an incomplete record (if anything) into a cumulation of our own.
        cumulation = in;
        try {
            drive(ctx);
        } finally {
            if (cumulation == in) {   // not released (and cleared) by drive: still the received buffer
                cumulation = null;
                if (in.isReadable() && !failed && !removed) {
                    Buffer rest = ctx.alloc().allocate(Math.max(in.readableBytes(),
                            engine.getSession().getPacketBufferSize()));
                    cumulation = rest.writeBytes(in);
                }
                in.release();
            }
        }
    }

    /** Copies {@code in} to the end of the cumulation, compacting or growing it as needed. */
    private void append(ChannelHandlerContext ctx, Buffer in) {
        int incoming = in.readableBytes();
        if (cumulation == null) {
            cumulation = ctx.alloc().allocate(Math.max(incoming, engine.getSession().getPacketBufferSize()));
        } else if (cumulation.writableBytes() < incoming && cumulation.readerIndex() > 0) {
            int readable = cumulation.readableBytes();
            if (readable + incoming <= cumulation.capacity()) {
                MemorySegment block = cumulation.segment();
                MemorySegment.copy(block, cumulation.readerIndex(), block, 0, readable);
                cumulation.readerIndex(0).writerIndex(readable);
            }
        }
        cumulation.writeBytes(in);
    }

    /**
     * Moves the engine on as far as it goes now: handshake records out, records in, held
     * writes out once the handshake is done. Returns when it needs more input or a
     * delegated task is running.
     */
    private void drive(ChannelHandlerContext ctx) {
        if (failed || removed || taskRunning) {
            return;
        }
        try {
            if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                wrapNonApplicationData(ctx);
            }
            if (!taskRunning && engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                runDelegatedTasks(ctx);
            }
            if (!taskRunning) {
                readRecords(ctx);
            }
            if (!taskRunning && !failed && handshakeDone && flushRequested) {
                wrapPending(ctx);
            }
        } catch (Throwable t) {
            fail(ctx, t);
        }
    }

    /** Decrypts the complete records in the cumulation and passes the plaintext on. */
    private void readRecords(ChannelHandlerContext ctx) throws SSLException {
        Buffer plain = null;
        boolean closeReceived = false;
        try {
            while (!failed && !taskRunning && cumulation != null && cumulation.isReadable()) {
                int appSize = engine.getSession().getApplicationBufferSize();
                if (plain == null) {
                    plain = ctx.alloc().allocate(appSize);
                }
                plain.ensureWritable(appSize);
                ByteBuffer src = cumulation.nioBuffer();
                ByteBuffer dst = writableView(plain);
                SSLEngineResult result = engine.unwrap(src, dst);
                cumulation.skipBytes(result.bytesConsumed());
                plain.writerIndex(plain.writerIndex() + result.bytesProduced());
                SSLEngineResult.Status status = result.getStatus();
                if (status == SSLEngineResult.Status.CLOSED) {
                    closeReceived = true;
                    break;
                }
                boolean progress = handleHandshakeStatus(ctx, result);
                if (status == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                    break;
                }
                if (plain.readableBytes() >= MAX_PLAINTEXT_CHUNK) {
                    Buffer full = plain;
                    plain = null;
                    ctx.fireChannelRead(full);
                }
                if (result.bytesConsumed() == 0 && result.bytesProduced() == 0 && !progress
                        && status != SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    break;
                }
            }
        } finally {
            if (plain != null && plain.isReadable()) {
                ctx.fireChannelRead(plain);
            } else if (plain != null) {
                plain.release();
            }
            trimCumulation();
        }
        if (closeReceived && !failed) {
            closeGracefully(ctx, ctx.newPromise());
        }
    }

    /**
     * Reacts to the handshake status after a wrap or unwrap.
     *
     * @return whether it did something (sent records, finished the handshake, started a task)
     */
    private boolean handleHandshakeStatus(ChannelHandlerContext ctx, SSLEngineResult result) throws SSLException {
        HandshakeStatus status = result.getHandshakeStatus();
        if (status == HandshakeStatus.FINISHED) {
            handshakeSucceeded(ctx);
            return true;
        }
        if (handshakeDone && status != HandshakeStatus.NOT_HANDSHAKING && isRenegotiation()) {
            throw new SSLHandshakeException("TLS renegotiation requested by " + ctx.channel().remoteAddress()
                    + " is refused");
        }
        switch (status) {
            case NEED_WRAP -> {
                wrapNonApplicationData(ctx);
                return true;
            }
            case NEED_TASK -> {
                runDelegatedTasks(ctx);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** A handshake after the first one is a renegotiation in TLS 1.2 and below (TLS 1.3 has post-handshake messages instead). */
    private boolean isRenegotiation() {
        return !"TLSv1.3".equals(engine.getSession().getProtocol());
    }

    private void handshakeSucceeded(ChannelHandlerContext ctx) {
        if (handshakeDone) {
            return;
        }
        handshakeDone = true;
        cancelTimeout();
        handshake.complete(engine.getSession());
        ctx.fireChannelHandshakeComplete();
    }

    private void trimCumulation() {
        if (cumulation != null && !cumulation.isReadable()) {
            cumulation.release();
            cumulation = null;
        }
    }

    // ------------------------------------------------------------------ outbound

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) throws Exception {
        Buffer buffer;
        try {
            buffer = switch (message) {
                case Buffer b -> b;
                case byte[] bytes -> ctx.alloc().copyOf(bytes);
                case ByteBuffer bytes -> ctx.alloc().copyOf(bytes);
                case MemorySegment bytes -> ctx.alloc().copyOf(bytes);
                case CharSequence text -> ctx.alloc().copyOf(text, java.nio.charset.StandardCharsets.UTF_8);
                case null -> throw new NullPointerException("cannot write null");
                default -> throw new IllegalArgumentException("TlsHandler cannot encrypt a "
                        + message.getClass().getName() + "; write a Buffer, byte[], ByteBuffer, MemorySegment"
                        + " or CharSequence");
            };
        } catch (RuntimeException e) {
            promise.tryFailure(e);
            return;
        }
        if (failed || outboundClosed || removed) {
            buffer.release();
            promise.tryFailure(new ClosedChannelException());
            return;
        }
        pending.add(new PendingWrite(buffer, promise));
    }

    @Override
    public void flush(ChannelHandlerContext ctx) throws Exception {
        flushRequested = true;
        if (handshakeDone && !taskRunning && !failed) {
            try {
                wrapPending(ctx);
            } catch (Throwable t) {
                fail(ctx, t);
            }
        } else if (pending.isEmpty()) {
            ctx.flush();
        }
    }

    /** Encrypts the held writes, each into one buffer of records, and flushes. */
    private void wrapPending(ChannelHandlerContext ctx) throws SSLException {
        flushRequested = false;
        PendingWrite write;
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

    /** Sends what the engine wants to send on its own: handshake records, alerts, close_notify. */
    private void wrapNonApplicationData(ChannelHandlerContext ctx) throws SSLException {
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
        if (finished) {
            handshakeSucceeded(ctx);
        }
        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
            runDelegatedTasks(ctx);
        }
    }

    private static void flushOut(ChannelHandlerContext ctx, Buffer out) {
        if (out.isReadable()) {
            ctx.write(out, ctx.voidPromise());
            ctx.flush();
        } else {
            out.release();
        }
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        closeGracefully(ctx, promise);
    }

    /** Sends the writes already flushed and a close_notify, then closes the channel. */
    private void closeGracefully(ChannelHandlerContext ctx, ChannelPromise promise) {
        cancelTimeout();
        if (!outboundClosed && !failed && !removed && ctx.channel().isActive()) {
            outboundClosed = true;
            try {
                if (handshakeDone && !taskRunning && flushRequested) {
                    wrapPending(ctx);
                }
                failPending(new ClosedChannelException());
                engine.closeOutbound();
                if (!taskRunning) {
                    wrapNonApplicationData(ctx);
                }
            } catch (Throwable t) {
                // best effort: the channel closes anyway
                failPending(t);
            }
        }
        ctx.close(promise);
    }

    // ------------------------------------------------------------------ tasks, failure

    /** Runs the engine's delegated tasks on a virtual thread, then drives on from the event loop. */
    private void runDelegatedTasks(ChannelHandlerContext ctx) {
        List<Runnable> tasks = new ArrayList<>();
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            tasks.add(task);
        }
        if (tasks.isEmpty()) {
            return;
        }
        taskRunning = true;
        Thread.ofVirtual().name("tls-task-" + ctx.channel().id()).start(() -> {
            Throwable error = null;
            try {
                for (Runnable t : tasks) {
                    t.run();
                }
            } catch (Throwable t) {
                error = t;
            }
            Throwable taskError = error;
            try {
                ctx.eventLoop().execute(() -> {
                    taskRunning = false;
                    if (taskError != null) {
                        fail(ctx, taskError);
                    } else {
                        drive(ctx);
                    }
                });
            } catch (RejectedExecutionException e) {
                // the event loop is gone, and the channel with it
            }
        });
    }

    /** Fails the handshake (if not done), reports {@code cause}, sends any alert and closes the channel. */
    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        if (failed) {
            return;
        }
        failed = true;
        cancelTimeout();
        Throwable reported = cause;
        if (!handshake.isDone() && !(cause instanceof SSLException)) {
            reported = new SSLHandshakeException("TLS handshake with " + ctx.channel().remoteAddress() + " failed: "
                    + cause);
            reported.initCause(cause);
        }
        handshake.completeExceptionally(reported);
        releaseAll(reported);
        try {
            engine.closeOutbound();
            if (!taskRunning) {
                Buffer out = ctx.alloc().allocate(engine.getSession().getPacketBufferSize());
                try {
                    SSLEngineResult result = engine.wrap(EMPTY, writableView(out));
                    out.writerIndex(out.writerIndex() + result.bytesProduced());
                } catch (SSLException | RuntimeException e) {
                    // no alert then
                }
                flushOut(ctx, out);
            }
        } catch (RuntimeException e) {
            // best effort
        }
        ctx.fireExceptionCaught(reported);
        ctx.close();
    }

    private void releaseAll(Throwable cause) {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
        failPending(cause);
    }

    private void failPending(Throwable cause) {
        PendingWrite write;
        while ((write = pending.poll()) != null) {
            write.buffer().release();
            if (!write.promise().isVoid()) {   // a void promise would report it again; it is reported once
                write.promise().tryFailure(cause);
            }
        }
    }

    private void cancelTimeout() {
        if (timeoutTask != null) {
            timeoutTask.cancel();
            timeoutTask = null;
        }
    }

    /** {@return a ByteBuffer over the writable bytes of {@code buffer}, sharing memory} */
    private static ByteBuffer writableView(Buffer buffer) {
        return buffer.segment().asSlice(buffer.writerIndex(), buffer.writableBytes()).asByteBuffer();
    }
}
