package io.panamanetty.codec;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.ChannelHandlerContext;

import java.util.List;

/**
 * Splits a byte stream into frames of one fixed length, emitting each as a buffer (a
 * retained slice of the input, no copy). The frame length is also its maximum: the decoder
 * never holds more than one incomplete frame plus one read. An incomplete frame left when
 * the input ends is dropped.
 */
public class FixedLengthFrameDecoder extends ByteToMessageDecoder {
    private final int frameLength;

    /**
     * A decoder of frames of {@code frameLength} bytes.
     *
     * @param frameLength the length of every frame, at least 1
     * @throws IllegalArgumentException if {@code frameLength} is below 1
     */
    public FixedLengthFrameDecoder(int frameLength) {
        if (frameLength < 1) {
            throw new IllegalArgumentException("frameLength must be at least 1, not " + frameLength);
        }
        this.frameLength = frameLength;
    }

    /** {@return the length of every frame} */
    public int frameLength() {
        return frameLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, Buffer in, List<Object> out) {
        if (in.readableBytes() >= frameLength) {
            int start = in.readerIndex();
            out.add(extractFrame(ctx, in, start, frameLength));
            in.readerIndex(start + frameLength);
        }
    }
}
