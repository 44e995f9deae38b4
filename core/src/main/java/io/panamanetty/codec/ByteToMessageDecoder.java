package io.panamanetty.codec;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelInputShutdownEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * An inbound handler that turns a stream of bytes, arriving in buffers cut anywhere, into
 * messages. Subclasses implement {@link #decode}; this class does the bookkeeping:
 * <ul>
 *   <li>While no bytes are waiting, an incoming {@link Buffer} is decoded where it is: the
 *       frames it holds whole are cut from it without a copy, and only an incomplete rest is
 *       copied into the decoder's <em>cumulation</em> buffer. Otherwise the incoming buffer is
 *       copied into the cumulation. Either way it is then released, so the input's reference
 *       never outlives the callback and any fragmentation of the stream is absorbed. Bytes
 *       already decoded are discarded before the cumulation would grow, which keeps its size
 *       within a small multiple of the bytes still waiting (one incomplete frame plus one
 *       read, for a framing decoder).</li>
 *   <li>{@code decode} is called again and again while it makes progress (produces a
 *       message or consumes bytes); the messages it adds to {@code out} are fired down the
 *       pipeline, in order, after each call.</li>
 *   <li>Messages that are not buffers pass through untouched.</li>
 *   <li>When the input ends ({@code channelInactive}, or {@link ChannelInputShutdownEvent}
 *       on a half-closed channel) the bytes left are decoded one last time, through
 *       {@link #decodeLast}; what even that leaves is dropped and the cumulation released.</li>
 *   <li>When the decoder is removed from the pipeline, the bytes not yet decoded are passed
 *       on, as one buffer, to the next handler (so a handler replacing this one sees them).</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * If {@code decode} throws, the messages it produced before are still fired, then the
 * exception, wrapped in a {@link DecoderException} unless it is one, is fired to the next
 * handler's {@code exceptionCaught}. From then on the decoder is <em>failed</em>: its
 * cumulation is released and every further buffer it receives is released unread, so a
 * peer sending garbage or an oversized frame costs no more memory while the application
 * closes the connection (typically from {@code exceptionCaught}; in a real channel the
 * pipeline's tail logs an exception nobody handled). A subclass that can resynchronise on
 * the stream (skip a bad frame and go on with the next) overrides {@link #continuesAfter}:
 * for the exceptions it accepts, the exception is fired and decoding goes on.
 *
 * <h2>Writing a decoder</h2>
 * {@code decode} reads from {@code in} (moving its reader index over what it consumed) and
 * adds whole messages to {@code out}; if {@code in} does not yet hold a whole message it
 * returns without consuming anything, and is called again when more bytes arrive. A message
 * that is a slice of {@code in} must hold its own reference: use
 * {@link Buffer#readBytes(int)} or {@link Buffer#retainedSlice(int, int)}, never a plain
 * slice, and never keep {@code in} itself. Whoever receives a message owns it, by the
 * ownership rule of {@link Buffer}.
 *
 * <p>A decoder keeps per-channel state, so an instance serves one channel: it must not be
 * marked {@link ChannelHandler.Sharable}. All callbacks run on the channel's event loop.
 */
public abstract class ByteToMessageDecoder implements ChannelHandler {
    private Buffer cumulation;
    /** Set once decoding failed: from then on input is discarded. */
    private boolean failed;
    /** Set once the input ended and {@link #decodeLast} ran or is due. */
    private boolean inputClosed;
    /** Set once the decoder left the pipeline. */
    private boolean removed;
    /** Above 0 while {@link #decodeAndFire} runs, to spot callbacks re-entered from downstream. */
    private int decodeDepth;
    /**
     * Set while the cumulation is a received buffer decoded in place (retained once more
     * for the purpose): it is never written into, and its rest is copied out after the pass.
     */
    private boolean borrowed;

    /**
     * For subclasses.
     *
     * @throws IllegalStateException if the subclass is annotated {@link ChannelHandler.Sharable}
     */
    protected ByteToMessageDecoder() {
        if (getClass().isAnnotationPresent(ChannelHandler.Sharable.class)) {
            throw new IllegalStateException(getClass().getName() + " keeps per-channel state and must not be"
                    + " @ChannelHandler.Sharable");
        }
    }

    /**
     * Decodes as many bytes of {@code in} as make one message (or a few) and adds the
     * message(s) to {@code out}. Called while the previous call made progress.
     *
     * @param ctx the decoder's context
     * @param in  the bytes received and not yet decoded; read from its reader index on, and
     *            advance that index over what was consumed. Do not release or keep it.
     * @param out where to add decoded messages; each is fired to the next handler after the call
     * @throws Exception if the bytes are malformed; preferably a {@link DecoderException}
     */
    protected abstract void decode(ChannelHandlerContext ctx, Buffer in, List<Object> out) throws Exception;

    /**
     * Decodes what is left when the input has ended, after {@link #decode} could make no more
     * progress. The default calls {@code decode} once more; a subclass may override it to
     * produce a last, possibly incomplete, message. Bytes still unread afterwards are dropped.
     * It is only called when {@code in} is readable.
     *
     * @param ctx the decoder's context
     * @param in  the bytes left
     * @param out where to add decoded messages
     * @throws Exception if the bytes are malformed
     */
    protected void decodeLast(ChannelHandlerContext ctx, Buffer in, List<Object> out) throws Exception {
        decode(ctx, in, out);
    }

    /**
     * Extracts the frame {@code [index, index + length)} of {@code in} as a message: a
     * retained slice, sharing memory (no copy) and holding a reference of its own. A subclass
     * may override it to copy instead, so that a long-lived frame does not pin the cumulation.
     * No index of {@code in} moves.
     *
     * @param ctx    the decoder's context (for its allocator)
     * @param in     the cumulation
     * @param index  the absolute index of the frame's first byte
     * @param length the frame's length
     * @return a buffer the receiver owns
     */
    protected Buffer extractFrame(ChannelHandlerContext ctx, Buffer in, int index, int length) {
        return in.retainedSlice(index, length);
    }

    /**
     * {@return whether decoding goes on after {@code decode} threw {@code cause}} If false (the
     * default) the decoder fails for good, as described above. If true, {@code cause} is fired
     * to {@code exceptionCaught} and decoding goes on with the bytes left; the subclass must
     * have consumed the offending bytes (or entered a state that skips them), else decoding
     * waits for more input.
     *
     * @param cause what {@code decode} threw
     */
    protected boolean continuesAfter(Exception cause) {
        return false;
    }

    /** {@return how many received bytes wait in the cumulation, not yet decoded} */
    protected final int cumulatedBytes() {
        Buffer c = cumulation;
        return c == null ? 0 : c.readableBytes();
    }

    /** {@return whether decoding failed and the decoder now discards its input} */
    public final boolean isFailed() {
        return failed;
    }

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object message) throws Exception {
        if (!(message instanceof Buffer in)) {
            ctx.fireChannelRead(message);
            return;
        }
        if (failed) {
            in.release();
            return;
        }
        if (cumulation == null && decodeDepth == 0 && in.isReadable()) {
            cumulation = in.retain();   // decoded in place; settle() copies out what is left
            borrowed = true;
            try {
                decodeAndFire(ctx);
            } finally {
                in.release();
            }
            return;
        }
        try {
            unborrow(ctx);
            cumulation = Cumulation.append(ctx.alloc(), cumulation, in);
        } catch (RuntimeException e) {
            fail(ctx, e instanceof DecoderException d ? d : new DecoderException("cannot cumulate input", e));
            return;
        } finally {
            in.release();
        }
        decodeAndFire(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof ChannelInputShutdownEvent) {
            endInput(ctx);
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public final void channelInactive(ChannelHandlerContext ctx) throws Exception {
        try {
            endInput(ctx);
            if (decodeDepth == 0) {
                releaseCumulation();   // also bytes that arrived after an input shutdown
            }
        } finally {
            ctx.fireChannelInactive();
        }
    }

    @Override
    public final void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
        removed = true;
        if (decodeDepth == 0) {
            forwardRemainder(ctx);
        }
    }

    /** Runs the last decoding pass, once, unless decoding already failed. */
    private void endInput(ChannelHandlerContext ctx) {
        if (inputClosed) {
            return;
        }
        inputClosed = true;
        if (decodeDepth == 0) {
            decodeAndFire(ctx);
        }
        // else the pass under way sees inputClosed and finishes the job
    }

    /**
     * Decodes while progress is made, firing each batch of messages; after the input has
     * ended, also runs {@link #decodeLast} and releases the cumulation. Re-entered from
     * downstream (a handler feeding the pipeline or removing this decoder while it fires
     * messages), it does nothing: the running pass picks up the new state.
     */
    private void decodeAndFire(ChannelHandlerContext ctx) {
        if (decodeDepth > 0) {
            return;
        }
        List<Object> out = new ArrayList<>();
        decodeDepth++;
        try {
            decodeLoop(ctx, out);
            if (inputClosed && isDecodable()) {
                decodeLast(ctx, cumulation, out);
                fireAll(ctx, out);
            }
        } catch (Exception e) {
            fireAll(ctx, out);   // what was decoded before the failure still goes on, in order
            if (inputClosed && continuesAfter(e)) {
                ctx.fireExceptionCaught(wrap(e));   // the last pass: the cumulation goes anyway
            } else {
                fail(ctx, wrap(e));
            }
        } finally {
            decodeDepth--;
            releaseAll(out);   // only non-empty if an Error is propagating
            settle(ctx);
        }
    }

    private void decodeLoop(ChannelHandlerContext ctx, List<Object> out) throws Exception {
        while (isDecodable()) {
            int before = cumulation.readableBytes();
            try {
                decode(ctx, cumulation, out);
            } catch (Exception e) {
                if (!continuesAfter(e)) {
                    throw e;
                }
                fireAll(ctx, out);
                ctx.fireExceptionCaught(wrap(e));
                if (!isDecodable() || cumulation.readableBytes() == before) {
                    return;   // nothing skipped: wait for more bytes
                }
                continue;
            }
            int produced = out.size();
            fireAll(ctx, out);
            if (!isDecodable()) {
                return;
            }
            int after = cumulation.readableBytes();
            if (after == before) {
                if (produced == 0) {
                    return;   // needs more bytes
                }
                throw new DecoderException(getClass().getName() + ".decode produced " + produced
                        + " message(s) without consuming any byte; it would be called forever");
            }
        }
    }

    private DecoderException wrap(Exception e) {
        return e instanceof DecoderException d ? d : new DecoderException(getClass().getName() + ".decode failed: "
                + e, e);
    }

    /**
     * Replaces a borrowed cumulation (a received buffer decoded in place) by a copy of its
     * unread bytes in a buffer of the decoder's own, or by nothing if none is left.
     */
    private void unborrow(ChannelHandlerContext ctx) {
        if (!borrowed) {
            return;
        }
        borrowed = false;
        Buffer received = cumulation;
        cumulation = null;
        try {
            cumulation = Cumulation.append(ctx.alloc(), null, received);
        } finally {
            received.release();
        }
    }

    private boolean isDecodable() {
        return !failed && !removed && cumulation != null && cumulation.isReadable();
    }

    /** After a pass: hands the remainder on if removed, else frees or tidies the cumulation. */
    private void settle(ChannelHandlerContext ctx) {
        if (removed) {
            forwardRemainder(ctx);
        } else if (inputClosed || failed) {
            releaseCumulation();
        } else if (borrowed) {
            unborrow(ctx);
        } else {
            cumulation = Cumulation.trim(ctx.alloc(), cumulation);
        }
    }

    private void fail(ChannelHandlerContext ctx, DecoderException cause) {
        failed = true;
        if (decodeDepth == 0) {
            releaseCumulation();
        }
        ctx.fireExceptionCaught(cause);
    }

    /** Passes the undecoded bytes to the next handler, as a view of the cumulation, and drops the cumulation. */
    private void forwardRemainder(ChannelHandlerContext ctx) {
        Buffer c = cumulation;
        cumulation = null;
        borrowed = false;
        if (c == null) {
            return;
        }
        if (failed || inputClosed || !c.isReadable()) {
            c.release();
            return;
        }
        Buffer rest;
        try {
            rest = c.readBytes(c.readableBytes());
        } finally {
            c.release();
        }
        ctx.fireChannelRead(rest);
        ctx.fireChannelReadComplete();
    }

    private void releaseCumulation() {
        Buffer c = cumulation;
        cumulation = null;
        borrowed = false;
        if (c != null) {
            c.release();
        }
    }

    /** Fires the messages of {@code out} in order and empties it. */
    private static void fireAll(ChannelHandlerContext ctx, List<Object> out) {
        int size = out.size();
        if (size == 0) {
            return;
        }
        try {
            for (int i = 0; i < size; i++) {
                Object message = out.set(i, null);
                ctx.fireChannelRead(message);
            }
        } finally {
            releaseAll(out);
        }
    }

    /** Releases the buffers left in {@code out} (if firing stopped half-way) and empties it. */
    private static void releaseAll(List<Object> out) {
        for (Object message : out) {
            if (message instanceof Buffer buffer && buffer.refCnt() > 0) {
                buffer.release();
            }
        }
        out.clear();
    }
}
