package io.panamanetty.codec;

/**
 * The input cannot be a valid frame: a negative length, a length too small to cover the
 * frame's own header, a length that no buffer can hold, and the like. The message names the
 * offending value and the bound it breaks.
 */
public class CorruptedFrameException extends DecoderException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message naming the bad value. */
    public CorruptedFrameException(String message) {
        super(message);
    }
}
