package io.panamanetty.codec;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.ChannelHandlerContext;

import java.util.List;

/**
 * Splits a byte stream into lines ended by {@code "\n"} or {@code "\r\n"}, emitting each as
 * a buffer (a retained slice of the input, no copy), without its end of line unless asked
 * to keep it. An empty line gives an empty buffer; a lone {@code '\r'} is an ordinary byte.
 *
 * <p>A line longer than {@code maxLength} bytes (end of line not counted) raises a
 * {@link TooLongFrameException} as soon as that many bytes have arrived without an end of
 * line, so a peer that never sends one cannot make the decoder buffer more; see
 * {@link ByteToMessageDecoder} for what follows. A last line without an end of line, left
 * when the input ends, is dropped.
 *
 * <p>Each byte is scanned once, however the line is fragmented.
 */
public class LineFrameDecoder extends ByteToMessageDecoder {
    private final int maxLength;
    private final boolean stripDelimiter;
    /** How many bytes from the reader index on are known to hold no {@code '\n'}. */
    private int scanned;

    /**
     * A decoder of lines of up to {@code maxLength} bytes, emitted without their end of line.
     *
     * @param maxLength the longest line accepted, end of line not counted; at least 1
     */
    public LineFrameDecoder(int maxLength) {
        this(maxLength, true);
    }

    /**
     * A decoder of lines of up to {@code maxLength} bytes.
     *
     * @param maxLength      the longest line accepted, end of line not counted; at least 1
     * @param stripDelimiter true to emit lines without their {@code "\n"} or {@code "\r\n"}
     * @throws IllegalArgumentException if {@code maxLength} is below 1
     */
    public LineFrameDecoder(int maxLength, boolean stripDelimiter) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be at least 1, not " + maxLength);
        }
        this.maxLength = maxLength;
        this.stripDelimiter = stripDelimiter;
    }

    /** {@return the longest line accepted, end of line not counted} */
    public int maxLength() {
        return maxLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, Buffer in, List<Object> out) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        int newline = in.indexOf(start + scanned, end, (byte) '\n');
        if (newline < 0) {
            scanned = end - start;
            // A trailing '\r' may yet turn out to be part of the end of line.
            long atLeast = scanned - (in.getByte(end - 1) == '\r' ? 1 : 0);
            if (atLeast > maxLength) {
                throw new TooLongFrameException("line of at least " + atLeast + " bytes, with no end of line yet,"
                        + " exceeds maxLength " + maxLength, atLeast, maxLength);
            }
            return;
        }
        int delimiterLength = newline > start && in.getByte(newline - 1) == '\r' ? 2 : 1;
        int lineLength = newline + 1 - delimiterLength - start;
        if (lineLength > maxLength) {
            throw new TooLongFrameException("line of " + lineLength + " bytes exceeds maxLength " + maxLength,
                    lineLength, maxLength);
        }
        scanned = 0;
        int frameLength = stripDelimiter ? lineLength : lineLength + delimiterLength;
        out.add(extractFrame(ctx, in, start, frameLength));
        in.readerIndex(newline + 1);
    }
}
