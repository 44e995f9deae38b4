package io.panamanetty.channel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A named group of {@link EventLoop}s, each one platform thread named
 * {@code <name>-<n>}; channels are assigned to them round-robin.
 *
 * <pre>{@code
 * try (var workers = new EventLoopGroup(2, "Worker")) { ... }   // close() shuts down and waits
 * }</pre>
 * Shutting a group down closes its channels. The loops' transport is the
 * {@link IoHandlerFactory} given, or else the default one (epoll, found with
 * {@link ServiceLoader}).
 */
public final class EventLoopGroup implements AutoCloseable {
    /** Default quiet period of {@link #shutdownGracefully()}, in milliseconds. */
    public static final long DEFAULT_QUIET_PERIOD_MILLIS = 100;
    /** Default timeout of {@link #shutdownGracefully()}, in milliseconds. */
    public static final long DEFAULT_SHUTDOWN_TIMEOUT_MILLIS = 5_000;

    private final String name;
    private final IoHandlerFactory ioHandlerFactory;
    private final SingleThreadEventLoop[] loops;
    private final AtomicInteger nextIndex = new AtomicInteger();
    private final CompletableFuture<Void> terminationFuture;

    /**
     * Starts {@code threads} event loops of the default transport (epoll).
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
     * Starts {@code threads} event loops whose I/O handlers {@code ioHandlerFactory} makes,
     * each on its loop's thread; returns once all are made.
     *
     * @throws UncheckedIOException if a handler cannot be made for an {@link IOException} (the
     *         loops already started are shut down and have ended when this throws)
     * @throws IllegalStateException if a handler cannot be made for another reason, or no
     *         thread can be started
     */
    public EventLoopGroup(int threads, String name, IoHandlerFactory ioHandlerFactory) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        Objects.requireNonNull(ioHandlerFactory, "ioHandlerFactory");
        this.name = name;
        this.ioHandlerFactory = ioHandlerFactory;
        this.loops = new SingleThreadEventLoop[threads];
        for (int i = 0; i < threads; i++) {
            loops[i] = new SingleThreadEventLoop(this, name + "-" + i, ioHandlerFactory);
        }
        terminationFuture = CompletableFuture.allOf(
                Arrays.stream(loops).map(SingleThreadEventLoop::terminationFuture).toArray(CompletableFuture[]::new));
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

    /** True once shutdown has begun. */
    public boolean isShuttingDown() {
        return loops[0].isShuttingDown();
    }

    /** True once every loop has terminated. */
    public boolean isTerminated() {
        return terminationFuture.isDone();
    }

    /** Completes when every loop has terminated. */
    public CompletableFuture<Void> terminationFuture() {
        return terminationFuture;
    }

    /** Shuts every loop down with the default quiet period and timeout. */
    public CompletableFuture<Void> shutdownGracefully() {
        return shutdownGracefully(DEFAULT_QUIET_PERIOD_MILLIS, DEFAULT_SHUTDOWN_TIMEOUT_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /** Shuts every loop down, see {@link EventLoop#shutdownGracefully}. */
    public CompletableFuture<Void> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
        for (SingleThreadEventLoop loop : loops) {
            loop.shutdownGracefully(quietPeriod, timeout, unit);
        }
        return terminationFuture;
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
        } catch (TimeoutException | ExecutionException e) {
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
