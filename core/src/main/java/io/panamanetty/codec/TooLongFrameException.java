package io.panamanetty.codec;

/**
 * A frame is longer than its decoder allows. The message names both the length seen (or
 * the least length the frame will have, when the decoder gave up before its end) and the
 * limit; {@link #length()} and {@link #maxLength()} give them as numbers.
 */
public class TooLongFrameException extends DecoderException {
    private static final long serialVersionUID = 1L;

    private final long length;
    private final long maxLength;

    /**
     * An exception for a frame of {@code length} bytes (or more) over a limit of {@code maxLength}.
     *
     * @param message   what was too long, naming the length and the limit
     * @param length    the frame's length, or a lower bound of it
     * @param maxLength the limit it exceeds
     */
    public TooLongFrameException(String message, long length, long maxLength) {
        super(message);
        this.length = length;
        this.maxLength = maxLength;
    }

    /** {@return the length of the frame, or the least length it would have had} */
    public long length() {
        return length;
    }

    /** {@return the limit the frame exceeds} */
    public long maxLength() {
        return maxLength;
    }
}
