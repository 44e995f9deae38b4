package io.panamanetty.codec;

import io.panamanetty.buffer.ReferenceCounted;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An inbound handler that turns each message of type {@code T} it receives into zero or more
 * other messages, fired on in order; messages of other types pass on untouched.
 *
 * <pre>{@code
 * class ToInteger extends MessageToMessageDecoder<String> {
 *     protected void decode(ChannelHandlerContext ctx, String text, List<Object> out) {
 *         out.add(Integer.valueOf(text.trim()));
 *     }
 * }
 * }</pre>
 * A matched message that is {@link ReferenceCounted} is released after {@code decode}: to pass
 * it (or a view of it) on, add a retained one ({@code retainedSlice()}, {@code retain()}). If
 * {@code decode} throws, the messages it produced before are still fired, then the failure,
 * wrapped in a {@link DecoderException} unless it is one, goes to {@code exceptionCaught}; the
 * decoder keeps no state, so the next message is decoded as usual. Without state of its own,
 * a subclass may be {@link ChannelHandler.Sharable}.
 *
 * @param <T> the type of message decoded
 */
public abstract class MessageToMessageDecoder<T> implements ChannelHandler {
    private final Class<?> type;

    /** A decoder of the type given as this subclass's type argument. */
    protected MessageToMessageDecoder() {
        this.type = MessageTypes.declared(getClass(), MessageToMessageDecoder.class);
    }

    /**
     * A decoder of {@code type}.
     *
     * @param type the class of the messages to decode (subclasses included)
     */
    protected MessageToMessageDecoder(Class<? extends T> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    /**
     * Turns {@code message} into the messages added to {@code out}.
     *
     * @param ctx     the decoder's context
     * @param message the message, released afterwards if it is reference-counted
     * @param out     where to add the messages to fire in its place
     * @throws Exception if the message is malformed; preferably a {@link DecoderException}
     */
    protected abstract void decode(ChannelHandlerContext ctx, T message, List<Object> out) throws Exception;

    /** {@return whether {@code message} is one to decode} By default: whether it is of the decoder's type. */
    public boolean acceptInboundMessage(Object message) {
        return type.isInstance(message);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void channelRead(ChannelHandlerContext ctx, Object message) throws Exception {
        if (!acceptInboundMessage(message)) {
            ctx.fireChannelRead(message);
            return;
        }
        List<Object> out = new ArrayList<>(2);
        Exception failure = null;
        try {
            decode(ctx, (T) message, out);
        } catch (Exception e) {
            failure = e;
        } finally {
            MessageToByteEncoder.releaseConsumed(message);
        }
        int i = 0;
        try {
            for (; i < out.size(); i++) {
                ctx.fireChannelRead(out.get(i));
            }
        } finally {
            for (i++; i < out.size(); i++) {   // only if firing threw: the rest is ours to free
                MessageToByteEncoder.releaseConsumed(out.get(i));
            }
        }
        if (failure != null) {
            ctx.fireExceptionCaught(failure instanceof DecoderException d ? d
                    : new DecoderException(getClass().getName() + ".decode failed: " + failure, failure));
        }
    }
}
