package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Epoll;
import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.FileIo;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.Pipes;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelPromise;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;

/**
 * One running {@link Splice}: the bytes of a source socket move through a kernel
 * pipe of its own into a target socket, both channels on one event loop.
 *
 * <p>The cycle: when the pipe is empty and the source is readable, splice
 * socket&rarr;pipe, then at once pipe&rarr;target. If the target takes only part
 * (EAGAIN), the rest waits in the pipe, the source is not read (its read interest is
 * off) and the target waits for EPOLLOUT; so at most one pipe's worth of bytes is
 * ever in flight. Bytes the target had queued by ordinary writes leave first.
 *
 * <p>End of input on the source: once the pipe is empty, the target's output is shut
 * down, the source's input end is handled as usual (event or close) and the future
 * succeeds. A failed splice fires {@code exceptionCaught} on the channel whose socket
 * failed, closes both channels and fails the future. Either channel closing ends the
 * splice and closes the pipe. Event-loop confined.
 */
final class SpliceDirection {
    private static final int FLAGS = Pipes.SPLICE_F_MOVE | Pipes.SPLICE_F_NONBLOCK;

    private final EpollSocketChannel source;
    private final EpollSocketChannel target;
    private final ChannelPromise promise;
    private final int readFd;
    private final int writeFd;
    private final int capacity;
    /** Bytes in the pipe, read from the source and not yet taken by the target. */
    private long pending;
    private boolean sourceEnded;
    private boolean waitingForTarget;
    private boolean waitingForQueue;
    private boolean draining;
    private boolean done;

    private SpliceDirection(EpollSocketChannel source, EpollSocketChannel target, ChannelPromise promise,
                            int[] pipe, int capacity) {
        this.source = source;
        this.target = target;
        this.promise = promise;
        this.readFd = pipe[0];
        this.writeFd = pipe[1];
        this.capacity = capacity;
    }

    /** Opens the pipe and attaches to both channels; on the loop, both channels checked by the caller. */
    static void start(EpollSocketChannel source, EpollSocketChannel target, ChannelPromise promise) {
        int[] pipe;
        try {
            pipe = Pipes.open(FileIo.O_NONBLOCK | FileIo.O_CLOEXEC);
        } catch (NativeIoException e) {
            promise.tryFailure(e);   // nothing moved yet: both channels go on as they were
            return;
        }
        int capacity = FileIo.fcntl(pipe[0], FileIo.F_GETPIPE_SZ, 0);
        SpliceDirection splice = new SpliceDirection(source, target, promise, pipe, capacity > 0 ? capacity : 65536);
        source.spliceOut = splice;
        target.spliceIn = splice;
        if (source.isInputShutdown()) {
            splice.sourceEnded = true;
            splice.drain();
        }
        source.refreshInterest();
    }

    /** True while the source should be read: nothing waits in the pipe and input goes on. */
    boolean wantsSourceInput() {
        return !done && !sourceEnded && pending == 0;
    }

    /** True while the target must report EPOLLOUT for the pipe's sake. */
    boolean wantsTargetWritable() {
        return !done && waitingForTarget;
    }

    /** True while the source's events are off (it hung up while the pipe was full). */
    boolean isSourceSuspended() {
        return source.isSuspended();
    }

    // ------------------------------------------------------------ source side

    /** The source reported {@code events} (input, hang-up or error). */
    void sourceReady(int events) {
        if (!wantsSourceInput()) {
            if ((events & (Epoll.EPOLLHUP | Epoll.EPOLLERR)) != 0) {
                sourceHungUpWhileBlocked();
            }
            return;
        }
        int maxReads = source.config().maxMessagesPerRead();
        for (int i = 0; i < maxReads && wantsSourceInput(); i++) {
            long n = Pipes.splice(source.fd, writeFd, capacity, FLAGS);
            if (n == -Errno.EAGAIN) {
                break;   // the pipe is empty, so the socket is
            }
            if (n < 0) {
                fail(source, Errno.exception((int) -n, "splice", "from " + source + " into a pipe"));
                return;
            }
            if (n == 0) {
                sourceEnded = true;
            } else {
                pending += n;
            }
            drain();
            if (done || n < capacity) {
                break;
            }
        }
        if (!done) {
            source.refreshInterest();
        }
    }

