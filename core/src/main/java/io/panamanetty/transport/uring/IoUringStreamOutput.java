package io.panamanetty.transport.uring;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.FileIo;
import io.panamanetty.bindings.IoUringSqe;
import io.panamanetty.bindings.IoVec;
import io.panamanetty.bindings.Memory;
import io.panamanetty.bindings.MsgHdr;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.GatheredBuffers;
import io.panamanetty.buffer.ReferenceCounted;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.internal.DefaultChannelPipeline;
import io.panamanetty.channel.internal.GatheredWrites;
import io.panamanetty.channel.internal.OutboundBuffer;
import io.panamanetty.channel.internal.OutboundMessages;
import io.panamanetty.transport.socket.OutputShutdown;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ClosedChannelException;
import java.util.function.BiConsumer;

/**
 * The output side of an {@link IoUringSocketChannel}: the outbound queue's head described
 * into an iovec array and sent by one {@code IORING_OP_SEND} (one buffer) or
 * {@code IORING_OP_WRITEV} at a time. The described entries stay in the queue, in flight,
 * until the completion says how much the kernel took ({@link OutboundBuffer#removeWritten});
 * a partial write resumes from there. Once per loop turn a single buffer finding no write in
 * flight is sent directly instead, with {@code send(MSG_DONTWAIT)} (see
 * {@link IoUringIoHandler#takeDirectSend}); what that leaves goes through the ring. Writability
 * from the water marks, the FIN once the queue is empty. Event-loop confined.
 */
final class IoUringStreamOutput {
    static final int OP_WRITE = 3;
    /**
     * iovecs per write at first: enough for a burst of small writes, 2 KiB per channel that
     * writes. A flush that finds more buffers queued grows the array, up to
     * {@link FileIo#IOV_MAX} (16 KiB), as epoll's writev takes: one write is in flight at a
     * time, so 1,000 queued messages took 8 writes, each a loop turn and an
     * {@code io_uring_enter}, where epoll makes one {@code writev}.
     */
    private static final int IOVECS = 128;

    private final IoUringSocketChannel channel;
    private final DefaultChannelPipeline pipeline;
    private final OutboundBuffer outbound = new OutboundBuffer();
    /** Where a gathered write's parts go: made once, not a new bound method reference per write. */
    private final BiConsumer<Buffer, ChannelPromise> enqueue = outbound::add;
    private long iovecsAddress;
    private MemorySegment iovecs;
    private int iovecCount;
    /** Write SQEs submitted so far (for tests). */
    private long writesSubmitted;
    /** Writes sent with a direct {@code send} instead (for tests). */
    private long directSends;
    private final OutboundBuffer.Sink filler = (index, address, length) -> IoVec.set(iovecs, index, address, length);
    /** A write's SQE is out: the described entries belong to the kernel until its CQE. */
    private boolean writeInFlight;
    private final OutputShutdown shutdown = new OutputShutdown();

    IoUringStreamOutput(IoUringSocketChannel channel, DefaultChannelPipeline pipeline) {
        this.channel = channel;
        this.pipeline = pipeline;
    }

    boolean isWritable() {
        return outbound.isWritable();
    }

    boolean hasQueuedWrites() {
        return !outbound.isEmpty();
    }

    boolean isWriteInFlight() {
        return writeInFlight;
    }

    boolean isShutdown() {
        return shutdown.isRequested();
    }

    boolean isShutdownDone() {
        return shutdown.isDone();
    }

