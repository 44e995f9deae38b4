package io.panamanetty.transport.uring;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.IoUringCqe;
import io.panamanetty.bindings.IoUringSqe;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.channel.internal.DefaultChannelPipeline;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * The input side of an {@link IoUringSocketChannel}. Receives select a buffer of the loop's
 * provided-buffer ring ({@code IOSQE_BUFFER_SELECT}): one is taken only when data arrives,
 * so an idle connection holds none; a receive that filled half a ring buffer or more goes up
 * the pipeline in that buffer itself (another is lent in its place) when the channel uses the
 * default allocator, any other is copied into a buffer of the channel's allocator before the
 * ring's goes back ({@link ReceiveBuffers}). While auto-read is on, one multishot
 * {@code IORING_OP_RECV} stays armed (armed again when the kernel ends it: out of ring
 * buffers, say); a {@code read()} with auto-read off is one single-shot receive. Turning
 * auto-read off cancels the multishot receive; what it still delivers is kept
 * ({@link #parked}) until reads are wanted again, so no {@code channelRead} comes while
 * they are off. Event-loop confined.
 */
final class IoUringStreamInput {
    static final int OP_RECV = 2;
    static final int OP_RECV_MULTISHOT = 6;
    static final int OP_CANCEL = 7;

    private final IoUringSocketChannel channel;
    private final DefaultChannelPipeline pipeline;
    /** A single-shot receive is in flight. */
    private boolean receiving;
    /** A multishot receive is armed: until its last completion (no IORING_CQE_F_MORE). */
    private boolean multishot;
    /** Its cancellation was asked for (auto-read turned off). */
    private boolean multishotCancelled;
    /** Data that came while reads were off, for the next read; null until needed. */
    private ArrayDeque<Buffer> parked;
    /** The end of input came while reads were off, or behind parked data. */
    private boolean parkedEnd;
    /** A receive failed behind parked data: reported once that data is delivered (epoll reads data before an error). */
    private IOException parkedError;
    private boolean readRequested;
    private boolean deliveryScheduled;
    /**
     * The bytes a single-shot receive (a {@code read()}) asks for: 2 KiB at first, doubling
     * while receives fill it (up to a ring buffer), halving when they fill a quarter of it.
     */
    private int requestSize = 2048;

    IoUringStreamInput(IoUringSocketChannel channel, DefaultChannelPipeline pipeline) {
        this.channel = channel;
        this.pipeline = pipeline;
    }

    private boolean wantsInput() {
        return channel.config().isAutoRead() || readRequested;
    }

    /** Arms what the reading state asks for (the channel is active and its input open). */
    void start() {
        if (!channel.isActive() || channel.isInputShutdown()) {
            return;
        }
        if (hasParked() || parkedEnd || parkedError != null) {
            scheduleDelivery();
            return;
        }
        if (channel.config().isAutoRead()) {
            if (!multishot && !receiving) {
                submit(OP_RECV_MULTISHOT);
            }
        } else if (readRequested && !receiving && !multishot) {
            submit(OP_RECV);
        }
    }

    private void submit(int op) {
        ReceiveBuffers buffers;
        try {
            buffers = channel.io().receiveBuffers();
        } catch (NativeIoException e) {
            pipeline.fireExceptionCaught(e);
            channel.closeNow(null);
            return;
        }
        int length = op == OP_RECV ? Math.min(requestSize, buffers.bufferSize()) : 0;   // 0: a whole ring buffer
        long sqe = channel.submit(op, IoUringSqe.IORING_OP_RECV, 0, length, 0);
        MemorySegment sqes = channel.submitter().sqes();
        IoUringSqe.setFlags(sqes, sqe, IoUringSqe.IOSQE_BUFFER_SELECT);
        IoUringSqe.setBufGroup(sqes, sqe, buffers.groupId());
        if (op == OP_RECV_MULTISHOT) {
            IoUringSqe.setIoprio(sqes, sqe, IoUringSqe.IORING_RECV_MULTISHOT);
            multishot = true;
        } else {
            receiving = true;
        }
    }

    void readRequested() {
        readRequested = true;
        start();
    }

    /** Auto-read was switched (on the loop): off cancels the multishot receive, on arms one. */
    void autoReadChanged() {
        if (!channel.config().isAutoRead()) {
            readRequested = false;
            if (multishot && !multishotCancelled) {
                multishotCancelled = true;
                channel.submit(OP_CANCEL, IoUringSqe.IORING_OP_ASYNC_CANCEL,
                        channel.userData(OP_RECV_MULTISHOT), 0, 0);
            }
            return;
        }
        start();
    }

    /**
     * The {@code res} bytes received into ring buffer {@code bufferId}: that buffer itself when
     * they fill half of it or more and the channel uses the ring's allocator (another is lent in its place),
     * else a copy in a buffer of the channel's allocator (see {@link ReceiveBuffers}).
     */
    private Buffer receivedBuffer(int bufferId, int res) throws NativeIoException {
        ReceiveBuffers buffers = channel.io().receiveBuffers();
        BufferAllocator allocator = channel.config().allocator();
        if (buffers.worthTaking(res) && allocator == buffers.allocator()) {
            Buffer taken = buffers.take(bufferId, res);
            if (taken != null) {
                return taken;
            }
        }
        Buffer copy = allocator.allocate(res);
        try {
            MemorySegment.copy(buffers.received(bufferId, res), 0, copy.segment(), copy.writerIndex(), res);
        } catch (RuntimeException e) {
            copy.release();
            throw e;
        }
        return copy.writerIndex(copy.writerIndex() + res);
    }

    /**
     * A receive's completion: the bytes are in a buffer of the loop's ring, taken or copied out
     * here ({@link #receivedBuffer}; the handler lends the ring's buffer again as this returns).
     */
    void completed(int op, int res, int flags) {
        if (op == OP_CANCEL) {
            return;
        }
        boolean last = (flags & IoUringCqe.IORING_CQE_F_MORE) == 0;
        if (op == OP_RECV) {
            receiving = false;
        } else if (last) {
            multishot = false;
            multishotCancelled = false;
        }
        if (!channel.isOpen() || channel.isInputShutdown()) {
            return;   // closing, or shut down by us meanwhile: what came is dropped, as SHUT_RD does
        }
        if (res == -Errno.ENOBUFS || res == -Errno.ECANCELED) {
            if (res == -Errno.ENOBUFS) {
                channel.io().receiveBufferShortage();
                channel.eventLoop().execute(this::start);   // ring buffers taken in this batch are back after it
            } else {
                start();   // cancelled for auto-read off; on again meanwhile, say
            }
            return;
        }
        if (res <= 0) {
            if (res == 0 && mustPark()) {
                parkedEnd = true;
                scheduleDelivery();
            } else if (res == 0) {
                channel.inputEnded();
            } else if (hasParked()) {
                parkedError = Errno.exception(-res, "recv (io_uring)", "on " + channel);   // after the data, as epoll
                scheduleDelivery();
            } else {
                pipeline.fireExceptionCaught(Errno.exception(-res, "recv (io_uring)", "on " + channel));
                channel.closeNow(null);
            }
            return;
        }
        Buffer buffer;
        try {
            buffer = receivedBuffer(IoUringCqe.bufferId(flags), res);
        } catch (NativeIoException | RuntimeException e) {
            pipeline.fireExceptionCaught(e);
            channel.closeNow(null);
            return;
        }
        if (op == OP_RECV) {
            requestSize = res >= requestSize ? requestSize * 2 : res <= requestSize / 4 ? Math.max(64, requestSize / 2)
                    : requestSize;
        }
        if (mustPark()) {
            if (parked == null) {
                parked = new ArrayDeque<>();
            }
            parked.add(buffer);
            scheduleDelivery();
            return;
        }
        readRequested = false;
        pipeline.fireChannelRead(buffer);
        if (!channel.isOpen()) {
            return;
        }
        pipeline.fireChannelReadComplete();
        if (op == OP_RECV || last) {
            start();
        }
    }

    /**
     * Whether what a receive brought must wait in {@link #parked}: reads are off, or earlier
     * data waits there still (reads came back on and its delivery task has not run: the
     * multishot receive, whose cancellation had not ended it yet, may deliver meanwhile, and
     * delivering that at once would pass the parked bytes).
     */
    private boolean mustPark() {
        return !wantsInput() || hasParked();
    }

    private boolean hasParked() {
        return parked != null && !parked.isEmpty();
    }

    /** Delivers the parked data in a later task if reads are wanted (once: one task at a time). */
    private void scheduleDelivery() {
        if (wantsInput() && !deliveryScheduled) {
            deliveryScheduled = true;
            channel.eventLoop().execute(this::deliverParked);
        }
    }

    private void deliverParked() {
        deliveryScheduled = false;
        boolean readSome = false;
        while (hasParked() && wantsInput() && channel.isOpen()) {
            readRequested = false;
            readSome = true;
            pipeline.fireChannelRead(parked.poll());
        }
        if (readSome && channel.isOpen()) {
            pipeline.fireChannelReadComplete();
        }
        if (!channel.isOpen()) {
            return;
        }
        if (!hasParked() && parkedError != null && wantsInput()) {
            IOException failure = parkedError;
            parkedError = null;
            pipeline.fireExceptionCaught(failure);
            channel.closeNow(null);
            return;
        }
        if (!hasParked() && parkedEnd && wantsInput()) {
            parkedEnd = false;
            channel.inputEnded();
            return;
        }
        start();
    }

    /** The channel closed or its input was shut down: what was kept goes. */
    void release() {
        if (parked != null) {
            Buffer buffer;
            while ((buffer = parked.poll()) != null) {
                buffer.release();
            }
        }
        parkedEnd = false;
        parkedError = null;
        readRequested = false;
    }
}
