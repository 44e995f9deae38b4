package io.panamanetty.channel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.IntFunction;

/**
 * A named group of {@link EventLoop}s, each one platform thread named
 * {@code <name>-<n>} (or made by the {@link ThreadFactory} given); channels are assigned
 * to them round-robin ({@link #next()}).
 *
 * <pre>{@code
 * try (var workers = new EventLoopGroup(2, "Worker")) { ... }   // close() shuts down and waits
 *
 * EventLoopGroup group = new EventLoopGroup(4, "Worker", true);   // daemon threads
 * group.scheduleAtFixedRate(this::report, 1, 1, TimeUnit.SECONDS);  // on group.next()
 * group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
 * }</pre>
 * As a {@link ScheduledExecutorService} (Netty's {@code EventExecutorGroup}) it hands each
 * task to {@link #next()}; iterating it gives its loops.
 * Shutting a group down closes its channels. The loops' transport is the
 * {@link IoHandlerFactory} given, or else the default one (epoll, found with
 * {@link ServiceLoader}).
 */
public final class EventLoopGroup implements ScheduledExecutorService, Iterable<EventLoop> {
    /** Default quiet period of {@link #shutdownGracefully()}, in milliseconds. */
    public static final long DEFAULT_QUIET_PERIOD_MILLIS = 100;
    /** Default timeout of {@link #shutdownGracefully()}, in milliseconds. */
    public static final long DEFAULT_SHUTDOWN_TIMEOUT_MILLIS = 5_000;

    private final String name;
    private final IoHandlerFactory ioHandlerFactory;
    private final SingleThreadEventLoop[] loops;
    private final AtomicInteger nextIndex = new AtomicInteger();
    private final TerminationFuture terminationFuture;

    /**
     * Starts {@code threads} event loops of the default transport (epoll), on threads named
     * {@code <name>-<n>} that are daemons if the calling thread is one.
     *
     * @param threads the number of loops (threads), at least 1
     * @param name the prefix of the threads' names
     * @throws UncheckedIOException if the kernel refuses the loops' multiplexers (epoll
     *         instance, eventfd)
     * @throws IllegalStateException if no transport is on the class or module path
     */
    public EventLoopGroup(int threads, String name) {
        this(threads, name, defaultFactory());
    }

    /**
     * As {@link #EventLoopGroup(int, String)}, on daemon threads (which do not keep the JVM
     * alive) or not, as {@code daemon} says.
     */
    public EventLoopGroup(int threads, String name, boolean daemon) {
        this(threads, name, threadsNamed(name, daemon), defaultFactory());
    }

    /**
     * Starts {@code threads} event loops whose I/O handlers {@code ioHandlerFactory} makes,
     * each on its loop's thread; returns once all are made.
     *
     * @throws UncheckedIOException if a handler cannot be made for an {@link IOException} (the
     *         loops already started are shut down and have ended when this throws)
     * @throws IllegalStateException if a handler cannot be made for another reason, or no
     *         thread can be started
     */
    public EventLoopGroup(int threads, String name, IoHandlerFactory ioHandlerFactory) {
        this(threads, name, threadsNamed(name, Thread.currentThread().isDaemon()), ioHandlerFactory);
    }

    /**
     * Starts {@code threads} event loops of the default transport on threads that
     * {@code threadFactory} makes (not started; named and made daemons as it likes), as
     * {@code new NioEventLoopGroup(n, threadFactory)} does in Netty. Such threads are plain
     * {@link Thread}s: the per-callback buffer bookkeeping that a default loop thread
     * carries in a field is then looked up in a {@link ThreadLocal}.
     */
    public EventLoopGroup(int threads, ThreadFactory threadFactory) {
        this(threads, "EventLoopGroup", threadFactory, defaultFactory());
    }

    /**
     * The general form: {@code threads} loops named {@code name} (in messages), on threads
     * that {@code threadFactory} makes, with I/O handlers that {@code ioHandlerFactory} makes.
     *
     * @throws IllegalStateException if the thread factory returns null or a started thread
     * @see #EventLoopGroup(int, String, IoHandlerFactory)
     */
    public EventLoopGroup(int threads, String name, ThreadFactory threadFactory, IoHandlerFactory ioHandlerFactory) {
        this(threads, name, madeBy(Objects.requireNonNull(threadFactory, "threadFactory")), ioHandlerFactory);
    }

