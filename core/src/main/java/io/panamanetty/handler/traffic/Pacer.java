package io.panamanetty.handler.traffic;

/**
 * Spaces bytes out to a rate: each batch of bytes books the time the rate needs for it,
 * after the batches booked before, on a virtual timeline that runs behind the clock by at
 * most the credit: time left unused (the writer was late, the loop stalled) is made up for
 * up to that much, so a short stall costs no throughput and no pause earns a long burst.
 * Thread-safe: the pacer of a {@link GlobalTrafficShapingHandler} is booked by every loop.
 */
final class Pacer {
    private final long creditNanos;
    private volatile long bytesPerSecond;
    private boolean booked;
    private long paidUntilNanos;

    Pacer(long bytesPerSecond, long creditNanos) {
        this.creditNanos = creditNanos;
        setLimit(bytesPerSecond);
    }

    /** Sets the rate; 0 (or less) for none. */
    void setLimit(long newBytesPerSecond) {
        bytesPerSecond = Math.max(0, newBytesPerSecond);
    }

    long limit() {
        return bytesPerSecond;
    }

    /**
     * Books {@code bytes} arriving at {@code nowNanos}.
     *
     * @return the time by which the rate has paid for them (and for every batch booked earlier);
     *         {@code nowNanos} when there is no limit
     */
    synchronized long book(long bytes, long nowNanos) {
        long limit = bytesPerSecond;
        if (limit <= 0 || bytes <= 0) {
            return nowNanos;
        }
        long earliest = booked ? nowNanos - creditNanos : nowNanos;   // the first booking has no credit
        long start = !booked || paidUntilNanos - earliest < 0 ? earliest : paidUntilNanos;
        booked = true;
        paidUntilNanos = start + (long) (bytes * 1e9 / limit);
        return paidUntilNanos;
    }
}