    /**
     * A hang-up or error is reported whatever the interest, and level-triggered: with
     * the pipe full, read the socket error now, or stop the source's events until the
     * pipe has drained, instead of spinning on the report.
     */
    private void sourceHungUpWhileBlocked() {
        int error = source.pendingSocketError();
        if (error != 0) {
            fail(source, Errno.exception(error, "splice", "from " + source + " (socket error)"));
        } else {
            source.suspendEvents();   // until the pipe drains (a no-op if already out of epoll)
        }
    }

    // ------------------------------------------------------------ target side

    /** The target reported EPOLLOUT. */
    void targetWritable() {
        if (waitingForTarget) {
            waitingForTarget = false;
            drain();
            if (!done) {
                target.refreshInterest();
                source.refreshInterest();
            }
        }
    }

    /** The target's queue of ordinary writes has just emptied. */
    void targetQueueDrained() {
        if (waitingForQueue) {
            waitingForQueue = false;
            drain();
            if (!done) {
                source.refreshInterest();
            }
        }
    }

    /** Moves what the pipe holds into the target; at the end of input, finishes. */
    private void drain() {
        if (draining || done) {
            return;   // re-entered through the target's flush
        }
        draining = true;
        try {
            drainPipe();
        } finally {
            draining = false;
        }
        if (!done && pending == 0) {
            source.resumeEvents();   // if the source hung up while the pipe was full; may close it
            if (!done && sourceEnded) {
                finish();
            }
        }
    }

    private void drainPipe() {
        if (target.hasQueuedWrites()) {
            waitingForQueue = true;   // ordinary writes made before (or during) the splice go first
            target.flushNow();
            if (done || target.hasQueuedWrites()) {
                return;
            }
            waitingForQueue = false;
        }
        while (pending > 0) {
            long n = Pipes.splice(readFd, target.fd, pending, FLAGS);
            if (n > 0) {
                pending -= n;
            } else if (n == -Errno.EAGAIN) {
                waitingForTarget = true;
                target.refreshInterest();
                return;
            } else {
                int errno = n == 0 ? Errno.EIO : (int) -n;   // 0: the pipe lost bytes we counted
                fail(target, Errno.exception(errno, "splice", "from a pipe into " + target));
                return;
            }
        }
    }

    // ------------------------------------------------------------------ endings

    /** End of input has passed through the pipe: FIN to the target, then the source's input end. */
    private void finish() {
        detach();
        ChannelFuture shutdown = target.shutdownOutput();   // after the target's queued writes, if any
        shutdown.addListener(f -> {
            if (source.isOpen()) {
                source.spliceInputEnded();   // only now, as the Javadoc of Splice promises
            }
            if (f.isSuccess()) {
                promise.trySuccess();
            } else {
                promise.tryFailure(f.cause());
            }
        });
    }

    private void fail(EpollSocketChannel failed, IOException cause) {
        detach();
        failed.pipeline().fireExceptionCaught(cause);
        promise.tryFailure(cause);
        source.closeNow(null);
        target.closeNow(null);
    }

    /** One of the two channels closed: the splice ends, the pipe's bytes are dropped. */
    void channelClosed() {
        if (!done) {
            detach();
            promise.tryFailure(new ClosedChannelException());
        }
    }

    /** Closes the pipe and gives both channels back their ordinary event handling. */
    private void detach() {
        if (done) {
            return;
        }
        done = true;
        FileIo.close(readFd);
        FileIo.close(writeFd);
        if (source.spliceOut == this) {
            source.spliceOut = null;
        }
        if (target.spliceIn == this) {
            target.spliceIn = null;
        }
        source.resumeEvents();   // a no-op unless the source was taken out of epoll
        source.refreshInterest();
        target.refreshInterest();
    }

    @Override
    public String toString() {
        return "splice " + source + " -> " + target + " (" + pending + " bytes in the pipe)";
    }
}
