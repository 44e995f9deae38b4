package io.panamanetty.testing;

import io.panamanetty.channel.IoHandle;
import io.panamanetty.channel.IoHandler;
import io.panamanetty.channel.IoRegistration;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A transport with no channels at all, for tests of the loop itself: its loops wait for
 * wake-ups and timers only. Subclasses may make {@link #poll} fail.
 */
public class IdleIoHandler implements IoHandler {
    private final Semaphore wakeups = new Semaphore(0);
    private volatile boolean closed;

    @Override
    public IoRegistration register(IoHandle handle) {
        throw new IllegalArgumentException("no channels here");
    }

    @Override
    public boolean poll(long timeoutNanos) throws IOException {
        try {
            if (timeoutNanos < 0) {
                wakeups.acquire();
            } else {
                wakeups.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            throw new IOException("interrupted", e);
        }
        wakeups.drainPermits();
        return false;
    }

    @Override
    public void wakeup() {
        wakeups.release();
    }

    @Override
    public void closeAll() {
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Whether the loop has closed this handler. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "an idle handler";
    }
}
