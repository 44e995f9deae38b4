package io.panamanetty.codec;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;

/**
 * An outbound handler that puts a big-endian length field of 1, 2, 4 or 8 bytes in front of
 * each {@link Buffer} written: the counterpart of {@link LengthFieldFrameDecoder}. The
 * payload is never copied: the handler writes a small header buffer, then the payload
 * buffer itself, as two writes that the channel sends together in one gathering write.
 * The write's promise completes with the payload's write, and fails if the header's does.
 *
 * <p>The field holds the payload's length, plus the field's own length if so configured.
 * A payload too long for the field fails the write with an {@link EncoderException} (the
 * payload is released, nothing is written). Messages that are not buffers pass through.
 *
 * <p>It keeps no state, so one instance may serve many channels.
 */
@ChannelHandler.Sharable
public class LengthFieldPrepender implements ChannelHandler {
    private final int lengthFieldLength;
    private final boolean lengthIncludesLengthFieldLength;

    /**
     * A prepender whose field holds the payload's length alone.
     *
     * @param lengthFieldLength 1, 2, 4 or 8
     */
    public LengthFieldPrepender(int lengthFieldLength) {
        this(lengthFieldLength, false);
    }

    /**
     * A prepender.
     *
     * @param lengthFieldLength               1, 2, 4 or 8
     * @param lengthIncludesLengthFieldLength true if the field counts its own bytes too
     * @throws IllegalArgumentException if {@code lengthFieldLength} is not 1, 2, 4 or 8
     */
    public LengthFieldPrepender(int lengthFieldLength, boolean lengthIncludesLengthFieldLength) {
        this.lengthFieldLength = LengthFields.checkFieldLength(lengthFieldLength);
        this.lengthIncludesLengthFieldLength = lengthIncludesLengthFieldLength;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) throws Exception {
        if (!(message instanceof Buffer payload)) {
            ctx.write(message, promise);
            return;
        }
        Buffer header;
        try {
            header = header(ctx, payload.readableBytes());
        } catch (RuntimeException e) {
            payload.release();
            promise.tryFailure(e);
            return;
        }
        ChannelFuture headerWritten = ctx.write(header);
        headerWritten.addListener(f -> {
            if (!f.isSuccess()) {
                promise.tryFailure(f.cause());
            }
        });
        ctx.write(payload, promise);
    }

    private Buffer header(ChannelHandlerContext ctx, int payloadLength) {
        long length = (long) payloadLength + (lengthIncludesLengthFieldLength ? lengthFieldLength : 0);
        long max = LengthFields.maxValue(lengthFieldLength);
        if (length > max) {
            throw new EncoderException("length " + length + " does not fit a " + lengthFieldLength
                    + "-byte length field (at most " + max + ")");
        }
        Buffer header = ctx.alloc().allocate(lengthFieldLength);
        LengthFields.write(header, lengthFieldLength, length);
        return header;
    }
}
