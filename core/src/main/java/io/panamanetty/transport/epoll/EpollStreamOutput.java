package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.FileIo;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.GatheredBuffers;
import io.panamanetty.buffer.ReferenceCounted;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.PassableDescriptor;
import io.panamanetty.channel.internal.DefaultChannelPipeline;
import io.panamanetty.channel.internal.GatheredWrites;
import io.panamanetty.channel.internal.OutboundBuffer;
import io.panamanetty.channel.internal.OutboundMessages;
import io.panamanetty.file.FileRegion;
import io.panamanetty.transport.socket.OutputShutdown;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.function.BiConsumer;

/**
 * The output side of an {@link EpollSocketChannel}: the outbound queue sent with
 * {@code write}/{@code writev} (a spin limit per flush, EPOLLOUT only while the socket is
 * full), file regions sent with {@code sendfile} and passed descriptors with {@code sendmsg} in
 * their place in it ({@link FileRegionQueue}), writability from the queue's water marks, and shutting the output down (FIN)
 * once the queue is empty. Event-loop confined.
 */
final class EpollStreamOutput {
    private final EpollSocketChannel channel;
    private final DefaultChannelPipeline pipeline;
    private final OutboundBuffer outbound = new OutboundBuffer();
    private final FileRegionQueue regions = new FileRegionQueue(outbound);
    /** Where a write goes: straight into the outbound queue, or behind a file region. */
    private final BiConsumer<Buffer, ChannelPromise> queueDirect = outbound::add;
    private final BiConsumer<Buffer, ChannelPromise> queueBehindRegion = regions::add;
    private boolean inFlush;
    /** The socket was full: waiting for EPOLLOUT. */
    boolean waitingForWritable;
    private final OutputShutdown shutdown = new OutputShutdown();

    EpollStreamOutput(EpollSocketChannel channel, DefaultChannelPipeline pipeline) {
        this.channel = channel;
        this.pipeline = pipeline;
    }

    boolean isWritable() {
        return outbound.isWritable();
    }

    /** True while ordinary writes wait in the outbound queue. */
    boolean hasQueuedWrites() {
        return !outbound.isEmpty() || regions.hasWork();
    }

    /** True once the output is shut down or a shutdown is requested. */
    boolean isShutdown() {
        return shutdown.isRequested();
    }

    /** True once the FIN has been sent. */
    boolean isShutdownDone() {
        return shutdown.isDone();
    }

    /** The channel became active: sends what was written while connecting, or the shutdown asked for. */
    void channelActive() {
        if (hasQueuedWrites()) {
            flush();
        } else if (shutdown.isPending()) {
            shutdownNow();   // requested while connecting, with nothing queued
        }
    }

    void write(Object message, ChannelPromise promise) {
        if (!channel.isOpen() || isShutdown()) {
            if (message instanceof ReferenceCounted counted) {
                counted.release();
            }
            promise.tryFailure(channel.isOpen() ? new IOException("output of " + channel + " is shut down")
                    : new ClosedChannelException());
            return;
        }
        BiConsumer<Buffer, ChannelPromise> queue = regions.hasWork() ? queueBehindRegion : queueDirect;
        if (message instanceof FileRegion region) {
            regions.add(region, promise);   // sent with sendfile(2) once the writes before it have left
        } else if (message instanceof PassableDescriptor handle) {
            if (!channel.unix) {
                handle.release();
                promise.tryFailure(new IllegalArgumentException("descriptors pass over Unix domain sockets only,"
                        + " not over " + channel));
                return;
            }
            regions.add(handle, promise);   // passed with sendmsg(2) once the writes before it have left
        } else if (!(message instanceof Buffer) && message instanceof GatheredBuffers gathered) {
            GatheredWrites.add(queue, gathered, channel.config().allocator(), promise);   // one writev, no copy
        } else {
            Buffer buffer;
            try {
                buffer = OutboundMessages.toBuffer(message, channel.config().allocator());
            } catch (RuntimeException e) {
                promise.tryFailure(e);
                return;
            }
            queue.accept(buffer, promise);
        }
        if (outbound.peekWritable() && outbound.updateWritability(channel.config())) {
            pipeline.fireChannelWritabilityChanged();
        }
    }

    /** Queued and held outbound bytes (see {@code PendingOutboundBytes}). */
    long pendingBytes() {
        return outbound.pendingAndHeldBytes();
    }

    /** Bytes the kernel has taken from this channel's queue so far. */
    long writtenBytes() {
        return outbound.writtenBytes();
    }

