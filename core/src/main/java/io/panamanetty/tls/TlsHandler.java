package io.panamanetty.tls;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * Encrypts and decrypts a channel's bytes with an {@link SSLEngine}; get one per channel
 * from {@link TlsContext#newHandler()} (server) or {@link TlsContext#newHandler(String, int)}
 * (client) and put it first in the pipeline.
 *
 * <p>Handlers after it read plaintext {@link Buffer}s and write plaintext ({@code Buffer},
 * {@code byte[]}, {@code ByteBuffer}, {@code MemorySegment}, {@code CharSequence}, or a
 * {@link io.panamanetty.file.FileRegion}, read and encrypted a chunk at a time); records
 * are encrypted and decrypted between off-heap buffers, partial ones cumulated until complete.
 *
 * <p>The handshake starts when the channel is active. It runs on the event loop without
 * blocking; the engine's delegated (CPU-heavy) tasks run on a virtual thread. Writes made
 * before it finishes are held and sent once it has; held writes count toward the channel's
 * {@linkplain io.panamanetty.channel.Channel#isWritable() writability}, so a writer that
 * respects it stops while the handshake runs. A large write is encrypted a few records at a
 * time, each batch passed on as it is made, so the encrypted bytes never sit in one buffer as
 * large as the write; its promise completes once all of them are written. On success
 * {@link ChannelHandler#channelHandshakeComplete} is fired and {@link #handshakeFuture()}
 * completes; on failure (bad certificate, host name mismatch, non-TLS input, the peer closing
 * mid-handshake, the {@linkplain TlsContext#handshakeTimeout() timeout}) the future fails, the
 * exception (an {@link SSLException}, whose message gives the reason) is fired to
 * {@code exceptionCaught}, and this channel is closed. Renegotiation is refused (TLS 1.3 has
 * none; a TLS 1.2 peer asking for it fails the connection). Closing the channel sends a
 * {@code close_notify} after the writes already flushed and closes once it has left (at most
 * 3 s later); receiving one does the same, with no deadline (as at a clear-text end of input).
 *
 * <p>The peer's verified certificate chain (the server's, or under {@link ClientAuth mutual
 * TLS} the client's) is known once the handshake has succeeded: {@link #peerCertificates()},
 * or {@code getPeerCertificates()} of the session {@link #handshakeFuture()} completes with.
 * A server's later handler finds it under the name {@code ServerBootstrap.tls} gives it, in
 * {@code channelHandshakeComplete}: {@code ((TlsHandler) ctx.pipeline().get("tls")).peerCertificates()}
 * (empty if the client sent no certificate).
 *
 * <p>Keeps per-channel state: one instance per channel.
 */
public final class TlsHandler implements ChannelHandler {
    /** Decrypted bytes are passed on in buffers of up to about this size. */
    private static final int MAX_PLAINTEXT_CHUNK = 64 * 1024;

    private final SSLEngine engine;
    private final HandshakeTimeout timeout;
    private final CompletableFuture<SSLSession> handshake = new CompletableFuture<>();
    private final PendingWrites pending = new PendingWrites();
    private final RecordCumulation cumulation;
    private final RecordWriter writer;
    private final DelegatedTasks tasks;
    private final TlsFileRegions regions = new TlsFileRegions((c, message, p) -> {
        write(c, message, p);
        flush(c);
    });

    /** A flush task for writes made without flush() is queued on the loop. */
    private boolean flushQueued;
    private boolean started;
    private boolean handshakeDone;
    private boolean flushRequested;
    private boolean failed;
    private boolean outboundClosed;
    /** A close asked for while held writes were being sent (a listener between two chunks): it waits for them. */
    private ChannelPromise closeAfterWrites;
    private boolean removed;
    private boolean peerClosed;   // its close_notify came
    private boolean closeAnswersPeer;   // the close answers its close_notify: no deadline (see RecordWriter.closeChannel)

    TlsHandler(SSLEngine engine, Duration handshakeTimeout) {
        this.engine = engine;
        this.timeout = new HandshakeTimeout(handshakeTimeout);
        this.cumulation = new RecordCumulation(engine);
        this.writer = new RecordWriter(engine);
        this.tasks = new DelegatedTasks(engine, this::tasksDone);
    }

    /** {@return the engine, e.g. for its session or ALPN result once the handshake is done} */
    public SSLEngine engine() {
        return engine;
    }

    /** {@return the session once the handshake succeeds, or the reason it failed} A copy: completing it changes nothing. */
    public CompletableFuture<SSLSession> handshakeFuture() {
        return handshake.copy();
    }

    /**
     * {@return the peer's certificate chain, leaf first, as verified by the handshake (not at all
     * on a client built with {@code verify(false)}); empty before the handshake
     * has succeeded or if the peer sent none (a client under {@link ClientAuth#OPTIONAL} or
     * {@link ClientAuth#NONE})} Safe to call from any thread.
     */
    public List<X509Certificate> peerCertificates() {
        return handshake.state() == Future.State.SUCCESS ? PeerCertificates.of(handshake.resultNow()) : List.of();
    }

    /** {@return the ALPN protocol agreed on, or null if none (or not yet)} */
    public String applicationProtocol() {
        String protocol = handshake.isDone() ? engine.getApplicationProtocol() : null;
        return protocol == null || protocol.isEmpty() ? null : protocol;
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        pending.attach(ctx.channel());
        if (ctx.channel().isActive()) {
            startHandshake(ctx);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        removed = true;
        writer.abandon();
        releaseAll(new ClosedChannelException());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        startHandshake(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        timeout.cancel();
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
        outboundClosed = true;   // later writes fail with ClosedChannelException, not an engine error
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
        timeout.start(ctx, expired -> {
            if (!handshake.isDone() && !failed) {
                fail(ctx, expired);
            }
        });
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
        if (!cumulation.isEmpty()) {
            try {
                cumulation.append(ctx.alloc(), in);
            } finally {
                in.release();
            }
            drive(ctx);
            return;
        }
        // Nothing waiting: decrypt straight from the received buffer, and copy only what is
        // left of an incomplete record (if anything) into a cumulation of our own.
        cumulation.borrow(in);
        try {
            drive(ctx);
        } finally {
            cumulation.endBorrow(in, ctx.alloc(), !failed && !removed);
        }
    }

    /**
     * Moves the engine on as far as it goes now: handshake records out, records in, held
     * writes out once the handshake is done. Returns when it needs more input or a
     * delegated task is running.
     */
    private void drive(ChannelHandlerContext ctx) {
        if (failed || removed || tasks.running()) {
            return;
        }
        try {
            if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                wrapNonApplicationData(ctx);
            }
            if (!tasks.running() && engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                tasks.start(ctx);
            }
            if (!tasks.running()) {
                readRecords(ctx);
            }
            if (!tasks.running() && !failed && handshakeDone && flushRequested) {
                wrapPending(ctx);
            }
        } catch (Throwable t) {
            fail(ctx, t);
        }
    }

    /** Called on the event loop when a batch of delegated tasks has finished. */
    private void tasksDone(ChannelHandlerContext ctx, Throwable error) {
        if (error != null) {
            fail(ctx, error);
        } else {
            drive(ctx);
        }
    }

    /** Decrypts the complete records in the cumulation and passes the plaintext on. */
    private void readRecords(ChannelHandlerContext ctx) throws SSLException {
        Buffer plain = null;
        boolean closeReceived = false;
        try {
            while (!failed && !tasks.running() && cumulation.isReadable()) {
                int appSize = engine.getSession().getApplicationBufferSize();
                if (plain == null) {
                    plain = ctx.alloc().allocate(appSize);
                }
                plain.ensureWritable(appSize);
                ByteBuffer src = cumulation.nioBuffer();
                ByteBuffer dst = RecordWriter.writableView(plain);
                SSLEngineResult result = engine.unwrap(src, dst);
                cumulation.skip(result.bytesConsumed());
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
            cumulation.trim();
        }
        if (closeReceived && !failed && !peerClosed) {
            peerClosed = true;
            closeAnswersPeer = true;   // as at a clear-text end of input: the peer may still read
            flushRequested = true;   // "write sends": what was written for it (the last read's echo) goes first
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
                tasks.start(ctx);
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
        timeout.cancel();
        handshake.complete(engine.getSession());
        ctx.fireChannelHandshakeComplete();
    }

    // ------------------------------------------------------------------ outbound

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) throws Exception {
        Buffer buffer;
        try {
            if (regions.intercept(ctx, message, promise)) {
                return;   // a FileRegion, or a write behind one: read in chunks and written through here
            }
            buffer = PendingWrites.toBuffer(ctx.alloc(), message);
        } catch (RuntimeException e) {
            promise.tryFailure(e);
            return;
        }
        if (failed || outboundClosed || removed || closeAfterWrites != null) {
            buffer.release();
            promise.tryFailure(new ClosedChannelException());
            return;
        }
        pending.add(buffer, promise);
        if (!flushQueued) {
            // "write sends": like a plain channel's, a write not followed by flush() still
            // leaves when the event loop's turn ends; a task queued now runs before that.
            flushQueued = true;
            ctx.eventLoop().execute(() -> {
                flushQueued = false;
                if (!pending.isEmpty()) {
                    try {
                        flush(ctx);
                    } catch (Throwable t) {
                        fail(ctx, t);
                    }
                }
            });
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) throws Exception {
        flushRequested = true;
        if (handshakeDone && !tasks.running() && !failed) {
            try {
                wrapPending(ctx);
            } catch (Throwable t) {
                fail(ctx, t);
            }
        } else if (pending.isEmpty()) {
            ctx.flush();
        }
    }

    /** Encrypts the held writes (a large one in chunks of a few records each) and flushes. */
    private void wrapPending(ChannelHandlerContext ctx) throws SSLException {
        flushRequested = false;
        if (writer.isWriting()) {
            writer.writePending(ctx, pending);   // returns at once: the running call sends them
            return;
        }
        try {
            writer.writePending(ctx, pending);
        } finally {
            ChannelPromise close = closeAfterWrites;
            if (close != null) {
                closeAfterWrites = null;
                closeGracefully(ctx, close);
            }
        }
    }

    /** Sends what the engine wants to send on its own: handshake records, alerts, close_notify. */
    private void wrapNonApplicationData(ChannelHandlerContext ctx) throws SSLException {
        if (writer.writeEngineRecords(ctx, outboundClosed)) {
            handshakeSucceeded(ctx);
        }
        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
            tasks.start(ctx);
        }
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        closeAnswersPeer = false;
        closeGracefully(ctx, promise);
    }

    /** Sends the writes already flushed and a close_notify, then closes the channel once that has left. */
    private void closeGracefully(ChannelHandlerContext ctx, ChannelPromise promise) {
        timeout.cancel();
        if (writer.isWriting() && !outboundClosed && !failed && !removed && closeAfterWrites == null) {
            closeAfterWrites = promise;   // see the field: after the running send
            return;
        }
        if (closeAfterWrites != null) {   // a second close while the first waits: both complete with it
            ChannelPromise first = closeAfterWrites;
            first.addListener(f -> promise.trySuccess());
            return;
        }
        if (!outboundClosed && !failed && !removed && ctx.channel().isActive()) {
            outboundClosed = true;
            try {
                if (handshakeDone && !tasks.running() && flushRequested) {
                    wrapPending(ctx);
                }
                pending.failAll(new ClosedChannelException());
                engine.closeOutbound();
                if (!tasks.running()) {
                    wrapNonApplicationData(ctx);
                }
            } catch (Throwable t) {
                // best effort: the channel closes anyway
                pending.failAll(t);
            }
        }
        writer.closeChannel(ctx, promise, !closeAnswersPeer);
    }

    // ------------------------------------------------------------------ failure

    /** Fails the handshake (if not done), reports {@code cause}, sends any alert and closes the channel. */
    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        if (failed) {
            return;
        }
        failed = true;
        timeout.cancel();
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
            if (!tasks.running()) {
                writer.writeAlert(ctx);
            }
        } catch (RuntimeException e) {
            // best effort
        }
        ctx.fireExceptionCaught(reported);
        ctx.close();
    }

    private void releaseAll(Throwable cause) {
        cumulation.release();
        pending.failAll(cause);
        regions.failAll(cause);
    }
}
