package io.panamanetty.codec;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.ChannelHandlerContext;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;

/**
 * Splits a byte stream into frames announced by a length field (Netty's
 * {@code LengthFieldBasedFrameDecoder}).
 *
 * <p>A frame starts with a header of {@code lengthFieldOffset} bytes followed by the length
 * field of {@code lengthFieldLength} (1, 2, 3, 4 or 8) bytes, big-endian unless another byte
 * order is given. The field's value, plus
 * {@code lengthAdjustment}, is the number of bytes that follow the field; so the whole frame,
 * header included, is {@code lengthFieldOffset + lengthFieldLength + value + lengthAdjustment}
 * bytes. The decoder emits each frame as a buffer (a retained slice of its input, no copy)
 * with its first {@code initialBytesToStrip} bytes cut off. Fields of 1 to 4 bytes are
 * unsigned; an 8-byte field is signed and must lie between 0 and {@link Integer#MAX_VALUE}.
 *
 * <p>Two common layouts:
 * <pre>{@code
 * // 2-byte length of the payload, then the payload; emit the payload alone
 * new LengthFieldFrameDecoder(65_537, 0, 2, 0, 2);
 * // 4-byte length counting the whole frame (field included); emit the frame as it is
 * new LengthFieldFrameDecoder(1 << 20, 0, 4, -4, 0);
 * // little-endian 3-byte length; a too-long frame is skipped, reported once skipped
 * new LengthFieldFrameDecoder(ByteOrder.LITTLE_ENDIAN, 1 << 16, 0, 3, 0, 3, false);
 * }</pre>
 *
 * <p>Errors, raised as soon as the header has arrived, without waiting for the frame's body
 * (except a too-long frame's without fail-fast, below):
 * <ul>
 *   <li>{@link TooLongFrameException} if the frame, header included, would exceed
 *       {@code maxFrameLength};</li>
 *   <li>{@link CorruptedFrameException} if an 8-byte field is negative or above
 *       {@link Integer#MAX_VALUE}, if the adjusted length would end the frame inside its own
 *       header, or if the frame is shorter than {@code initialBytesToStrip}.</li>
 * </ul>
 * With the shorter constructors, either error makes the decoder fail for good (see
 * {@link ByteToMessageDecoder}). With the full one, as in Netty, a too-long frame is
 * <em>skipped</em> instead: its bytes are discarded as they arrive and decoding goes on with
 * the next frame; the {@link TooLongFrameException} is raised as soon as the length is read
 * with {@code failFast}, or once the whole frame has been skipped without. A corrupted length
 * still fails the decoder for good, since nothing says where the next frame starts.
 * An incomplete frame left when the input ends is dropped.
 */
public class LengthFieldFrameDecoder extends ByteToMessageDecoder {
    private final int maxFrameLength;
    private final int lengthFieldOffset;
    private final int lengthFieldLength;
    private final int lengthFieldEndOffset;
    private final int lengthAdjustment;
    private final int initialBytesToStrip;
    private final ByteOrder byteOrder;
    private final boolean skipTooLongFrames;
    private final boolean failFast;
    /** While skipping a too-long frame: the bytes of it still to discard, and its length. */
    private long bytesToDiscard;
    private long tooLongFrameLength;

    /**
     * A decoder for frames that start with their length field, whose value counts the bytes
     * after it; frames are emitted whole (field included).
     *
     * @param maxFrameLength    the longest frame accepted, header included
     * @param lengthFieldLength 1, 2, 3, 4 or 8
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
     * @param lengthFieldLength   1, 2, 3, 4 or 8
     * @param lengthAdjustment    added to the field's value to get the number of bytes after
     *                            the field (e.g. {@code -lengthFieldLength} if the value counts
     *                            the field itself); may be negative
     * @param initialBytesToStrip how many leading bytes of each frame to drop before emitting
     *                            it (e.g. the header's length to emit only the payload), at least 0
     * @throws IllegalArgumentException if a parameter is out of range
     */
    public LengthFieldFrameDecoder(int maxFrameLength, int lengthFieldOffset, int lengthFieldLength,
                                   int lengthAdjustment, int initialBytesToStrip) {
        this(ByteOrder.BIG_ENDIAN, maxFrameLength, lengthFieldOffset, lengthFieldLength, lengthAdjustment,
                initialBytesToStrip, true, false);
    }

