package io.panamanetty.codec;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.ChannelHandlerContext;

import java.util.List;

/**
 * Splits a byte stream into frames ended by any of several delimiters (Netty's decoder of the
 * same name; {@link Delimiters} has the usual sets). Where more than one delimiter occurs,
 * the one ending the shortest frame wins (for {@code "\r\n"} and {@code "\n"}, a line ending
 * in {@code "\r\n"} loses the whole pair); at equal frames, the delimiter listed first. Each
 * frame is emitted as a buffer (a retained slice of the input, no copy), with or without its
 * delimiter. An empty frame gives an empty buffer.
 *
 * <p>A frame longer than {@code maxFrameLength} (delimiter not counted) is <em>skipped</em>:
 * its bytes are discarded as they arrive, up to and including the delimiter that ends it, and
 * decoding goes on with the next frame. A {@link TooLongFrameException} naming the length and
 * the limit is raised for it (see {@link ByteToMessageDecoder#continuesAfter}): with
 * {@code failFast}, as soon as more than {@code maxFrameLength} bytes have arrived without a
 * delimiter; without, once the delimiter ending it has arrived. So a peer that never sends a
 * delimiter cannot make the decoder buffer more than about {@code maxFrameLength} bytes.
 * A last frame without a delimiter, left when the input ends, is dropped.
 *
 * <p>Where one delimiter begins another ({@code "\r"} and {@code "\r\n"}), which of them
 * ends a frame can depend on where the stream was cut; pick sets where none is a prefix of
 * another, as the usual ones are.
 */
public class DelimiterBasedFrameDecoder extends ByteToMessageDecoder {
    private final byte[][] delimiters;
    private final int maxFrameLength;
    private final boolean stripDelimiter;
    private final boolean failFast;
    private final int longestDelimiter;
    /** While skipping a too-long frame: its length so far. */
    private boolean discarding;
    private long tooLongFrameLength;

    /**
     * A decoder emitting frames without their delimiter, failing fast.
     *
     * @param maxFrameLength the longest frame accepted, delimiter not counted; at least 1
     * @param delimiters     one or more non-empty delimiters
     */
    public DelimiterBasedFrameDecoder(int maxFrameLength, byte[]... delimiters) {
        this(maxFrameLength, true, true, delimiters);
    }

    /**
     * A decoder.
     *
     * @param maxFrameLength the longest frame accepted, delimiter not counted; at least 1
     * @param stripDelimiter true to emit frames without their delimiter
     * @param failFast       true to report a too-long frame as soon as it is too long, false
     *                       once its delimiter has arrived
     * @param delimiters     one or more non-empty delimiters (copied)
     * @throws IllegalArgumentException if {@code maxFrameLength} is below 1 or a delimiter is empty
     */
    public DelimiterBasedFrameDecoder(int maxFrameLength, boolean stripDelimiter, boolean failFast,
                                      byte[]... delimiters) {
        if (maxFrameLength < 1) {
            throw new IllegalArgumentException("maxFrameLength must be at least 1, not " + maxFrameLength);
        }
        if (delimiters.length == 0) {
            throw new IllegalArgumentException("at least one delimiter is needed");
        }
        this.delimiters = new byte[delimiters.length][];
        int longest = 0;
        for (int i = 0; i < delimiters.length; i++) {
            if (delimiters[i].length == 0) {
                throw new IllegalArgumentException("delimiter " + i + " is empty");
            }
            this.delimiters[i] = delimiters[i].clone();
            longest = Math.max(longest, delimiters[i].length);
        }
        this.longestDelimiter = longest;
        this.maxFrameLength = maxFrameLength;
        this.stripDelimiter = stripDelimiter;
        this.failFast = failFast;
    }

    /** {@return the longest frame accepted, delimiter not counted} */
    public int maxFrameLength() {
        return maxFrameLength;
    }

    @Override
    protected boolean continuesAfter(Exception cause) {
        return cause instanceof TooLongFrameException;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, Buffer in, List<Object> out) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        int frameEnd = -1;
        byte[] delimiter = null;
        for (byte[] candidate : delimiters) {
            int found = find(in, start, frameEnd < 0 ? end : Math.min(end, frameEnd + candidate.length), candidate);
            if (found >= 0 && (frameEnd < 0 || found < frameEnd)) {
                frameEnd = found;
                delimiter = candidate;
            }
        }
        if (delimiter == null) {
            noDelimiterYet(in, start, end);
            return;
        }
        int frameLength = frameEnd - start;
        in.readerIndex(frameEnd + delimiter.length);
        if (discarding) {
            discarding = false;
            long length = tooLongFrameLength + frameLength;
            tooLongFrameLength = 0;
            if (!failFast) {
                throw tooLong(length, "was skipped");
            }
            return;
        }
        if (frameLength > maxFrameLength) {
            throw tooLong(frameLength, "was skipped");
        }
        out.add(extractFrame(ctx, in, start, stripDelimiter ? frameLength : frameLength + delimiter.length));
    }

    /** No delimiter in the readable bytes: starts or goes on skipping if they are already too many. */
    private void noDelimiterYet(Buffer in, int start, int end) {
        // A delimiter may have begun in the last bytes: keep them for the next read.
        int skippable = Math.max(0, end - start - (longestDelimiter - 1));
        if (discarding) {
            tooLongFrameLength += skippable;
            in.skipBytes(skippable);
            return;
        }
        if (end - start > maxFrameLength + longestDelimiter - 1) {
            discarding = true;
            tooLongFrameLength = skippable;
            in.skipBytes(skippable);
            if (failFast) {
                throw tooLong(tooLongFrameLength, "is being skipped");
            }
        }
    }

    private TooLongFrameException tooLong(long length, String what) {
        return new TooLongFrameException("frame of " + (failFast && discarding ? "at least " : "") + length
                + " bytes, delimiter not counted, exceeds maxFrameLength " + maxFrameLength + "; it " + what,
                length, maxFrameLength);
    }

    /** {@return the first index in {@code [from, to)} where {@code delimiter} starts and fits wholly, or -1} */
    private static int find(Buffer in, int from, int to, byte[] delimiter) {
        int last = to - delimiter.length;
        byte first = delimiter[0];
        for (int i = from; i <= last; i++) {
            i = in.indexOf(i, last + 1, first);
            if (i < 0) {
                return -1;
            }
            if (matches(in, i, delimiter)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean matches(Buffer in, int index, byte[] delimiter) {
        for (int j = 1; j < delimiter.length; j++) {
            if (in.getByte(index + j) != delimiter[j]) {
                return false;
            }
        }
        return true;
    }
}
