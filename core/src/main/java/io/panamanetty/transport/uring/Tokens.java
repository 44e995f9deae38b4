package io.panamanetty.transport.uring;

/**
 * The {@code user_data} of the handler's own operations. They are negative: the
 * non-negative values are left to channels' operations.
 */
final class Tokens {
    /** The eventfd read that wakes the loop. */
    static final long WAKEUP = -1;
    /** The timeout that ends a poll. */
    static final long TIMEOUT = -2;
    /** An update of that timeout (its CQE says nothing we need). */
    static final long TIMEOUT_UPDATE = -3;
    /** The cancellation of everything at close. */
    static final long CANCEL_ALL = -4;
    /** A cancellation of every request on one registration's fd (its CQE says how many). */
    static final long CANCEL_FD = -5;

    private Tokens() {
    }
}
