package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.RegularFiles;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.buffer.ReferenceCounted;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.PassableDescriptor;
import io.panamanetty.channel.internal.OutboundBuffer;
import io.panamanetty.file.FileRegion;
import io.panamanetty.internal.FileRegionInternals;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * The file regions of an {@link EpollStreamOutput}, and the writes queued behind them so
 * that everything leaves in the order written: while a region is being sent, later writes
 * wait here rather than in the outbound queue. A region opened from a path leaves with
 * {@code sendfile(2)}; one of a {@code FileChannel} is read into one pooled buffer at a
 * time, which goes through the outbound queue. The bytes waiting here count toward the
 * channel's writability as held bytes of the outbound queue. A descriptor passed over a
 * Unix domain socket ({@link PassableDescriptor}) waits here the same way, and leaves
 * with {@code sendmsg} and its NUL byte once the bytes before it are sent
 * ({@link PassedDescriptors#send}). Event-loop confined.
 */
final class FileRegionQueue {
    /** The most one {@code sendfile} call is asked to send; the kernel sends at most about 2 GiB anyway. */
    private static final long MAX_SENDFILE = 1L << 30;
    /** The size of each buffer a {@code FileChannel} region is read into. */
    private static final int COPY_CHUNK = 64 * 1024;
    private static final FileRegionInternals.Access REGIONS = FileRegionInternals.access();

    /** What {@link #send} did. */
    enum Step {
        /** Moved writes into the outbound queue, or finished a region: go on flushing. */
        PROGRESS,
        /** The socket is full. */
        SOCKET_FULL,
        /** The write failed: the channel must close (its byte stream is broken). */
        FAILED
    }

    private final OutboundBuffer outbound;
    /** Messages (a {@link FileRegion}, a {@link PassableDescriptor} or a {@link Buffer}) and their promises, in turn. */
    private final ArrayDeque<Object> backlog = new ArrayDeque<>();
    private FileRegion current;
    private ChannelPromise currentPromise;
    private long currentSent;
    /** The failure {@link Step#FAILED} reported. */
    private IOException failure;

    FileRegionQueue(OutboundBuffer outbound) {
        this.outbound = outbound;
    }

    /** True if a region is being sent or writes wait behind one: later writes must queue here too. */
    boolean hasWork() {
        return current != null || !backlog.isEmpty();
    }

    /** Queues a region or a descriptor, or a buffer written after one. */
    void add(ReferenceCounted message, ChannelPromise promise) {
        backlog.add(message);
        backlog.add(promise);
        outbound.adjustHeldBytes(heldBytes(message));
    }

    /** The bytes a waiting message stands for: a region's, a descriptor's NUL byte, a buffer's. */
    private static long heldBytes(ReferenceCounted message) {
        return message instanceof FileRegion region ? region.count()
                : message instanceof PassableDescriptor ? 1 : ((Buffer) message).readableBytes();
    }

    /**
     * One step, called when the outbound queue is empty: moves the buffers up to the next
     * region into the outbound queue, or sends some of the current region.
     */
    Step send(int socket, BufferAllocator allocator, Supplier<ChannelPromise> newPromise) {
        if (current == null) {
            while (!backlog.isEmpty() && backlog.peek() instanceof Buffer) {
                Buffer buffer = (Buffer) backlog.poll();
                outbound.adjustHeldBytes(-buffer.readableBytes());
                outbound.add(buffer, (ChannelPromise) backlog.poll());
            }
            if (!outbound.isEmpty() || backlog.isEmpty()) {
                return Step.PROGRESS;
            }
            if (backlog.peek() instanceof PassableDescriptor) {
                return sendDescriptor(socket);
            }
            current = (FileRegion) backlog.poll();
            currentPromise = (ChannelPromise) backlog.poll();
            currentSent = 0;
        }
        if (currentSent == current.count()) {
            finishCurrent();
            return Step.PROGRESS;
        }
        return current.isZeroCopy() ? sendfile(socket) : copyChunk(allocator, newPromise);
    }

    /** Passes the descriptor at the head of the backlog, with its NUL byte; the write's reference goes once sent. */
    private Step sendDescriptor(int socket) {
        PassableDescriptor handle = (PassableDescriptor) backlog.peek();
        if (handle.refCnt() == 0) {   // closed by its writer before it could leave: this write only fails
            backlog.poll();
            outbound.adjustHeldBytes(-1);
            ((ChannelPromise) backlog.poll()).tryFailure(new IOException(handle + " was closed before it was sent"));
            return Step.PROGRESS;
        }
        long n = PassedDescriptors.send(socket, handle.fd());
        if (n == -Errno.EAGAIN) {
            return Step.SOCKET_FULL;
        }
        if (n < 0) {
            return fail(Errno.exception((int) -n, "sendmsg", "SCM_RIGHTS of " + handle));
        }
        backlog.poll();
        ChannelPromise promise = (ChannelPromise) backlog.poll();
        outbound.adjustHeldBytes(-1);
        outbound.countWrittenBeside(1);
        release(handle, null);   // our copy: the peer has its own now
        promise.trySuccess();
        return Step.PROGRESS;
    }

    private Step sendfile(int socket) {
        long n = RegularFiles.sendfile(socket, REGIONS.fd(current), current.position() + currentSent,
                Math.min(MAX_SENDFILE, current.count() - currentSent));
        if (n == -Errno.EAGAIN) {
            return Step.SOCKET_FULL;
        }
        if (n < 0) {
            return fail(Errno.exception((int) -n, "sendfile", "of " + current));
        }
        if (n == 0) {
            return fail(shrank());
        }
        sent(n);
        outbound.countWrittenBeside(n);
        if (currentSent == current.count()) {
            finishCurrent();
        }
        return Step.PROGRESS;
    }

    private Step copyChunk(BufferAllocator allocator, Supplier<ChannelPromise> newPromise) {
        int length = (int) Math.min(COPY_CHUNK, current.count() - currentSent);
        Buffer chunk = allocator.allocate(length);
        try {
            while (chunk.readableBytes() < length) {
                if (current.readInto(chunk, currentSent + chunk.readableBytes(), length - chunk.readableBytes()) == 0) {
                    chunk.release();
                    return fail(shrank());
                }
            }
        } catch (IOException | RuntimeException e) {   // a channel not open for reading, say
            chunk.release();
            return fail(new IOException("reading " + current + " failed: " + e, e));
        }
        sent(length);
        ChannelPromise chunkPromise = newPromise.get();
        FileRegion region = current;
        ChannelPromise regionPromise = currentPromise;
        boolean last = currentSent == region.count();
        chunkPromise.addListener(f -> {
            if (!f.isSuccess()) {
                regionPromise.tryFailure(f.cause());
            } else if (last) {
                regionPromise.trySuccess();
            }
        });
        if (last) {   // the region is done once this chunk is written; the file can go now
            current = null;
            currentPromise = null;
            release(region, null);
        }
        outbound.add(chunk, chunkPromise);
        return Step.PROGRESS;
    }

    private void sent(long n) {
        currentSent += n;
        REGIONS.advance(current, n);
        outbound.adjustHeldBytes(-n);
    }

    private IOException shrank() {
        return new IOException(current + ": the file ended after " + (current.position() + currentSent)
                + " bytes, inside the region (" + currentSent + " of its " + current.count()
                + " bytes sent); was it truncated while being sent?");
    }

    private void finishCurrent() {
        FileRegion region = current;
        ChannelPromise promise = currentPromise;
        current = null;
        currentPromise = null;
        release(region, null);
        promise.trySuccess();
    }

    private Step fail(IOException cause) {
        failure = cause;
        return Step.FAILED;
    }

    /** The failure the last {@link Step#FAILED} reported. */
    IOException failure() {
        return failure;
    }

    /** The channel closed or failed: every region and waiting buffer is released, its promise failed. */
    void failAll(Throwable cause) {
        if (current != null) {
            outbound.adjustHeldBytes(-(current.count() - currentSent));
            FileRegion region = current;
            ChannelPromise promise = currentPromise;
            current = null;
            currentPromise = null;
            release(region, cause);
            promise.tryFailure(cause);
        }
        while (!backlog.isEmpty()) {
            ReferenceCounted message = (ReferenceCounted) backlog.poll();
            ChannelPromise promise = (ChannelPromise) backlog.poll();
            outbound.adjustHeldBytes(-heldBytes(message));
            release(message, cause);
            promise.tryFailure(cause);
        }
    }

    /** Releases {@code message}; a failure to (closing the file) is added to {@code cause}, or dropped with none. */
    private static void release(ReferenceCounted message, Throwable cause) {
        try {
            message.release();
        } catch (RuntimeException e) {
            if (cause != null) {
                cause.addSuppressed(e);
            }
        }
    }
}
