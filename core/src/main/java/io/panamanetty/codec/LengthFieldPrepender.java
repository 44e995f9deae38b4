package io.panamanetty.codec;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * An outbound handler that puts a length field of 1, 2, 3, 4 or 8 bytes (big-endian unless
 * another byte order is given) in front of each {@link Buffer}, {@code byte[]} or
 * {@link ByteBuffer} written: the counterpart of {@link LengthFieldFrameDecoder}. A buffer
 * payload is never copied: the handler writes a small header buffer, then the payload
 * buffer itself, as two writes that the channel sends together in one gathering write; a
 * {@code byte[]} or {@code ByteBuffer} is copied into a buffer first (the channel would copy
 * it anyway). The write's promise completes with the payload's write, and fails if the
 * header's does.
 *
 * <p>The field holds the payload's length plus {@code lengthAdjustment}, plus the field's own
 * length if so configured. A length that does not fit the field (or is negative) fails the
 * write with an {@link EncoderException} naming it (the payload is released, nothing is
 * written). Other messages pass through.
 *
 * <p>It keeps no state, so one instance may serve many channels.
 */
@ChannelHandler.Sharable
public class LengthFieldPrepender implements ChannelHandler {
    private final int lengthFieldLength;
    private final boolean lengthIncludesLengthFieldLength;
    private final int lengthAdjustment;
    private final ByteOrder byteOrder;

    /**
     * A prepender whose field holds the payload's length alone.
     *
     * @param lengthFieldLength 1, 2, 3, 4 or 8
     */
    public LengthFieldPrepender(int lengthFieldLength) {
        this(lengthFieldLength, false);
    }

    /**
     * A prepender.
     *
     * @param lengthFieldLength               1, 2, 3, 4 or 8
     * @param lengthIncludesLengthFieldLength true if the field counts its own bytes too
     * @throws IllegalArgumentException if {@code lengthFieldLength} is not 1, 2, 3, 4 or 8
     */
    public LengthFieldPrepender(int lengthFieldLength, boolean lengthIncludesLengthFieldLength) {
        this(ByteOrder.BIG_ENDIAN, lengthFieldLength, 0, lengthIncludesLengthFieldLength);
    }

    /**
     * A prepender with every option (Netty's full constructor).
     *
     * @param byteOrder                       the byte order of the length field
     * @param lengthFieldLength               1, 2, 3, 4 or 8
     * @param lengthAdjustment                added to the length written (may be negative)
     * @param lengthIncludesLengthFieldLength true if the field counts its own bytes too
     * @throws IllegalArgumentException if {@code lengthFieldLength} is not 1, 2, 3, 4 or 8
     */
    public LengthFieldPrepender(ByteOrder byteOrder, int lengthFieldLength, int lengthAdjustment,
                                boolean lengthIncludesLengthFieldLength) {
        this.byteOrder = Objects.requireNonNull(byteOrder, "byteOrder");
        this.lengthFieldLength = LengthFields.checkFieldLength(lengthFieldLength);
        this.lengthAdjustment = lengthAdjustment;
        this.lengthIncludesLengthFieldLength = lengthIncludesLengthFieldLength;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) throws Exception {
        Buffer payload;
        try {
            payload = switch (message) {
                case Buffer buffer -> buffer;
                case byte[] bytes -> ctx.alloc().copyOf(bytes);
                case ByteBuffer bytes -> ctx.alloc().copyOf(bytes);
                default -> null;
            };
        } catch (RuntimeException e) {
            promise.tryFailure(e);
            return;
        }
        if (payload == null) {
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
        long length = (long) payloadLength + lengthAdjustment + (lengthIncludesLengthFieldLength ? lengthFieldLength : 0);
        long max = LengthFields.maxValue(lengthFieldLength);
        if (length > max || length < 0) {
            throw new EncoderException("length " + length + " (payload of " + payloadLength + " bytes) does not fit a "
                    + lengthFieldLength + "-byte length field (0 to " + max + ")");
        }
        Buffer header = ctx.alloc().allocate(lengthFieldLength);
        LengthFields.write(header, lengthFieldLength, length, byteOrder);
        return header;
    }
}
