package io.panamanetty.codec;

/**
 * A decoder could not turn its input into messages: the input is malformed, breaks a
 * limit, or the decoding code itself failed. Decoders of this package deliver it through
 * {@code exceptionCaught} and discard all further input (see {@link ByteToMessageDecoder}).
 */
public class DecoderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message saying what went wrong. */
    public DecoderException(String message) {
        super(message);
    }

    /** An exception with a message and the failure that caused it. */
    public DecoderException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An exception wrapping {@code cause}, e.g. an unexpected failure of a {@code decode} method. */
    public DecoderException(Throwable cause) {
        super(cause);
    }
}
