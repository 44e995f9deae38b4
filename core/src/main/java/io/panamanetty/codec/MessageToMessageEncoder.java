package io.panamanetty.codec;

import io.panamanetty.buffer.ReferenceCounted;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An outbound handler that turns each written message of type {@code T} into zero or more
 * other messages, written on in its place; messages of other types pass on untouched.
 *
 * <pre>{@code
 * class UpperCase extends MessageToMessageEncoder<String> {
 *     protected void encode(ChannelHandlerContext ctx, String text, List<Object> out) {
 *         out.add(text.toUpperCase(Locale.ROOT));
 *     }
 * }
 * }</pre>
 * The write's promise completes when the last message produced is written, and fails if any
 * of them fails; if none is produced it succeeds at once. A matched message that is
 * {@link ReferenceCounted} is released after {@code encode}: to pass it (or a view of it) on,
 * add a retained one ({@code buffer.retain()}, {@code retainedSlice()}). If {@code encode}
 * throws, what it produced is released and the promise fails with an {@link EncoderException}.
 *
 * @param <T> the type of message encoded
 */
public abstract class MessageToMessageEncoder<T> implements ChannelHandler {
    private final Class<?> type;

    /** An encoder of the type given as this subclass's type argument. */
    protected MessageToMessageEncoder() {
        this.type = MessageTypes.declared(getClass(), MessageToMessageEncoder.class);
    }

    /**
     * An encoder of {@code type}.
     *
     * @param type the class of the messages to encode (subclasses included)
     */
    protected MessageToMessageEncoder(Class<? extends T> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    /**
     * Turns {@code message} into the messages added to {@code out}, written on in order.
     *
     * @param ctx     the encoder's context
     * @param message the message, released afterwards if it is reference-counted
     * @param out     where to add the messages to write in its place
     * @throws Exception if the message cannot be encoded
     */
    protected abstract void encode(ChannelHandlerContext ctx, T message, List<Object> out) throws Exception;

    /** {@return whether {@code message} is one to encode} By default: whether it is of the encoder's type. */
    public boolean acceptOutboundMessage(Object message) {
        return type.isInstance(message);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) throws Exception {
        if (!acceptOutboundMessage(message)) {
            ctx.write(message, promise);
            return;
        }
        List<Object> out = new ArrayList<>(2);
        try {
            encode(ctx, (T) message, out);
        } catch (Exception e) {
            out.forEach(MessageToByteEncoder::releaseConsumed);
            promise.tryFailure(e instanceof EncoderException ee ? ee
                    : new EncoderException(getClass().getName() + ".encode failed: " + e, e));
            return;
        } finally {
            MessageToByteEncoder.releaseConsumed(message);
        }
        writeAll(ctx, out, promise);
    }

    /** Writes {@code out} in order; {@code promise} follows the last write and fails with any. */
    static void writeAll(ChannelHandlerContext ctx, List<Object> out, ChannelPromise promise) {
        int last = out.size() - 1;
        if (last < 0) {
            promise.trySuccess();
            return;
        }
        for (int i = 0; i < last; i++) {
            ChannelFuture written = ctx.write(out.get(i));
            written.addListener(f -> {
                if (!f.isSuccess()) {
                    promise.tryFailure(f.cause());
                }
            });
        }
        ctx.write(out.get(last), promise);
    }
}
