package io.panamanetty.bindings;

import java.io.IOException;
import java.io.Serial;

/**
 * A libc call failed. The message names the call, the arguments worth naming, the
 * errno symbol and its text:
 * {@code bind 0.0.0.0:8080 failed: EADDRINUSE (Address already in use)}.
 */
public class NativeIoException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    /**
     * @param call the C function that failed
     * @param detail its arguments worth naming, or null
     * @param errno the errno it set
     */
    public NativeIoException(String call, String detail, int errno) {
        super(call + (detail == null ? "" : " " + detail) + " failed: "
                + Errno.symbol(errno) + " (" + Errno.strerror(errno) + ")");
        this.call = call;
        this.errno = errno;
    }

    /** The C function that failed, e.g. {@code "connect"}. */
    public String call() {
        return call;
    }

    /** The errno the call set, e.g. {@link Errno#ECONNREFUSED}. */
    public int errno() {
        return errno;
    }
}
