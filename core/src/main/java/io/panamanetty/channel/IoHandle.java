package io.panamanetty.channel;

/**
 * What an {@link IoHandler} drives: the I/O side of one channel. A transport's channels
 * implement it; how events reach them is between the channel and its handler.
 */
public interface IoHandle {

    /** Closes at once (the loop is shutting down): pending work fails, callbacks follow. */
    void closeNow();

    /**
     * Handling this handle's I/O threw {@code cause} (a bug in a callback, an
     * {@link Error}): the handle decides what that means; a connection closes. Never
     * throws back into the handler.
     */
    void ioFailed(Throwable cause);
}
