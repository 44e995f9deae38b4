package io.panamanetty.benchmarks.echo;

import java.io.IOException;

/** A server echoed something other than what was sent: a wrong, extra or missing byte. */
final class EchoMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    EchoMismatchException(String message) {
        super(message);
    }
}
