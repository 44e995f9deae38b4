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
    /** One interval: its bytes, the cumulative bytes at its end, and how long it really lasted. */
    record Window(long bytes, long cumulative, long nanos) {
    }

    private final List<Window> windows = new CopyOnWriteArrayList<>();

    /** Records the interval {@code counter} just ended, in the read or the written figures. */
    void record(TrafficCounter counter, boolean reads) {
        windows.add(reads ? new Window(counter.lastReadBytes(), counter.cumulativeReadBytes(), counter.lastIntervalNanos())
                : new Window(counter.lastWrittenBytes(), counter.cumulativeWrittenBytes(), counter.lastIntervalNanos()));
    }

    /**
     * Asserts that every interval that began after the first byte and ended before the last
     * carried {@code limit} bytes a second over the time it really lasted (a loop that runs its
     * timer late makes that interval longer and the next one shorter), within {@code tolerance}
     * (a fraction) and one message of {@code slack} bytes; and that there were at least
     * {@code minimum} such intervals. ({@code intervalMillis}, the planned length, is only reported.)
     *
     * @return the bytes of those intervals, for the report
     */
    List<Long> assertNearLimit(long total, long limit, long intervalMillis, double tolerance, long slack,
                               int minimum) {
        List<Window> inside = windows.stream().filter(w -> w.cumulative() - w.bytes() > 0 && w.cumulative() < total)
                .toList();
        assertTrue(inside.size() >= minimum, "at least " + minimum + " whole intervals inside the transfer: "
                + windows);
        for (Window window : inside) {
            long expected = limit * window.nanos() / 1_000_000_000L;
            assertTrue(Math.abs(window.bytes() - expected) <= expected * tolerance + slack,
                    "an interval of " + window.nanos() / 1_000_000 + " ms (planned " + intervalMillis + ") carried "
                            + window.bytes() + " bytes, expected " + expected + " within " + (int) (tolerance * 100)
                            + "% and " + slack + " bytes; all intervals: " + inside);
        }
        return inside.stream().map(Window::bytes).toList();
    }
}
