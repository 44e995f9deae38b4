package io.panamanetty.channel;

import java.io.IOException;

/**
 * The I/O half of an {@link EventLoop}: a kernel multiplexer and the channels registered
 * with it. The loop keeps the thread, the task queue, the timers and the end-of-turn
 * flush, and calls {@link #poll} once per turn; everything else about I/O is the
 * handler's (and its transport's channels').
 *
 * <p>The contract fits a readiness multiplexer (epoll: the handler reports that a socket
 * can be read or written, the channel does the I/O) and a completion one (io_uring: the
 * channel submits operations, the handler reports their results). What differs between
 * the two is behind {@link IoRegistration}: what a handle waits for is the handler's own
 * encoding, and ending a registration may take until the operations in flight for it
 * have completed.
 *
 * <p>Made by an {@link IoHandlerFactory} on the loop's own thread, and confined to it
 * except for {@link #wakeup()}.
 */
public interface IoHandler extends AutoCloseable {

    /**
     * Registers {@code handle}; it waits for nothing until
     * {@link IoRegistration#interest(int)} says what. (A transport's own channels may use a
     * richer entry of their handler, e.g. registering with a first interest in one call.)
     *
     * @throws IOException if the kernel refuses (the message names the call and errno)
     * @throws IllegalArgumentException if {@code handle} is not of this handler's transport
     */
    IoRegistration register(IoHandle handle) throws IOException;

    /**
     * Waits for I/O up to {@code timeoutNanos} (negative: no limit; 0: do not block) and
     * dispatches what arrived to the registered handles. A {@link #wakeup()} ends the wait
     * early.
     *
     * @return whether any I/O was dispatched (a wake-up alone is none)
     * @throws IOException if the multiplexer itself failed
     */
    boolean poll(long timeoutNanos) throws IOException;

    /** Ends a {@link #poll} in progress (or the next one) early; safe from any thread. */
    void wakeup();

    /**
     * Closes every registered handle ({@link IoHandle#closeNow()}): the loop is shutting
     * down. Handles registered later are closed by a later call.
     */
    void closeAll();

    /**
     * True while operations of cancelled registrations are still in flight (a completion
     * handler waiting for their results); a shutting-down loop keeps polling until this is
     * false or its shutdown timeout has passed, before {@link #close()}. Readiness handlers
     * have none.
     */
    default boolean hasOperationsInFlight() {
        return false;
    }

    /** Frees the multiplexer; called once, on the loop's thread, as the loop terminates. */
    @Override
    void close();
}
