package io.panamanetty.channel;

import java.io.Serial;

/**
 * An unchecked wrapper for a checked failure rethrown by {@link ChannelFuture#sync()};
 * its message is the cause's, and {@link #getCause()} is the original exception.
 */
public class ChannelException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** @param cause the checked failure */
    public ChannelException(Throwable cause) {
        super(cause.getMessage() != null ? cause.getMessage() : cause.toString(), cause);
    }

    /** @param message what went wrong */
    public ChannelException(String message) {
        super(message);
    }
}
