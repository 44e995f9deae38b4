package io.panamanetty.codec;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.ReferenceCounted;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;

import java.util.Objects;

/**
 * An outbound handler that turns each written message of type {@code T} into bytes: it
 * allocates a buffer, lets {@link #encode} fill it and writes it in the message's place, with
 * the message's promise. Messages of other types pass on untouched.
 *
 * <pre>{@code
 * class IntEncoder extends MessageToByteEncoder<Integer> {
 *     protected void encode(ChannelHandlerContext ctx, Integer value, Buffer out) {
 *         out.writeInt(value);
 *     }
 * }
 * }</pre>
 * The type is read from the type argument; a generic subclass passes it to the constructor.
 * A matched message that is {@link ReferenceCounted} (a buffer) is released after
 * {@code encode}, so {@code encode} must retain what it wants to keep. If {@code encode} throws,
 * the buffer and the message are released and the write's promise fails with an
 * {@link EncoderException}. An encoder that keeps no state of its own may be
 * {@link ChannelHandler.Sharable}.
 *
 * @param <T> the type of message encoded
 */
public abstract class MessageToByteEncoder<T> implements ChannelHandler {
    private final Class<?> type;

    /** An encoder of the type given as this subclass's type argument. */
    protected MessageToByteEncoder() {
        this.type = MessageTypes.declared(getClass(), MessageToByteEncoder.class);
    }

    /**
     * An encoder of {@code type}.
     *
     * @param type the class of the messages to encode (subclasses included)
     */
    protected MessageToByteEncoder(Class<? extends T> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    /**
     * Writes {@code message} as bytes to {@code out}.
     *
     * @param ctx     the encoder's context
     * @param message the message, which the encoder releases afterwards if it is reference-counted
     * @param out     a buffer from {@link ChannelHandlerContext#alloc()}, which grows as needed
     * @throws Exception if the message cannot be encoded
     */
    protected abstract void encode(ChannelHandlerContext ctx, T message, Buffer out) throws Exception;

    /** {@return whether {@code message} is one to encode} By default: whether it is of the encoder's type. */
    public boolean acceptOutboundMessage(Object message) {
        return type.isInstance(message);
    }

    /**
     * {@return the capacity to allocate for encoding {@code message}} 256 by default; the
     * buffer grows if {@code encode} writes more.
     */
    protected int initialCapacity(T message) {
        return 256;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) throws Exception {
        if (!acceptOutboundMessage(message)) {
            ctx.write(message, promise);
            return;
        }
        T typed = (T) message;
        Buffer out = null;
        try {
            out = ctx.alloc().allocate(initialCapacity(typed));
            encode(ctx, typed, out);
        } catch (Exception e) {
            if (out != null) {
                out.release();
            }
            promise.tryFailure(e instanceof EncoderException ee ? ee
                    : new EncoderException(getClass().getName() + ".encode failed: " + e, e));
            return;
        } finally {
            releaseConsumed(message);
        }
        ctx.write(out, promise);
    }

    /** Releases a consumed message that holds memory, unless it is already freed. */
    static void releaseConsumed(Object message) {
        if (message instanceof ReferenceCounted counted && counted.refCnt() > 0) {
            counted.release();
        }
    }
}
