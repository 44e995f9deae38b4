package io.panamanetty.handler;

import io.panamanetty.channel.ChannelException;

import java.io.Serial;

/**
 * How {@link WriteTimeoutHandler} fails a write that did not complete in time (its future's
 * cause), also fired through {@code exceptionCaught} before the channel is closed.
 */
public class WriteTimeoutException extends ChannelException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** @param message which channel, and how long the write waited */
    public WriteTimeoutException(String message) {
        super(message);
    }
}