    void channelActive() {
        if (hasQueuedWrites()) {
            flush();
        } else if (shutdown.isPending()) {
            shutdownNow();
        } else {
            channel.outputDrained();
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
        if (!(message instanceof Buffer) && message instanceof GatheredBuffers gathered) {
            GatheredWrites.add(enqueue, gathered, channel.config().allocator(), promise);
        } else {
            Buffer buffer;
            try {
                buffer = OutboundMessages.toBuffer(message, channel.config().allocator());
            } catch (RuntimeException e) {
                promise.tryFailure(e);
                return;
            }
            outbound.add(buffer, promise);
        }
        if (outbound.peekWritable() && outbound.updateWritability(channel.config())) {
            pipeline.fireChannelWritabilityChanged();
        }
    }

    long pendingBytes() {
        return outbound.pendingAndHeldBytes();
    }

    long writtenBytes() {
        return outbound.writtenBytes();
    }

    /** How many write SQEs ({@code SEND} or {@code WRITEV}) this output has submitted. */
    long writesSubmitted() {
        return writesSubmitted;
    }

    /** How many writes left with a direct {@code send} ({@link IoUringIoHandler#takeDirectSend}). */
    long directSends() {
        return directSends;
    }

    void adjustHeldBytes(long delta) {
        outbound.adjustHeldBytes(delta);
        if (channel.isOpen() && outbound.updateWritabilityLater(channel.config())) {
            channel.eventLoop().execute(() -> {
                if (channel.isOpen() && outbound.announceWritability()) {
                    pipeline.fireChannelWritabilityChanged();
                }
            });
        }
    }

    /** Sends the head of the queue unless a write is in flight already (its completion goes on). */
    void flush() {
        if (writeInFlight || !channel.isActive() || outbound.isEmpty()) {
            return;
        }
        int queued = outbound.size();
        int wanted = queued <= IOVECS ? IOVECS : Math.min(FileIo.IOV_MAX, Integer.highestOneBit(queued - 1) << 1);
        if (iovecs == null || wanted > iovecCount) {
            allocateIovecs(wanted);
        }
        int entries = outbound.describe(filler, iovecCount);
        if (entries == 0) {
            outbound.removeWritten(0);   // only empty buffers: they complete now
            afterWrite();
            return;
        }
        writeInFlight = true;
        if (entries == 1 && channel.io().takeDirectSend()) {
            long sent = Sockets.send(channel.fd, IoVec.base(iovecs, 0), IoVec.length(iovecs, 0),
                    MsgHdr.MSG_DONTWAIT | Sockets.MSG_NOSIGNAL);
            if (sent != -Errno.EAGAIN && sent != -Errno.EINTR) {   // else the ring sends it, once there is room
                directSends++;
                finishWrite((int) sent, "send");
                return;
            }
        }
        writesSubmitted++;
        if (entries == 1) {
            long sqe = channel.submit(OP_WRITE, IoUringSqe.IORING_OP_SEND, IoVec.base(iovecs, 0),
                    (int) IoVec.length(iovecs, 0), 0);
            IoUringSqe.setOpFlags(channel.submitter().sqes(), sqe, Sockets.MSG_NOSIGNAL);
        } else {
            channel.submit(OP_WRITE, IoUringSqe.IORING_OP_WRITEV, iovecsAddress, entries, 0);
        }
    }

    /** A new iovec array of {@code count} entries; no write is in flight (none reads the old one). */
    private void allocateIovecs(int count) {
        long address = Memory.malloc(count * IoVec.SIZE);
        if (iovecs != null) {
            Memory.free(iovecsAddress);
        }
        iovecsAddress = address;
        iovecs = Memory.segment(address, count * IoVec.SIZE);
        iovecCount = count;
    }

    /** The write's completion: {@code res} bytes left, or {@code -errno}. */
    void writeCompleted(int res) {
        finishWrite(res, "send (io_uring)");
    }

    /** The end of a write through the ring or of a direct {@code send} ({@code call}, for the failure). */
    private void finishWrite(int res, String call) {
        if (res < 0) {
            if (!channel.isOpen()) {   // cancelled by the close: the rest fails when quiet
                writeInFlight = false;
                return;
            }
            IOException failure = Errno.exception(-res, call, "on " + channel);
            outbound.failAll(failure);
            writeInFlight = false;
            pipeline.fireExceptionCaught(failure);
            channel.closeNow(null);
            return;
        }
        outbound.removeWritten(res);   // listeners that flush meanwhile find the write still in flight
        writeInFlight = false;
        afterWrite();
    }

    private void afterWrite() {
        if (!channel.isOpen()) {
            return;
        }
        if (!outbound.peekWritable() && outbound.updateWritability(channel.config())) {
            pipeline.fireChannelWritabilityChanged();
        }
        if (!channel.isOpen()) {
            return;
        }
        if (hasQueuedWrites()) {
            flush();
        } else if (shutdown.isPending()) {
            shutdownNow();
        } else {
            channel.outputDrained();
        }
    }

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
        if (shutdown.request(promise, channel.isOpen()) && !hasQueuedWrites() && !writeInFlight && channel.isActive()) {
            shutdownNow();
        }
    }

    private void shutdownNow() {
        shutdown.perform(channel.fd(), channel);
        channel.outputShutdownDone();
    }

    /** The channel closed: a pending shutdown fails now; the queue too unless a write is in flight. */
    void channelClosing() {
        shutdown.failPending(new ClosedChannelException());
        if (!writeInFlight) {
            releaseQueue();
        }
    }

    /** The channel's operations are quiet: the kernel reads no queued memory any more. */
    void channelQuiet() {
        releaseQueue();
        if (iovecs != null) {
            Memory.free(iovecsAddress);
            iovecs = null;
        }
    }

    private void releaseQueue() {
        if (!outbound.isEmpty()) {
            outbound.failAll(new ClosedChannelException());
        }
    }
}
