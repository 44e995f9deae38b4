package io.panamanetty.handler.traffic;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-interval figures a shaping handler's counter reported, and the check that each
 * interval wholly inside a transfer carried about the limit's worth of bytes: counts per
 * counter window, not wall-clock durations.
 */
final class Windows {
    /** One interval: the bytes of the interval and the cumulative bytes at its end. */
    record Window(long bytes, long cumulative) {
    }

    private final List<Window> windows = new CopyOnWriteArrayList<>();

    /** Records the interval {@code counter} just ended, in the read or the written figures. */
    void record(TrafficCounter counter, boolean reads) {
        windows.add(reads ? new Window(counter.lastReadBytes(), counter.cumulativeReadBytes())
                : new Window(counter.lastWrittenBytes(), counter.cumulativeWrittenBytes()));
    }

    /**
     * Asserts that every interval that began after the first byte and ended before the last
     * carried {@code limit * interval} bytes, within {@code tolerance} (a fraction) and one
     * message of {@code slack} bytes; and that there were at least {@code minimum} such intervals.
     *
     * @return the bytes of those intervals, for the report
     */
    List<Long> assertNearLimit(long total, long limit, long intervalMillis, double tolerance, long slack,
                               int minimum) {
        long expected = limit * intervalMillis / 1000;
        List<Long> inside = windows.stream().filter(w -> w.cumulative() - w.bytes() > 0 && w.cumulative() < total)
                .map(Window::bytes).toList();
        assertTrue(inside.size() >= minimum, "at least " + minimum + " whole intervals inside the transfer: "
                + windows);
        for (long bytes : inside) {
            assertTrue(Math.abs(bytes - expected) <= expected * tolerance + slack,
                    "an interval carried " + bytes + " bytes, expected " + expected + " within "
                            + (int) (tolerance * 100) + "% and " + slack + " bytes; all intervals: " + inside);
        }
        return inside;
    }
}
