package io.panamanetty.benchmarks.echo;

import java.io.IOException;

/** A server echoed something other than what was sent: a wrong, extra or missing byte. */
public final class EchoMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    /** An exception saying what was wrong with the echo. */
    public EchoMismatchException(String message) {
        super(message);
    }
}
