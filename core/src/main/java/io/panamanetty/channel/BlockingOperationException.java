package io.panamanetty.channel;

import java.io.Serial;

/**
 * Thrown when an event-loop thread waits for a future that only it could complete,
 * which would deadlock the loop forever.
 */
public class BlockingOperationException extends IllegalStateException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** @param message what was waited on, and from where */
    public BlockingOperationException(String message) {
        super(message);
    }
}
