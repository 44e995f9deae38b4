package io.panamanetty.buffer;

import java.io.Serial;

/**
 * Thrown when a {@link Buffer} is used against its reference count: accessed after its
 * memory was freed (reference count 0), retained after it was freed, or released more
 * times than it was retained. The message always gives the reference count observed.
 */
public class IllegalReferenceCountException extends IllegalStateException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * For any misuse, described by the caller.
     *
     * @param message what went wrong, including the reference count
     */
    public IllegalReferenceCountException(String message) {
        super(message);
    }

    /**
     * For an access to a buffer whose reference count is {@code refCnt}.
     *
     * @param refCnt the reference count observed (0 for a freed buffer)
     */
    public IllegalReferenceCountException(int refCnt) {
        super("refCnt: " + refCnt);
    }

    /**
     * For a retain ({@code increment > 0}) or release ({@code increment < 0}) that the
     * reference count {@code refCnt} does not allow.
     *
     * @param refCnt    the reference count observed
     * @param increment the change that was refused, negative for a release
     */
    public IllegalReferenceCountException(int refCnt, int increment) {
        super("refCnt: " + refCnt + ", " + (increment > 0
                ? "increment: " + increment
                : "decrement: " + -(long) increment));
    }
}
