package io.panamanetty.handler;

import io.panamanetty.channel.ChannelException;

import java.io.Serial;

/** What {@link ReadTimeoutHandler} fires through {@code exceptionCaught} before it closes a channel that read nothing for too long. */
public class ReadTimeoutException extends ChannelException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** @param message which channel, and how long it read nothing */
    public ReadTimeoutException(String message) {
        super(message);
    }
}
