package io.panamanetty.codec;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;

import java.util.List;

/**
 * A decoder and an encoder in one handler, for a protocol whose two directions belong
 * together: bytes received are decoded as by a {@link ByteToMessageDecoder} (cumulation,
 * errors and all), and messages of type {@code T} written are encoded as by a
 * {@link MessageToByteEncoder}; written messages of other types pass on untouched.
 *
 * <pre>{@code
 * class IntCodec extends ByteToMessageCodec<Integer> {
 *     protected void encode(ChannelHandlerContext ctx, Integer value, Buffer out) {
 *         out.writeInt(value);
 *     }
 *     protected void decode(ChannelHandlerContext ctx, Buffer in, List<Object> out) {
 *         if (in.readableBytes() >= 4) {
 *             out.add(in.readInt());
 *         }
 *     }
 * }
 * }</pre>
 * Like any {@code ByteToMessageDecoder} it keeps per-channel state: one instance per channel.
 *
 * @param <T> the type of message encoded
 */
public abstract class ByteToMessageCodec<T> extends ByteToMessageDecoder {
    private final Encoder encoder;

    /** A codec encoding the type given as this subclass's type argument. */
    protected ByteToMessageCodec() {
        this.encoder = new Encoder(MessageTypes.declared(getClass(), ByteToMessageCodec.class));
    }

    /**
     * A codec encoding messages of {@code type}.
     *
     * @param type the class of the messages to encode (subclasses included)
     */
    protected ByteToMessageCodec(Class<? extends T> type) {
        this.encoder = new Encoder(type);
    }

    /**
     * Writes {@code message} as bytes to {@code out}; see {@link MessageToByteEncoder#encode}.
     *
     * @param ctx     the codec's context
     * @param message the message, released afterwards if it is reference-counted
     * @param out     a buffer to fill, which grows as needed
     * @throws Exception if the message cannot be encoded
     */
    protected abstract void encode(ChannelHandlerContext ctx, T message, Buffer out) throws Exception;

    /** {@return whether {@code message} is one to encode} By default: whether it is of the codec's type. */
    public boolean acceptOutboundMessage(Object message) {
        return encoder.acceptsType(message);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) throws Exception {
        encoder.write(ctx, message, promise);
    }

    @Override
    protected abstract void decode(ChannelHandlerContext ctx, Buffer in, List<Object> out) throws Exception;

    /** The encoding half, delegating to the codec's methods. */
    private final class Encoder extends MessageToByteEncoder<T> {
        @SuppressWarnings("unchecked")
        Encoder(Class<?> type) {
            super((Class<? extends T>) type);
        }

        boolean acceptsType(Object message) {
            return super.acceptOutboundMessage(message);
        }

        @Override
        public boolean acceptOutboundMessage(Object message) {
            return ByteToMessageCodec.this.acceptOutboundMessage(message);
        }

        @Override
        protected void encode(ChannelHandlerContext ctx, T message, Buffer out) throws Exception {
            ByteToMessageCodec.this.encode(ctx, message, out);
        }
    }
}
