package io.panamanetty.codec;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;

import java.nio.charset.Charset;
import java.util.Objects;

/**
 * Turns each {@link Buffer} received into a {@link String} in a given charset, releasing the
 * buffer. Malformed bytes become the charset's replacement character.
 *
 * <p>It decodes each buffer on its own, so a character cut between two buffers would be
 * garbled: place it after a frame decoder ({@link LineFrameDecoder},
 * {@link LengthFieldFrameDecoder}, ...), whose maximum frame length also bounds the strings.
 * Messages that are not buffers pass through. It keeps no state, so one instance may serve
 * many channels.
 */
@ChannelHandler.Sharable
public class StringDecoder implements ChannelHandler {
    private final Charset charset;

    /** A decoder for UTF-8, as Netty's {@code new StringDecoder()}. */
    public StringDecoder() {
        this(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * A decoder for {@code charset}.
     *
     * @param charset the bytes' encoding
     */
    public StringDecoder(Charset charset) {
        this.charset = Objects.requireNonNull(charset, "charset");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) throws Exception {
        if (!(message instanceof Buffer buffer)) {
            ctx.fireChannelRead(message);
            return;
        }
        String text;
        try {
            text = buffer.toString(charset);
        } finally {
            buffer.release();
        }
        ctx.fireChannelRead(text);
    }
}
