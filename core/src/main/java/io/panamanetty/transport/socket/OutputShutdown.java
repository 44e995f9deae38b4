package io.panamanetty.transport.socket;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.channel.ChannelPromise;

import java.nio.channels.ClosedChannelException;

/**
 * The half-closure of a stream channel's output, for both transports' outputs: a request waits
 * until the queue has drained (the output says when, and calls {@link #perform}), later requests
 * follow the first, and a close fails the one still waiting. Event-loop confined.
 */
public final class OutputShutdown {
    private boolean done;
    private ChannelPromise pending;

    /** True once shutdown was asked for (done or waiting): no more writes are taken. */
    public boolean isRequested() {
        return done || pending != null;
    }

    /** True once {@code SHUT_WR} was made. */
    public boolean isDone() {
        return done;
    }

    /** True while a request waits for the queue to drain. */
    public boolean isPending() {
        return pending != null;
    }

    /**
     * Takes a request: fails it if the channel is closed, completes it if the output is shut down
     * already, chains it to one waiting; else it waits.
     *
     * @return true if {@code promise} is now the one waiting: the caller performs the shutdown at
     *         once if nothing is queued or in flight
     */
    public boolean request(ChannelPromise promise, boolean channelOpen) {
        if (!channelOpen) {
            promise.tryFailure(new ClosedChannelException());
        } else if (done) {
            promise.trySuccess();
        } else if (pending != null) {
            pending.addListener(f -> {
                if (f.isSuccess()) {
                    promise.trySuccess();
                } else {
                    promise.tryFailure(f.cause());
                }
            });
        } else {
            pending = promise;
            return true;
        }
        return false;
    }

    /** Makes {@code SHUT_WR} on {@code fd} for the waiting request, which it completes or fails (naming {@code channel}). */
    public void perform(int fd, Object channel) {
        ChannelPromise promise = pending;
        pending = null;
        int result = Sockets.shutdown(fd, Sockets.SHUT_WR);
        done = true;
        if (result < 0) {
            promise.tryFailure(Errno.exception(-result, "shutdown", "SHUT_WR on " + channel));
        } else {
            promise.trySuccess();
        }
    }

    /** The channel closed: the waiting request, if any, fails with {@code cause}. */
    public void failPending(Throwable cause) {
        if (pending != null) {
            pending.tryFailure(cause);
            pending = null;
        }
    }
}
