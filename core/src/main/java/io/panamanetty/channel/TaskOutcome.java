package io.panamanetty.channel;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The outcome of one task of an {@link EventLoop} (submitted or scheduled): pending,
 * running, then a value, a failure or a cancellation, set once. Waiting for it on the
 * loop's own thread while it is pending would deadlock, so it throws
 * {@link BlockingOperationException} there, as a channel future does.
 */
final class TaskOutcome<V> {
    private static final int PENDING = 0;
    private static final int RUNNING = 1;
    private static final int SUCCEEDED = 2;
    private static final int FAILED = 3;
    private static final int CANCELLED = 4;

    private final EventLoop loop;
    private final Object task;
    private int state = PENDING;
    private V value;
    private Throwable failure;

    /** The outcome of {@code task} (named in messages), run by {@code loop}. */
    TaskOutcome(EventLoop loop, Object task) {
        this.loop = loop;
        this.task = task;
    }

    /** Marks a one-shot task as running, after which it can no longer be cancelled; false if it is done. */
    synchronized boolean start() {
        if (state != PENDING) {
            return false;
        }
        state = RUNNING;
        return true;
    }

    /** Sets the value; false if the outcome was set already. */
    synchronized boolean succeed(V result) {
        if (state >= SUCCEEDED) {
            return false;
        }
        value = result;
        state = SUCCEEDED;
        notifyAll();
        return true;
    }

    /** Sets the failure; false if the outcome was set already. */
    synchronized boolean fail(Throwable cause) {
        if (state >= SUCCEEDED) {
            return false;
        }
        failure = cause;
        state = FAILED;
        notifyAll();
        return true;
    }

    /** Cancels if still pending (a running one-shot task cannot be); true if this call did. */
    synchronized boolean cancel() {
        if (state != PENDING) {
            return false;
        }
        state = CANCELLED;
        notifyAll();
        return true;
    }

    synchronized boolean isDone() {
        return state >= SUCCEEDED;
    }

    synchronized boolean isCancelled() {
        return state == CANCELLED;
    }

    /** Waits for the outcome and reports it as {@link java.util.concurrent.Future#get()} does. */
    V get() throws InterruptedException, ExecutionException {
        synchronized (this) {
            if (state < SUCCEEDED) {
                checkNotOwnLoop();
                while (state < SUCCEEDED) {
                    wait();
                }
            }
            return report();
        }
    }

    /** As {@link #get()}, giving up after {@code timeout}. */
    V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        synchronized (this) {
            if (state < SUCCEEDED) {
                checkNotOwnLoop();
                long deadline = System.nanoTime() + unit.toNanos(timeout);
                long left;
                while (state < SUCCEEDED && (left = deadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
                if (state < SUCCEEDED) {
                    throw new TimeoutException(task + " did not finish within " + timeout + " " + unit);
                }
            }
            return report();
        }
    }

    private void checkNotOwnLoop() {
        if (loop.inEventLoop()) {
            throw new BlockingOperationException("waiting for " + task + " on its own event loop " + loop.name()
                    + " would deadlock");
        }
    }

    private V report() throws ExecutionException {
        return switch (state) {
            case SUCCEEDED -> value;
            case FAILED -> throw new ExecutionException(failure);
            default -> throw new CancellationException(task + " was cancelled");
        };
    }
}
