package io.panamanetty.codec;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;

import java.nio.charset.Charset;
import java.util.Objects;

/**
 * Turns each {@link CharSequence} written into a {@link Buffer} holding it encoded in a given
 * charset (unmappable characters become the charset's replacement bytes). It adds no framing:
 * append a delimiter yourself or place a {@link LengthFieldPrepender} before it. Messages that
 * are not character sequences pass through. It keeps no state, so one instance may serve
 * many channels.
 */
@ChannelHandler.Sharable
public class StringEncoder implements ChannelHandler {
    private final Charset charset;

    /** An encoder for UTF-8, as Netty's {@code new StringEncoder()}. */
    public StringEncoder() {
        this(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * An encoder for {@code charset}.
     *
     * @param charset the encoding to write
     */
    public StringEncoder(Charset charset) {
        this.charset = Objects.requireNonNull(charset, "charset");
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) throws Exception {
        if (!(message instanceof CharSequence text)) {
            ctx.write(message, promise);
            return;
        }
        Buffer encoded;
        try {
            encoded = ctx.alloc().copyOf(text, charset);
        } catch (RuntimeException e) {
            promise.tryFailure(e);
            return;
        }
        ctx.write(encoded, promise);
    }
}
