package io.panamanetty.channel;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * An event loop with no thread and no I/O, for tests (Netty's {@code EmbeddedEventLoop}):
 * its tasks and timers run on its owner thread (the one that made it) when that thread
 * asks, through {@link #runPendingTasks()} or {@link #advanceTimeBy}, on a clock that
 * moves only when told to. Tasks from other threads (TLS delegated tasks, handlers on an
 * executor) queue until then.
 *
 * <p>{@link #inEventLoop()} is true on the owner thread only, so a handler called there
 * runs at once, and waiting there on a future that only this loop could complete throws
 * {@link BlockingOperationException}, as on a threaded loop. Not thread-safe but for
 * {@link #execute}, {@link #submit} and the {@code schedule} methods.
 *
 * <pre>{@code
 * ScheduledTask<?> tick = loop.scheduleAtFixedRate(ticks::incrementAndGet, 10, 10, TimeUnit.MILLISECONDS);
 * loop.advanceTimeBy(35, TimeUnit.MILLISECONDS);   // runs it at 10, 20 and 30 ms
 * }</pre>
 */
public final class EmbeddedEventLoop extends AbstractEventLoop {
    /** Rounds of tasks one {@link #runPendingTasks()} runs before it calls the tasks a loop that never ends. */
    private static final int MAX_ROUNDS = 100_000;

    private final Thread owner = Thread.currentThread();
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Runnable> flushAtEndOfTurn = new ArrayDeque<>();
    private final TerminationFuture terminationFuture = new TerminationFuture("the embedded event loop", this::inEventLoop);
    private volatile long nanoTime = System.nanoTime();
    private volatile boolean shuttingDown;
    private boolean running;

    /** A loop owned by the calling thread. */
    public EmbeddedEventLoop() {
    }

    /** Null: an embedded loop belongs to no group. */
    @Override
    public EventLoopGroup parent() {
        return null;
    }

    /** True on the thread that made this loop. */
    @Override
    public boolean inEventLoop() {
        return Thread.currentThread() == owner;
    }

    @Override
    public String name() {
        return "embedded";
    }

    /** Null: an embedded loop does no I/O. */
    @Override
    public IoHandlerFactory ioHandlerFactory() {
        return null;
    }

    /** Queues {@code task} for the next {@link #runPendingTasks()}, from any thread. */
    @Override
    public void execute(Runnable task) {
        if (terminationFuture.isDone()) {
            throw new RejectedExecutionException("the embedded event loop has terminated");
        }
        tasks.add(task);
    }

    /** The clock, which only {@link #advanceTimeBy} moves. */
    @Override
    public long nanoTime() {
        return nanoTime;
    }

    /**
     * Runs the queued tasks, the due timers and the end-of-turn flushes, again and again
     * until none is left (tasks those queue run too); on the owner thread. A periodic timer
     * runs once per period it is due for: one round each, rounds in which the timers move on
     * towards the clock's time, however many.
     *
     * @throws IllegalStateException off the owner thread, or if tasks keep queueing
     *         tasks (or timers of no delay) without end
     */
    public void runPendingTasks() {
        if (!inEventLoop()) {
            throw new IllegalStateException("run an embedded loop's tasks on the thread that made it, " + owner);
        }
        if (running) {
            return;   // a task asked for it: the running call goes on with what is queued
        }
        running = true;
        try {
            int roundsStuck = 0;
            for (Round round = runRound(); round != Round.IDLE; round = runRound()) {
                if (round == Round.RAN && ++roundsStuck >= MAX_ROUNDS) {
                    throw new IllegalStateException("tasks of the embedded loop kept queueing tasks for "
                            + MAX_ROUNDS + " rounds");
                }
            }
        } finally {
            running = false;
        }
    }

    /** What one round of {@link #runPendingTasks()} did. */
    private enum Round {
        /** Nothing: there is nothing left to run. */
        IDLE,
        /** Timers ran and the next deadline moved on: progress, no sign of a loop without end. */
        TIMERS_MOVED_ON,
        /** Something ran. */
        RAN
    }

    private Round runRound() {
        boolean ran = false;
        boolean timersMovedOn = false;
        Runnable task;
        while ((task = tasks.poll()) != null) {
            safeRun(task);
            ran = true;
        }
        if (timers.hasDue(nanoTime)) {
            long dueBefore = timers.nextDeadline();
            timers.runDue(nanoTime, EmbeddedEventLoop::safeRun);
            ran = true;
            timersMovedOn = timers.nextDeadline() - dueBefore > 0;
        }
        Runnable flush;
        while ((flush = flushAtEndOfTurn.poll()) != null) {
            safeRun(flush);
            ran = true;
        }
        return !ran ? Round.IDLE : timersMovedOn ? Round.TIMERS_MOVED_ON : Round.RAN;
    }

    /** Moves the clock on by {@code delay}, then {@link #runPendingTasks() runs} what is due. */
    public void advanceTimeBy(long delay, TimeUnit unit) {
        if (delay < 0) {
            throw new IllegalArgumentException("time does not go back: " + delay);
        }
        nanoTime += unit.toNanos(delay);
        runPendingTasks();
    }

    /** True if tasks or end-of-turn flushes wait; timers not yet due do not count. */
    public boolean hasPendingTasks() {
        return !tasks.isEmpty() || !flushAtEndOfTurn.isEmpty() || timers.hasDue(nanoTime);
    }

    /** The clock's time until the next timer is due, or -1 if none is scheduled. */
    public long nanosToNextTimer() {
        long next = timers.nextDeadline();
        return next == Long.MAX_VALUE ? -1 : Math.max(0, next - nanoTime);
    }

    void flushAtEndOfTurn(Runnable flush) {
        flushAtEndOfTurn.add(flush);
    }

    @Override
    public boolean isShuttingDown() {
        return shuttingDown;
    }

    @Override
    public boolean isTerminated() {
        return terminationFuture.isDone();
    }

    @Override
    public TerminationFuture terminationFuture() {
        return terminationFuture;
    }

    /**
     * Runs what is queued (on the owner thread), then terminates: later tasks are refused and
     * timers not yet due are cancelled. Off the owner thread it only marks the loop as
     * shutting down.
     */
    @Override
    public TerminationFuture shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
        shuttingDown = true;
        if (inEventLoop() && !terminationFuture.isDone()) {
            runPendingTasks();
            terminationFuture.terminated();
            timers.abandonAll();
        }
        return terminationFuture;
    }

    /** {@link #shutdownGracefully}: on the owner thread it terminates the loop; elsewhere nothing waits for that. */
    @Override
    public void close() {
        shutdownGracefully();
    }

    private static void safeRun(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            System.getLogger(EmbeddedEventLoop.class.getName()).log(System.Logger.Level.WARNING,
                    "a task on the embedded event loop threw; logged and ignored", e);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedEventLoop(" + owner.getName() + ")";
    }
}