    /**
     * Adds {@code delta} to the bytes handlers hold (see {@code PendingOutboundBytes}).
     * Writability changes at once, its event in a later task.
     */
    void adjustHeldBytes(long delta) {
        outbound.adjustHeldBytes(delta);
        if (channel.isOpen() && outbound.updateWritabilityLater(channel.config())) {
            // Later, not inside the handler's own write() or between its steps (as Netty does).
            channel.eventLoop().execute(() -> {
                if (channel.isOpen() && outbound.announceWritability()) {
                    pipeline.fireChannelWritabilityChanged();
                }
            });
        }
    }

    /** EPOLLOUT arrived while waiting for it. */
    void socketWritable() {
        waitingForWritable = false;
        channel.refreshInterest();
        flush();
    }

    void flush() {
        if (inFlush || !channel.isActive() || waitingForWritable || !hasQueuedWrites()) {
            return;   // inFlush: a write promise's listener flushed; the running flush goes on
        }
        inFlush = true;
        try {
            flushQueued();
        } finally {
            inFlush = false;
        }
    }

    private void flushQueued() {
        EpollIoHandler io = channel.io();
        int fd = channel.fd;
        int spins = channel.config().writeSpinCount();
        for (int i = 0; i < spins && hasQueuedWrites(); i++) {
            if (outbound.isEmpty()) {   // only file regions, or writes behind one, are left
                FileRegionQueue.Step step = regions.send(fd, channel.config().allocator(), channel::newPromise);
                if (step == FileRegionQueue.Step.SOCKET_FULL) {
                    waitingForWritable = true;
                    channel.refreshInterest();
                    break;
                }
                if (step == FileRegionQueue.Step.FAILED) {
                    failAndClose(regions.failure());
                    return;
                }
                continue;
            }
            long written;
            int entries;
            if (outbound.size() == 1) {
                Buffer only = outbound.first();   // null if it was released before being sent
                entries = only != null && only.readableBytes() > 0 ? 1 : 0;
                written = entries == 0 ? 0
                        : FileIo.write(fd, only.memoryAddress() + only.readerIndex(), only.readableBytes());
            } else {
                entries = outbound.describe(io.iovecFiller, FileIo.IOV_MAX);
                written = entries == 0 ? 0 : FileIo.writev(fd, io.iovecs.address(), entries);
            }
            // EINPROGRESS: the first write of a TCP_FASTOPEN_CONNECT socket without a cookie; EPOLLOUT follows the handshake
            if (written == -Errno.EAGAIN || written == -Errno.EINPROGRESS || (written == 0 && entries > 0)) {
                waitingForWritable = true;
                channel.refreshInterest();
                break;
            }
            if (written < 0) {
                failAndClose(Errno.exception((int) -written, entries > 1 ? "writev" : "write", null));
                return;
            }
            outbound.removeWritten(written);
        }
        if (hasQueuedWrites() && !waitingForWritable) {
            channel.eventLoop().execute(this::flush);   // spin limit: let the other channels have a turn
        }
        if (channel.isOpen() && !outbound.peekWritable() && outbound.updateWritability(channel.config())) {
            pipeline.fireChannelWritabilityChanged();
        }
        if (channel.isOpen() && !hasQueuedWrites()) {
            if (shutdown.isPending()) {
                shutdownNow();
            }
            channel.outputDrained();
        }
    }

    private void failAndClose(IOException failure) {
        outbound.failAll(failure);
        regions.failAll(failure);
        pipeline.fireExceptionCaught(failure);
        channel.closeNow(null);
    }

    /** The peer hung up while waiting for EPOLLOUT: settles the queued writes now (they fail, or leave). */
    void hangUpWhileWaiting() {
        if (waitingForWritable) {
            waitingForWritable = false;
            flush();
        }
    }

    // ------------------------------------------------------- half-closure

    ChannelFuture shutdown() {
        ChannelPromise promise = channel.newPromise();
        if (channel.eventLoop().inEventLoop()) {
            requestShutdown(promise);
        } else {
            channel.eventLoop().execute(() -> requestShutdown(promise));
        }
        return promise;
    }

    private void requestShutdown(ChannelPromise promise) {
        if (shutdown.request(promise, channel.isOpen()) && !hasQueuedWrites() && channel.isActive()) {
            shutdownNow();
        }
    }

    private void shutdownNow() {
        shutdown.perform(channel.fd, channel);
        channel.outputShutdownDone();
    }

    /** The channel closed: queued writes and a pending shutdown fail. */
    void channelClosed() {
        if (!hasQueuedWrites() && !shutdown.isPending()) {
            return;   // the usual close: nothing to fail, so no exception (and its stack walk) made
        }
        ClosedChannelException closed = new ClosedChannelException();
        outbound.failAll(closed);
        regions.failAll(closed);
        shutdown.failPending(closed);
    }
}
