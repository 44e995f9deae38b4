package io.panamanetty.transport.epoll;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.internal.DefaultChannelPromise;

import java.nio.channels.ClosedChannelException;
import java.util.concurrent.RejectedExecutionException;

/**
 * Zero-copy (in user space) forwarding between two stream channels (TCP or Unix domain) with Linux
 * {@code splice(2)}: the bytes go from one socket into a kernel pipe and from the
 * pipe into the other socket, never through a Java buffer or the pipeline.
 *
 * <pre>{@code
 * // both channels on the same event loop, e.g. the upstream connected with
 * // new Bootstrap().group(client.eventLoop())...
 * Splice.between(client, upstream).addListener(f -> { if (!f.isSuccess()) client.close(); });
 * Splice.between(upstream, client).addListener(f -> { if (!f.isSuccess()) upstream.close(); });
 * }</pre>
 *
 * <ul>
 *   <li><b>What the pipeline sees</b>: while splicing, the source's pipeline gets no
 *       {@code channelRead}; the source is read whenever the pipe is empty, whatever
 *       its auto-read setting. The end of input is passed on as usual
 *       ({@code ChannelInputShutdownEvent}, or a close without half-closure) once
 *       the target's output has been shut down.</li>
 *   <li><b>Bytes read before</b>: bytes the source read before the splice started went
 *       through its pipeline; whatever handlers wrote to the target with
 *       {@link Channel#write} is sent before the first spliced byte. Bytes a handler
 *       kept to itself (a decoder's leftovers) are the handler's: to have none, start
 *       splicing from {@code channelActive} or with auto-read off. Ordinary writes to
 *       the target while the splice runs are sent, but land between spliced bytes
 *       at no particular point: only a protocol that allows that should do it. Shutting
 *       the target's output down while the splice runs makes its next splice fail
 *       ({@code EPIPE}), which closes both channels.</li>
 *   <li><b>Backpressure</b>: at most one pipe's worth of bytes (its capacity, 64 KiB
 *       by default) is in flight. When the target's socket is full, the bytes wait in
 *       the pipe and the source is not read until the target is writable again, so a
 *       slow receiver stops a fast sender without growing memory.</li>
 *   <li><b>Half-close</b>: end of input on the source, once the pipe has drained, shuts
 *       down the target's output (FIN); then the future succeeds. Splicing the other
 *       way too, a channel whose input and output are both done closes as usual.</li>
 *   <li><b>Errors</b>: a failed {@code splice} (its exception names the call, the errno
 *       symbol and its text) is fired to {@code exceptionCaught} of the channel whose
 *       socket failed, closes both channels and fails the future.</li>
 *   <li><b>Closing</b>: when either channel closes, the splice ends, the bytes in the
 *       pipe are dropped, the pipe is closed and the future fails with
 *       {@link ClosedChannelException}; the other channel is back to
 *       ordinary reading and writing.</li>
 * </ul>
 * One splice per direction: a channel can be the source of one splice and the target
 * of one (the two directions of a forwarded connection use two pipes).
 */
public final class Splice {

    private Splice() {
    }

    /**
     * Starts moving every byte that {@code source} receives to {@code target}, until
     * end of input, a failure or a close. Callable from any thread.
     *
     * @param source a connected TCP or Unix stream channel of this library's epoll transport
     * @param target a connected TCP or Unix stream channel of the same event loop, not {@code source}
     * @return done when the source's end of input has been passed on as a FIN on the
     *         target (success), or when the splice failed or one channel closed
     *         (failure); the same future fails at once if the channels do not qualify,
     *         or if a splice already runs out of {@code source} or into {@code target},
     *         or if {@code pipe2} fails (then nothing has changed for the channels)
     */
    public static ChannelFuture between(Channel source, Channel target) {
        DefaultChannelPromise promise = new DefaultChannelPromise(source);
        if (!(source instanceof EpollSocketChannel from)) {
            promise.tryFailure(new IllegalArgumentException("cannot splice from " + source
                    + ": not an epoll stream channel"));
        } else if (!(target instanceof EpollSocketChannel to)) {
            promise.tryFailure(new IllegalArgumentException("cannot splice into " + target
                    + ": not an epoll stream channel"));
        } else if (from == to) {
            promise.tryFailure(new IllegalArgumentException("cannot splice " + source + " into itself"));
        } else if (from.eventLoop() != to.eventLoop()) {
            promise.tryFailure(new IllegalArgumentException("cannot splice " + source + " into " + target
                    + ": they are on different event loops"));
        } else if (from.eventLoop().inEventLoop()) {
            start(from, to, promise);
        } else {
            try {
                from.eventLoop().execute(() -> start(from, to, promise));
            } catch (RejectedExecutionException e) {
                promise.tryFailure(new ClosedChannelException());   // the loop has shut down
            }
        }
        return promise;
    }

    private static void start(EpollSocketChannel source, EpollSocketChannel target, ChannelPromise promise) {
        if (!source.isActive() || !target.isActive()) {
            promise.tryFailure(new ClosedChannelException());
        } else if (source.spliceOut != null) {
            promise.tryFailure(new IllegalStateException("a splice already reads " + source));
        } else if (target.spliceIn != null) {
            promise.tryFailure(new IllegalStateException("a splice already writes into " + target));
        } else if (target.isOutputShutdown()) {
            promise.tryFailure(new IllegalStateException("the output of " + target + " is shut down"));
        } else {
            SpliceDirection.start(source, target, promise);
        }
    }
}