    /**
     * A decoder for the layout described on this class, in either byte order, that skips
     * too-long frames and goes on (Netty's behaviour).
     *
     * @param byteOrder           the byte order of the length field
     * @param maxFrameLength      the longest frame accepted, header included
     * @param lengthFieldOffset   where the length field starts in the frame, at least 0
     * @param lengthFieldLength   1, 2, 3, 4 or 8
     * @param lengthAdjustment    added to the field's value to get the number of bytes after the field
     * @param initialBytesToStrip how many leading bytes of each frame to drop before emitting it
     * @param failFast            true to raise the {@link TooLongFrameException} as soon as a
     *                            too-long frame's length is read, false once it has been skipped
     * @throws IllegalArgumentException if a parameter is out of range
     */
    public LengthFieldFrameDecoder(ByteOrder byteOrder, int maxFrameLength, int lengthFieldOffset,
                                   int lengthFieldLength, int lengthAdjustment, int initialBytesToStrip,
                                   boolean failFast) {
        this(byteOrder, maxFrameLength, lengthFieldOffset, lengthFieldLength, lengthAdjustment, initialBytesToStrip,
                failFast, true);
    }

    private LengthFieldFrameDecoder(ByteOrder byteOrder, int maxFrameLength, int lengthFieldOffset,
                                    int lengthFieldLength, int lengthAdjustment, int initialBytesToStrip,
                                    boolean failFast, boolean skipTooLongFrames) {
        this.byteOrder = Objects.requireNonNull(byteOrder, "byteOrder");
        this.failFast = failFast;
        this.skipTooLongFrames = skipTooLongFrames;
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
    protected boolean continuesAfter(Exception cause) {
        return skipTooLongFrames && cause instanceof TooLongFrameException;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, Buffer in, List<Object> out) {
        if (bytesToDiscard > 0) {
            discard(in);
            return;
        }
        if (in.readableBytes() < lengthFieldEndOffset) {
            return;
        }
        int start = in.readerIndex();
        long value = LengthFields.get(in, start + lengthFieldOffset, lengthFieldLength, byteOrder);
        long frameLength = frameLength(value);
        if (frameLength > maxFrameLength) {
            TooLongFrameException tooLong = new TooLongFrameException("frame of " + frameLength
                    + " bytes (length field " + value + ") exceeds maxFrameLength " + maxFrameLength, frameLength,
                    maxFrameLength);
            if (!skipTooLongFrames) {
                throw tooLong;
            }
            bytesToDiscard = frameLength;
            tooLongFrameLength = frameLength;
            discard(in);
            if (failFast) {
                throw tooLong;
            }
            return;
        }
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
            return frameLength;   // the caller reports it, or skips the frame
        }
        if (frameLength < initialBytesToStrip) {
            throw new CorruptedFrameException("frame of " + frameLength + " bytes (length field " + value
                    + ") is shorter than initialBytesToStrip " + initialBytesToStrip);
        }
        return frameLength;
    }

    /** Skips what has arrived of a too-long frame; once all of it is gone, reports it unless that was done first. */
    private void discard(Buffer in) {
        int skip = (int) Math.min(bytesToDiscard, in.readableBytes());
        in.skipBytes(skip);
        bytesToDiscard -= skip;
        if (bytesToDiscard == 0 && !failFast) {
            throw new TooLongFrameException("frame of " + tooLongFrameLength + " bytes exceeds maxFrameLength "
                    + maxFrameLength + "; it was skipped", tooLongFrameLength, maxFrameLength);
        }
    }
}
