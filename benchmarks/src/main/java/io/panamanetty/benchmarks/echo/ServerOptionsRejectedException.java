package io.panamanetty.benchmarks.echo;

import java.io.IOException;
import java.util.List;

/**
 * A server program exited at once with the status of bad options (2): the build on the
 * class path does not take what the harness asked of it (say, an {@code echo-server} without
 * {@code --unix}). Its message is one line: the server, its arguments and the program's own
 * complaint.
 */
final class ServerOptionsRejectedException extends IOException {
    private static final long serialVersionUID = 1L;

    ServerOptionsRejectedException(String label, List<String> arguments, String complaint) {
        super(label + ": the program rejected its options '" + String.join(" ", arguments) + "' (exit status 2): "
                + complaint.replace('\n', ' '));
    }
}
