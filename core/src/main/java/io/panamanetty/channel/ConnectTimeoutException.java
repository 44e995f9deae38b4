package io.panamanetty.channel;

import java.io.Serial;
import java.net.ConnectException;

/** A connect did not complete within {@link ChannelOption#CONNECT_TIMEOUT_MILLIS}. */
public class ConnectTimeoutException extends ConnectException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** @param message names the target and the timeout */
    public ConnectTimeoutException(String message) {
        super(message);
    }
}
