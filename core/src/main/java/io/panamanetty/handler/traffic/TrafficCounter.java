package io.panamanetty.handler.traffic;

import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.ScheduledTask;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The bytes a traffic-shaping handler has seen: read (as they reached the handler) and
 * written (as the handler passed them on toward the socket), cumulative and per check
 * interval. Every interval the current figures become the last interval's and start again
 * from 0, and the handler's {@code doAccounting} hook hears of it. Safe to read from any
 * thread; shared by every channel of a {@link GlobalTrafficShapingHandler}.
 */
public final class TrafficCounter {
    private final long checkIntervalNanos;
    private final AtomicLong cumulativeRead = new AtomicLong();
    private final AtomicLong cumulativeWritten = new AtomicLong();
    private final AtomicLong currentRead = new AtomicLong();
    private final AtomicLong currentWritten = new AtomicLong();
    private volatile long lastRead;
    private volatile long lastWritten;
    private volatile long lastIntervalNanos;
    private volatile long intervals;

    private volatile boolean running;
    // The interval timer; changed only on the loop that runs it.
    private volatile EventLoop timer;
    private ScheduledTask<?> tick;
    private long intervalStartNanos;
    private long nextTickNanos;
    private Consumer<TrafficCounter> onInterval;

    TrafficCounter(long checkIntervalNanos) {
        this.checkIntervalNanos = checkIntervalNanos;
    }

    /** Starts the interval timer on {@code loop}; each interval ends by calling {@code onInterval}. Any thread. */
    void start(EventLoop loop, Consumer<TrafficCounter> onIntervalEnd) {
        running = true;
        Runnable start = () -> {
            if (timer != null || !running) {
                return;
            }
            timer = loop;
            onInterval = onIntervalEnd;
            intervalStartNanos = loop.nanoTime();
            nextTickNanos = intervalStartNanos + checkIntervalNanos;
            schedule();
        };
        if (loop.inEventLoop()) {
            start.run();
        } else {
            loop.execute(start);
        }
    }

    /** Stops the interval timer (any thread); the figures stay as they are. */
    void stop() {
        running = false;
        EventLoop loop = timer;
        if (loop != null && loop.inEventLoop()) {
            cancelTick();
        } else if (loop != null) {
            try {
                loop.execute(this::cancelTick);
            } catch (RejectedExecutionException terminated) {
                // the loop has ended, and its timers with it
            }
        }
    }

    private void cancelTick() {
        if (tick != null) {
            tick.cancel();
            tick = null;
        }
        timer = null;
    }

    private void schedule() {
        tick = timer.schedule(this::endInterval, Math.max(0, nextTickNanos - timer.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** Ends the current interval; the next one is timed from the planned end, so intervals do not drift. */
    private void endInterval() {
        if (!running) {
            cancelTick();
            return;
        }
        long now = timer.nanoTime();
        lastRead = currentRead.getAndSet(0);
        lastWritten = currentWritten.getAndSet(0);
        lastIntervalNanos = now - intervalStartNanos;
        intervalStartNanos = now;
        intervals++;
        nextTickNanos += checkIntervalNanos;
        schedule();
        onInterval.accept(this);
    }

    void bytesRead(long bytes) {
        cumulativeRead.addAndGet(bytes);
        currentRead.addAndGet(bytes);
    }

    void bytesWritten(long bytes) {
        cumulativeWritten.addAndGet(bytes);
        currentWritten.addAndGet(bytes);
    }

    /** {@return the length of an interval, in milliseconds} */
    public long checkIntervalMillis() {
        return TimeUnit.NANOSECONDS.toMillis(checkIntervalNanos);
    }

    /** {@return the bytes read since the counter began} */
    public long cumulativeReadBytes() {
        return cumulativeRead.get();
    }

    /** {@return the bytes written since the counter began} */
    public long cumulativeWrittenBytes() {
        return cumulativeWritten.get();
    }

    /** {@return the bytes read so far in the current interval} */
    public long currentReadBytes() {
        return currentRead.get();
    }

    /** {@return the bytes written so far in the current interval} */
    public long currentWrittenBytes() {
        return currentWritten.get();
    }

    /** {@return the bytes read in the last complete interval} */
    public long lastReadBytes() {
        return lastRead;
    }

    /** {@return the bytes written in the last complete interval} */
    public long lastWrittenBytes() {
        return lastWritten;
    }

    /** {@return how long the last complete interval really lasted, in nanoseconds (the timer may run late)} */
    public long lastIntervalNanos() {
        return lastIntervalNanos;
    }

    /** {@return the read rate of the last complete interval, in bytes per second} */
    public long lastReadThroughput() {
        long nanos = lastIntervalNanos;
        return nanos <= 0 ? 0 : (long) (lastRead * 1e9 / nanos);
    }

    /** {@return the write rate of the last complete interval, in bytes per second} */
    public long lastWriteThroughput() {
        long nanos = lastIntervalNanos;
        return nanos <= 0 ? 0 : (long) (lastWritten * 1e9 / nanos);
    }

    /** {@return how many intervals have completed} */
    public long completedIntervals() {
        return intervals;
    }

    @Override
    public String toString() {
        return "TrafficCounter(read " + cumulativeReadBytes() + ", written " + cumulativeWrittenBytes()
                + ", last interval read " + lastRead + ", written " + lastWritten + ")";
    }
}
