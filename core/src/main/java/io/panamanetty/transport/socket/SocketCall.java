package io.panamanetty.transport.socket;

import io.panamanetty.bindings.Errno;
import io.panamanetty.channel.EventLoop;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * A call on a channel's socket that may fail; {@link #onLoop} runs it on the channel's
 * event loop, so that no fd is used from a thread racing with its close.
 *
 * @param <T> what the call returns
 */
@FunctionalInterface
public interface SocketCall<T> {

    /**
     * Makes the call.
     *
     * @throws IOException if the kernel refuses
     */
    T call() throws IOException;

    /**
     * Runs {@code call} on {@code loop}: at once when called there, else as a task the calling
     * thread waits for; what it throws is thrown here.
     *
     * @param owner the channel, named in the message if the loop has shut down
     * @throws IOException the call's failure, {@code EBADF} if the loop has shut down, or an
     *         {@link InterruptedIOException} if the wait was interrupted
     */
    static <T> T onLoop(EventLoop loop, Object owner, SocketCall<T> call) throws IOException {
        if (loop.inEventLoop()) {
            return call.call();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                try {
                    result.complete(call.call());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            throw Errno.exception(Errno.EBADF, "socket call", "on " + owner + ", whose loop has shut down");
        }
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("interrupted waiting for " + loop);
            interrupted.initCause(e);
            throw interrupted;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException failure) {
                throw failure;
            } else if (cause instanceof RuntimeException runtime) {
                throw runtime;
            } else if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
        }
    }
}
