package io.panamanetty.channel;

import io.panamanetty.buffer.PooledBufferAllocator;
import io.panamanetty.channel.internal.LoopThread;
import io.panamanetty.channel.internal.SafeLog;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * An {@link EventLoop} of a group: one platform thread running an {@link IoHandler}
 * (epoll by default), a task queue and timers, for the channels registered with it.
 *
 * <p>A turn of the loop: wait for I/O (no longer than the next timer, not at all if
 * tasks are queued), dispatch the ready channels, run due timers, run queued tasks,
 * then flush every channel written to during the turn. Waking the loop from another
 * thread costs one {@link IoHandler#wakeup()} (an eventfd write for epoll), and only when
 * the loop is (about to be) asleep.
 */
final class SingleThreadEventLoop extends AbstractEventLoop {
    private static final int RUNNING = 0;
    private static final int SHUTTING_DOWN = 1;
    private static final int TERMINATED = 2;
    private static final int MAX_TASKS_PER_TURN = 1024;
    private static final VarHandle WAKEUP_NEEDED;
    /**
     * Loaded with this class, not when first needed: loading a class may need a free
     * descriptor, and the paths using these run exactly when descriptors have run out.
     */
    private static final Class<?>[] PRELOADED = {SafeLog.class, ScheduledTask.class, TaskOutcome.class};

    static {
        SafeLog.preloadTimeZone();
        try {
            WAKEUP_NEEDED = MethodHandles.lookup().findVarHandle(SingleThreadEventLoop.class, "wakeupNeeded",
                    boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EventLoopGroup group;
    private final Thread thread;
    private final IoHandlerFactory ioHandlerFactory;
    /** Made by the loop's thread as it starts; null before (and if that failed). */
    private volatile IoHandler io;
    /** Done once {@link #io} is made, or failed with the reason it could not be. */
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Runnable> flushAtEndOfTurn = new ArrayDeque<>();
    private final TerminationFuture terminationFuture;
    /** The recycled packets of this loop's datagram channels; made on first use, on the loop's thread. */
    private DatagramPacketPool datagramPackets;

    @SuppressWarnings("unused")   // accessed through WAKEUP_NEEDED
    private volatile boolean wakeupNeeded;
    private volatile int state = RUNNING;
    private volatile long quietPeriodNanos;
    private volatile long shutdownDeadlineNanos;
    private long lastActivityNanos;
    private boolean channelsClosedForShutdown;

    /**
     * A loop of {@code group} whose thread {@code threads} makes (not started yet) to run the
     * loop's body.
     *
     * @throws IllegalStateException if {@code threads} made no thread, or a started one
     */
    SingleThreadEventLoop(EventLoopGroup group, BiFunction<EventLoop, Runnable, Thread> threads,
            IoHandlerFactory ioHandlerFactory) {
        this.group = group;
        this.ioHandlerFactory = ioHandlerFactory;
        Thread made = threads.apply(this, this::run);
        if (made == null || made.getState() != Thread.State.NEW) {
            throw new IllegalStateException("the thread factory of " + group + " made "
                    + (made == null ? "no thread" : "a thread already started: " + made));
        }
        this.thread = made;
        this.terminationFuture = new TerminationFuture("event loop " + made.getName(), this::inEventLoop);
    }

    /** The default threads of a group: {@link LoopThread}s named {@code threadName}, daemons or not. */
    static BiFunction<EventLoop, Runnable, Thread> loopThread(String threadName, boolean daemon) {
        return (loop, body) -> {
            LoopThread thread = new LoopThread(loop, threadName, body);
            thread.setDaemon(daemon);
            return thread;
        };
    }

    /**
     * Waits until this loop's thread has ended (not only completed its termination future),
     * up to {@code deadlineNanos} on {@link System#nanoTime()}; returns whether it was interrupted.
     */
    boolean joinThread(long deadlineNanos) {
        boolean interrupted = false;
        while (thread.isAlive() && System.nanoTime() - deadlineNanos < 0) {
            try {
                thread.join(Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        return interrupted;
    }

    /** This loop's thread could not be started: it counts as terminated at once. */
    void neverStarted() {
        state = TERMINATED;
        started.completeExceptionally(new IllegalStateException(name() + " was never started"));
        terminationFuture.terminated();
    }

    /** Starts the thread; the returned future is done once its I/O handler is made, or failed with why not. */
    CompletableFuture<Void> start() {
        thread.start();
        return started;
    }

    /** This loop's recycled datagram packets; on the loop's thread. */
    DatagramPacketPool datagramPackets() {
        DatagramPacketPool pool = datagramPackets;
        if (pool == null) {
            pool = new DatagramPacketPool(thread);
            datagramPackets = pool;
        }
        return pool;
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
        return ioHandlerFactory;
    }

    @Override
    public EventLoopGroup parent() {
        return group;
    }

    @Override
    public boolean inEventLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    public String name() {
        return thread.getName();
    }

    @Override
    public void execute(Runnable task) {
        if (state == TERMINATED) {
            throw new RejectedExecutionException(name() + " has terminated");
        }
        tasks.add(task);
        if (state == TERMINATED && tasks.remove(task)) {
            // terminated between the check and the add: nobody would ever run it
            throw new RejectedExecutionException(name() + " has terminated");
        }
        if (!inEventLoop() && WAKEUP_NEEDED.compareAndSet(this, true, false)) {
            wakeup();
        }
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    /** The I/O handler (null until the thread made it); on the loop's thread. */
    IoHandler ioHandler() {
        return io;
    }

    /** Runs {@code flush} when the current turn ends; on the loop's thread. */
    void flushAtEndOfTurn(Runnable flush) {
        flushAtEndOfTurn.add(flush);
    }

    private void wakeup() {
        IoHandler handler = io;
        if (handler != null) {   // else not started: the first turn sees the tasks anyway
            handler.wakeup();
        }
    }

    @Override
    public boolean isShuttingDown() {
        return state >= SHUTTING_DOWN;
    }

    @Override
    public boolean isTerminated() {
        return state == TERMINATED;
    }

    @Override
    public TerminationFuture terminationFuture() {
        return terminationFuture;
    }

    @Override
    public TerminationFuture shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
        if (state == RUNNING) {
            quietPeriodNanos = unit.toNanos(quietPeriod);
            shutdownDeadlineNanos = System.nanoTime() + unit.toNanos(Math.max(timeout, quietPeriod));
            state = SHUTTING_DOWN;
            if (!inEventLoop()) {
                wakeup();
            }
        }
        return terminationFuture;
    }

    private void run() {
        try {
            io = java.util.Objects.requireNonNull(ioHandlerFactory.newHandler(), () -> ioHandlerFactory + " made no handler");
        } catch (Throwable e) {   // whatever it threw (even undeclared checked exceptions), the group must hear of it
            state = TERMINATED;
            started.completeExceptionally(e);
            drainTasksAfterTermination();
            timers.abandonAll();
            terminationFuture.terminated();
            return;
        }
        started.complete(null);
        try {
            lastActivityNanos = System.nanoTime();
            while (true) {
                try {
                    if (turn()) {
                        break;
                    }
                } catch (Throwable t) {
                    // Something outside any one channel failed (the multiplexer, or an Error such
                    // as running out of descriptors while loading a class): report it, pause so
                    // that a persistent failure does not spin, and go on serving.
                    SafeLog.error(SingleThreadEventLoop.class, () -> "event loop " + name() + " failed a turn; retrying", t);
                    if (state != RUNNING && System.nanoTime() - shutdownDeadlineNanos >= 0) {
                        break;   // a multiplexer failing every turn must not keep a shutdown from ending
                    }
                    pauseAfterFailure();
                }
            }
        } finally {
            state = TERMINATED;
            drainTasksAfterTermination();
            closeAllChannels();   // registered by the last tasks
            try {
                io.close();
            } catch (Throwable t) {
                SafeLog.warning(SingleThreadEventLoop.class, () -> "closing the I/O handler of " + name() + " failed", t);
            }
            try {
                // This thread is done with buffers: give its pooled-buffer caches back.
                PooledBufferAllocator.releaseThreadCaches();
            } catch (Throwable ignored) {
                // Never keep termination from completing; the caches' cleaner gets them back later.
            }
            timers.abandonAll();
            terminationFuture.terminated();
        }
    }

    /** One turn of the loop; true when the loop should end. */
    private boolean turn() throws IOException {
        io.poll(pollTimeoutNanos());
        WAKEUP_NEEDED.setOpaque(this, false);
        runDueTimers();
        runTasks();
        flushWrittenChannels();
        return state != RUNNING && confirmShutdown();
    }

    private void pauseAfterFailure() {
        try {
            Thread.sleep(state == RUNNING ? 1_000 : 10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long pollTimeoutNanos() {
        if (!tasks.isEmpty() || !flushAtEndOfTurn.isEmpty()) {
            return 0;
        }
        WAKEUP_NEEDED.setVolatile(this, true);
        if (!tasks.isEmpty()) {   // a task raced in before the flag was seen
            return 0;
        }
        long limit = state == RUNNING ? Long.MAX_VALUE : TimeUnit.MILLISECONDS.toNanos(100);
        long next = timers.nextDeadline();
        if (next != Long.MAX_VALUE) {
            limit = Math.min(limit, Math.max(0, next - System.nanoTime()));
        }
        return limit == Long.MAX_VALUE ? -1 : limit;
    }

    private void runDueTimers() {
        if (!timers.isEmpty()) {   // most turns have none: spare them the clock read
            timers.runDue(System.nanoTime(), SingleThreadEventLoop::safeRun);
        }
    }

    private void runTasks() {
        for (int i = 0; i < MAX_TASKS_PER_TURN; i++) {
            Runnable task = tasks.poll();
            if (task == null) {
                return;
            }
            lastActivityNanos = System.nanoTime();
            safeRun(task);
        }
    }

    private void flushWrittenChannels() {
        Runnable flush;
        while ((flush = flushAtEndOfTurn.poll()) != null) {
            safeRun(flush);   // a channel's flush handles its own failures; this is the last net
        }
    }

    private static void safeRun(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            SafeLog.warning(SingleThreadEventLoop.class, () -> "a task on an event loop threw; logged and ignored", t);
        }
    }

    private boolean confirmShutdown() {
        if (!channelsClosedForShutdown) {
            channelsClosedForShutdown = true;
            closeAllChannels();
            lastActivityNanos = System.nanoTime();
            return false;
        }
        closeAllChannels();   // channels registered during the quiet period close too
        long now = System.nanoTime();
        if (now - shutdownDeadlineNanos >= 0) {
            return true;
        }
        return tasks.isEmpty() && flushAtEndOfTurn.isEmpty() && now - lastActivityNanos >= quietPeriodNanos
                && !io.hasOperationsInFlight();
    }

    private void closeAllChannels() {
        try {
            io.closeAll();
        } catch (Throwable t) {
            SafeLog.warning(SingleThreadEventLoop.class, () -> "closing the channels of " + name() + " at shutdown failed", t);
        }
    }

    private void drainTasksAfterTermination() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            safeRun(task);
        }
    }

    @Override
    public String toString() {
        return "EventLoop(" + name() + ")";
    }
}