    private EventLoopGroup(int threads, String name, IntFunction<BiFunction<EventLoop, Runnable, Thread>> threadSource,
            IoHandlerFactory ioHandlerFactory) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        Objects.requireNonNull(ioHandlerFactory, "ioHandlerFactory");
        this.name = Objects.requireNonNull(name, "name");
        this.ioHandlerFactory = ioHandlerFactory;
        this.loops = new SingleThreadEventLoop[threads];
        this.terminationFuture = new TerminationFuture("event loop group " + name, this::inOwnLoop);
        for (int i = 0; i < threads; i++) {
            try {
                loops[i] = new SingleThreadEventLoop(this, threadSource.apply(i), ioHandlerFactory);
            } catch (RuntimeException e) {   // the thread factory failed: nothing was started yet
                for (int j = 0; j < i; j++) {
                    loops[j].neverStarted();
                }
                throw e;
            }
        }
        CompletableFuture.allOf(Arrays.stream(loops).map(loop -> loop.terminationFuture().toCompletableFuture())
                .toArray(CompletableFuture[]::new)).thenRun(terminationFuture::terminated);
        Throwable failure = startAll();
        if (failure != null) {
            shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            awaitTerminationUninterruptibly();   // no thread of a group that was never returned may outlive it
            if (failure instanceof IOException io) {
                throw new UncheckedIOException("cannot create event loop group " + name + ": " + io.getMessage(), io);
            }
            throw new IllegalStateException("cannot create event loop group " + name + ": " + failure, failure);
        }
    }

    private static IntFunction<BiFunction<EventLoop, Runnable, Thread>> threadsNamed(String name, boolean daemon) {
        return i -> SingleThreadEventLoop.loopThread(name + "-" + i, daemon);
    }

    private static IntFunction<BiFunction<EventLoop, Runnable, Thread>> madeBy(ThreadFactory threadFactory) {
        return i -> (loop, body) -> threadFactory.newThread(body);
    }

    private boolean inOwnLoop() {
        for (SingleThreadEventLoop loop : loops) {
            if (loop != null && loop.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    /** Starts every loop and waits (uninterruptibly) until each made its handler; the first failure, or null. */
    private Throwable startAll() {
        CompletableFuture<?>[] started = new CompletableFuture<?>[loops.length];
        Throwable failure = null;
        for (int i = 0; i < loops.length; i++) {
            try {
                started[i] = loops[i].start();
            } catch (Throwable t) {   // no thread could be made: the loops not started count as terminated
                failure = t;
                for (int j = i; j < loops.length; j++) {
                    loops[j].neverStarted();
                }
                break;
            }
        }
        boolean interrupted = false;
        for (CompletableFuture<?> future : started) {
            while (future != null) {
                try {
                    future.get();
                    break;
                } catch (ExecutionException e) {
                    failure = failure == null ? e.getCause() : failure;
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return failure;
    }

    /** Waits, uninterruptibly and bounded, until every loop's thread has ended. */
    private void awaitTerminationUninterruptibly() {
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEFAULT_SHUTDOWN_TIMEOUT_MILLIS + 5_000);
        for (SingleThreadEventLoop loop : loops) {
            interrupted |= loop.joinThread(deadline);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static volatile IoHandlerFactory defaultFactory;

    /**
     * The default transport's factory: the first {@link IoHandlerFactory} the service loader
     * finds, looked up once.
     *
     * @throws IllegalStateException if there is none (every time, not only the first)
     */
    private static IoHandlerFactory defaultFactory() {
        IoHandlerFactory factory = defaultFactory;
        if (factory == null) {
            factory = ServiceLoader.load(IoHandlerFactory.class, EventLoopGroup.class.getClassLoader()).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no panama-netty transport found: the core"
                            + " module's epoll transport provides one; is the jar complete?"));
            defaultFactory = factory;
        }
        return factory;
    }

    /** A group of as many loops as there are processors. */
    public EventLoopGroup(String name) {
        this(Runtime.getRuntime().availableProcessors(), name);
    }

    /** The name given at creation. */
    public String name() {
        return name;
    }

    /** The factory that made this group's I/O handlers: it tells the loops' transport. */
    public IoHandlerFactory ioHandlerFactory() {
        return ioHandlerFactory;
    }

    /** The next loop, round-robin. */
    public EventLoop next() {
        return loops[Math.floorMod(nextIndex.getAndIncrement(), loops.length)];
    }

    /** The loops of this group. */
    public List<EventLoop> loops() {
        return List.of((EventLoop[]) loops);
    }

    /** The loops of this group, in order. */
    @Override
    public Iterator<EventLoop> iterator() {
        return loops().iterator();
    }

    /** True once shutdown has begun. */
    public boolean isShuttingDown() {
        return loops[0].isShuttingDown();
    }

    /** The same as {@link #isShuttingDown()}. */
    @Override
    public boolean isShutdown() {
        return isShuttingDown();
    }

    /** True once every loop has terminated. */
    @Override
    public boolean isTerminated() {
        return terminationFuture.isDone();
    }

    /** Done when every loop has terminated. */
    public TerminationFuture terminationFuture() {
        return terminationFuture;
    }

    /** Shuts every loop down with the default quiet period and timeout. */
    public TerminationFuture shutdownGracefully() {
        return shutdownGracefully(DEFAULT_QUIET_PERIOD_MILLIS, DEFAULT_SHUTDOWN_TIMEOUT_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /** Shuts every loop down, see {@link EventLoop#shutdownGracefully}. */
    public TerminationFuture shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
        for (SingleThreadEventLoop loop : loops) {
            loop.shutdownGracefully(quietPeriod, timeout, unit);
        }
        return terminationFuture;
    }

    /** {@link EventLoop#shutdown()} of every loop: no quiet period, the default timeout. */
    @Override
    public void shutdown() {
        shutdownGracefully(0, DEFAULT_SHUTDOWN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** {@link EventLoop#shutdownNow()} of every loop; the list is always empty. */
    @Override
    public List<Runnable> shutdownNow() {
        shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        return List.of();
    }

    /**
     * Waits up to {@code timeout} for every loop to terminate.
     *
     * @throws BlockingOperationException on one of this group's threads
     */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminationFuture.await(timeout, unit);
    }

    /** Runs {@code task} on the {@link #next()} loop. */
    @Override
    public void execute(Runnable task) {
        next().execute(task);
    }

    /** Submits {@code task} to the {@link #next()} loop. */
    @Override
    public Future<?> submit(Runnable task) {
        return next().submit(task);
    }

    /** Submits {@code task} to the {@link #next()} loop. */
    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        return next().submit(task, result);
    }

    /** Submits {@code task} to the {@link #next()} loop. */
    @Override
    public <T> Future<T> submit(Callable<T> task) {
        return next().submit(task);
    }

    /** Runs all of {@code tasks} on the {@link #next()} loop, one after the other. */
    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        return next().invokeAll(tasks);
    }

    /** Runs all of {@code tasks} on the {@link #next()} loop, giving up after {@code timeout}. */
    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        return next().invokeAll(tasks, timeout, unit);
    }

    /** The result of one of {@code tasks} that succeeded, run on the {@link #next()} loop. */
    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        return next().invokeAny(tasks);
    }

    /** As {@link #invokeAny(Collection)}, giving up after {@code timeout}. */
    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return next().invokeAny(tasks, timeout, unit);
    }

    /** Schedules {@code task} on the {@link #next()} loop, see {@link EventLoop#schedule(Runnable, long, TimeUnit)}. */
    @Override
    public ScheduledTask<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return next().schedule(task, delay, unit);
    }

    /** Schedules {@code task} on the {@link #next()} loop. */
    @Override
    public <V> ScheduledTask<V> schedule(Callable<V> task, long delay, TimeUnit unit) {
        return next().schedule(task, delay, unit);
    }

    /** Schedules {@code task} on the {@link #next()} loop, see {@link EventLoop#scheduleAtFixedRate}. */
    @Override
    public ScheduledTask<?> scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
        return next().scheduleAtFixedRate(task, initialDelay, period, unit);
    }

    /** Schedules {@code task} on the {@link #next()} loop, see {@link EventLoop#scheduleWithFixedDelay}. */
    @Override
    public ScheduledTask<?> scheduleWithFixedDelay(Runnable task, long initialDelay, long delay, TimeUnit unit) {
        return next().scheduleWithFixedDelay(task, initialDelay, delay, unit);
    }

    /**
     * Shuts down gracefully and waits for termination (up to the shutdown timeout plus
     * a margin). Called from one of this group's own threads, it only starts the shutdown.
     */
    @Override
    public void close() {
        shutdownGracefully();
        for (EventLoop loop : loops) {
            if (loop.inEventLoop()) {
                return;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEFAULT_SHUTDOWN_TIMEOUT_MILLIS + 5_000);
        try {
            terminationFuture.get(DEFAULT_SHUTDOWN_TIMEOUT_MILLIS + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (TimeoutException e) {
            throw new IllegalStateException("event loop group " + name + " did not terminate", e);
        }
        boolean interrupted = false;
        for (SingleThreadEventLoop loop : loops) {   // the threads themselves have ended when close() returns
            interrupted |= loop.joinThread(deadline);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "EventLoopGroup(" + name + ", " + loops.length + " threads)";
    }
}
