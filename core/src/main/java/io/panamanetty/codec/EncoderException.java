package io.panamanetty.codec;

/**
 * An encoder could not turn a message into bytes, e.g. a payload too long for the length
 * field meant to announce it. Encoders of this package fail the write's promise with it and
 * release the message.
 */
public class EncoderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message saying what went wrong. */
    public EncoderException(String message) {
        super(message);
    }

    /** An exception with a message and the failure that caused it. */
    public EncoderException(String message, Throwable cause) {
        super(message, cause);
    }
}
