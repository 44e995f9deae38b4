package io.panamanetty.codec;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.ChannelHandlerContext;

import java.util.List;

/**
 * Splits a byte stream into frames announced by a big-endian length field.
 *
 * <p>A frame starts with a header of {@code lengthFieldOffset} bytes followed by the length
 * field of {@code lengthFieldLength} (1, 2, 4 or 8) bytes. The field's value, plus
 * {@code lengthAdjustment}, is the number of bytes that follow the field; so the whole frame,
 * header included, is {@code lengthFieldOffset + lengthFieldLength + value + lengthAdjustment}
 * bytes. The decoder emits each frame as a buffer (a retained slice of its input, no copy)
 * with its first {@code initialBytesToStrip} bytes cut off. Fields of 1, 2 and 4 bytes are
 * unsigned; an 8-byte field is signed and must lie between 0 and {@link Integer#MAX_VALUE}.
 *
 * <p>Two common layouts:
 * <pre>{@code
 * // 2-byte length of the payload, then the payload; emit the payload alone
 * new LengthFieldFrameDecoder(65_537, 0, 2, 0, 2);
 * // 4-byte length counting the whole frame (field included); emit the frame as it is
 * new LengthFieldFrameDecoder(1 << 20, 0, 4, -4, 0);
 * }</pre>
 *
 * <p>Errors (see {@link ByteToMessageDecoder} for what follows them), raised as soon as the
 * header has arrived, without waiting for the frame's body:
 * <ul>
 *   <li>{@link TooLongFrameException} if the frame, header included, would exceed
 *       {@code maxFrameLength};</li>
 *   <li>{@link CorruptedFrameException} if an 8-byte field is negative or above
 *       {@link Integer#MAX_VALUE}, if the adjusted length would end the frame inside its own
 *       header, or if the frame is shorter than {@code initialBytesToStrip}.</li>
 * </ul>
 * An incomplete frame left when the input ends is dropped.
 */
public class LengthFieldFrameDecoder extends ByteToMessageDecoder {
    private final int maxFrameLength;
    private final int lengthFieldOffset;
    private final int lengthFieldLength;
    private final int lengthFieldEndOffset;
    private final int lengthAdjustment;
    private final int initialBytesToStrip;

    /**
     * A decoder for frames that start with their length field, whose value counts the bytes
     * after it; frames are emitted whole (field included).
     *
     * @param maxFrameLength    the longest frame accepted, header included
     * @param lengthFieldLength 1, 2, 4 or 8
     */
    public LengthFieldFrameDecoder(int maxFrameLength, int lengthFieldLength) {
        this(maxFrameLength, 0, lengthFieldLength, 0, 0);
    }

    /**
     * A decoder for the layout described on this class.
     *
     * @param maxFrameLength      the longest frame accepted, header included; at least
     *                            {@code lengthFieldOffset + lengthFieldLength}
     * @param lengthFieldOffset   where the length field starts in the frame, at least 0
     * @param lengthFieldLength   1, 2, 4 or 8
     * @param lengthAdjustment    added to the field's value to get the number of bytes after
     *                            the field (e.g. {@code -lengthFieldLength} if the value counts
     *                            the field itself); may be negative
     * @param initialBytesToStrip how many leading bytes of each frame to drop before emitting
     *                            it (e.g. the header's length to emit only the payload), at least 0
     * @throws IllegalArgumentException if a parameter is out of range
     */
    public LengthFieldFrameDecoder(int maxFrameLength, int lengthFieldOffset, int lengthFieldLength,
                                   int lengthAdjustment, int initialBytesToStrip) {
        LengthFields.checkFieldLength(lengthFieldLength);
        if (lengthFieldOffset < 0) {
            throw new IllegalArgumentException("lengthFieldOffset must be at least 0, not " + lengthFieldOffset);
        }
        if (initialBytesToStrip < 0) {
            throw new IllegalArgumentException("initialBytesToStrip must be at least 0, not " + initialBytesToStrip);
        }
        long endOffset = (long) lengthFieldOffset + lengthFieldLength;
        if (maxFrameLength < endOffset) {
            throw new IllegalArgumentException("maxFrameLength (" + maxFrameLength + ") must be at least"
                    + " lengthFieldOffset + lengthFieldLength (" + endOffset + ")");
        }
        this.maxFrameLength = maxFrameLength;
        this.lengthFieldOffset = lengthFieldOffset;
        this.lengthFieldLength = lengthFieldLength;
        this.lengthFieldEndOffset = (int) endOffset;
        this.lengthAdjustment = lengthAdjustment;
        this.initialBytesToStrip = initialBytesToStrip;
    }

    /** {@return the longest frame accepted, header included} */
    public int maxFrameLength() {
        return maxFrameLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, Buffer in, List<Object> out) {
        if (in.readableBytes() < lengthFieldEndOffset) {
            return;
        }
        int start = in.readerIndex();
        long frameLength = frameLength(LengthFields.get(in, start + lengthFieldOffset, lengthFieldLength));
        if (in.readableBytes() < frameLength) {
            return;
        }
        int length = (int) frameLength;
        out.add(extractFrame(ctx, in, start + initialBytesToStrip, length - initialBytesToStrip));
        in.readerIndex(start + length);
    }

    /** {@return the whole frame's length for a length field of {@code value}}, after validating it. */
    private long frameLength(long value) {
        if (lengthFieldLength == 8 && (value < 0 || value > Integer.MAX_VALUE)) {
            throw new CorruptedFrameException("8-byte length field holds " + value + ", outside 0.."
                    + Integer.MAX_VALUE);
        }
        long frameLength = value + lengthAdjustment + lengthFieldEndOffset;
        if (frameLength < lengthFieldEndOffset) {
            throw new CorruptedFrameException("length field holds " + value + ", which with lengthAdjustment "
                    + lengthAdjustment + " gives a frame of " + frameLength + " bytes, shorter than its "
                    + lengthFieldEndOffset + "-byte header");
        }
        if (frameLength > maxFrameLength) {
            throw new TooLongFrameException("frame of " + frameLength + " bytes (length field " + value
                    + ") exceeds maxFrameLength " + maxFrameLength, frameLength, maxFrameLength);
        }
        if (frameLength < initialBytesToStrip) {
            throw new CorruptedFrameException("frame of " + frameLength + " bytes (length field " + value
                    + ") is shorter than initialBytesToStrip " + initialBytesToStrip);
        }
        return frameLength;
    }
}
