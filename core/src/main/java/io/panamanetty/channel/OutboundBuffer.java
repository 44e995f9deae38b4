package io.panamanetty.channel;

import io.panamanetty.bindings.IoVec;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.IllegalReferenceCountException;
import io.panamanetty.internal.BufferInternals;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A channel's queue of buffers waiting to be written, with their promises, kept in
 * ring arrays (no node per write). Event-loop confined.
 *
 * <p>Each entry remembers its buffer's {@linkplain BufferInternals.Access#incarnation
 * incarnation} and size: a buffer written twice on one reference is freed by the first
 * write's release and may be recycled before the second entry is sent. Such an entry is
 * dropped unsent, its promise failed, rather than sending (or releasing) whatever buffer
 * the object has become.
 */
final class OutboundBuffer {
    private static final BufferInternals.Access BUFFERS = BufferInternals.access();

    private Buffer[] buffers = new Buffer[16];
    private ChannelPromise[] promises = new ChannelPromise[16];
    private int[] incarnations = new int[16];
    /** Bytes each entry had when queued, less what was written of it. */
    private int[] queuedBytes = new int[16];
    private int head;
    private int size;
    private long pendingBytes;

    boolean isEmpty() {
        return size == 0;
    }

    /** Bytes queued and not yet written. */
    long pendingBytes() {
        return pendingBytes;
    }

    void add(Buffer buffer, ChannelPromise promise) {
        if (size == buffers.length) {
            grow();
        }
        int index = (head + size) & (buffers.length - 1);
        int readable = buffer.readableBytes();
        buffers[index] = buffer;
        promises[index] = promise;
        incarnations[index] = BUFFERS.incarnation(buffer);
        queuedBytes[index] = readable;
        size++;
        pendingBytes += readable;
    }

    private void grow() {
        int capacity = buffers.length;
        Buffer[] newBuffers = new Buffer[capacity * 2];
        ChannelPromise[] newPromises = new ChannelPromise[capacity * 2];
        int[] newIncarnations = new int[capacity * 2];
        int[] newQueuedBytes = new int[capacity * 2];
        for (int i = 0; i < size; i++) {
            int from = (head + i) & (capacity - 1);
            newBuffers[i] = buffers[from];
            newPromises[i] = promises[from];
            newIncarnations[i] = incarnations[from];
            newQueuedBytes[i] = queuedBytes[from];
        }
        buffers = newBuffers;
        promises = newPromises;
        incarnations = newIncarnations;
        queuedBytes = newQueuedBytes;
        head = 0;
    }

    /** Whether the buffer of the entry at ring index {@code index} was freed since it was queued. */
    private boolean released(int index) {
        Buffer buffer = buffers[index];
        return BUFFERS.incarnation(buffer) != incarnations[index] || buffer.refCnt() == 0;
    }

    /**
     * Drops the entries whose buffer was released before being sent (written twice on one
     * reference), failing their promises; the others keep their order.
     */
    private void dropReleased() {
        int mask = buffers.length - 1;
        int kept = 0;
        List<ChannelPromise> failed = null;
        for (int i = 0; i < size; i++) {
            int from = (head + i) & mask;
            if (released(from)) {
                pendingBytes -= queuedBytes[from];
                if (failed == null) {
                    failed = new ArrayList<>();
                }
                failed.add(promises[from]);
                buffers[from] = null;
                promises[from] = null;
                continue;
            }
            if (kept != i) {
                int to = (head + kept) & mask;
                buffers[to] = buffers[from];
                promises[to] = promises[from];
                incarnations[to] = incarnations[from];
                queuedBytes[to] = queuedBytes[from];
                buffers[from] = null;
                promises[from] = null;
            }
            kept++;
        }
        size = kept;
        if (failed != null) {   // only now: a listener may write, and so add to this queue
            for (ChannelPromise promise : failed) {
                promise.tryFailure(new IllegalReferenceCountException("a buffer was released before it was"
                        + " written: each write takes one reference (retain() or retainedDuplicate() to write it twice)"));
            }
        }
    }

    /** The first buffer, or null; drops it first if it was released before being sent ({@link #dropReleased()}). */
    Buffer first() {
        if (size > 0 && released(head)) {
            dropReleased();
        }
        return size == 0 ? null : buffers[head];
    }

    /** The number of queued buffers. */
    int size() {
        return size;
    }

    /**
     * Describes up to {@code maxCount} queued buffers (skipping empty ones) in the
     * iovec array {@code iovecs}; returns how many entries were filled. Drops the entries
     * whose buffer was released before being sent ({@link #dropReleased()}) first.
     */
    int fillIovecs(MemorySegment iovecs, int maxCount) {
        int count = 0;
        int mask = buffers.length - 1;
        for (int i = 0; i < size && count < maxCount; i++) {
            int index = (head + i) & mask;
            if (released(index)) {
                dropReleased();   // rare: a buffer written twice on one reference
                return fillIovecs(iovecs, maxCount);
            }
            Buffer buffer = buffers[index];
            int readable = buffer.readableBytes();
            if (readable > 0) {
                IoVec.set(iovecs, count++, buffer.memoryAddress() + buffer.readerIndex(), readable);
            }
        }
        return count;
    }

    /**
     * Accounts for {@code written} bytes having left: fully written buffers are released
     * and their promises succeed; a partly written one advances its reader index. An entry
     * whose buffer was released meanwhile (by a promise listener, written twice on one
     * reference) went out as it was, but is not released again: its promise fails.
     */
    void removeWritten(long written) {
        while (size > 0) {
            int mask = buffers.length - 1;   // a promise's listener may have grown the arrays
            Buffer buffer = buffers[head];
            boolean released = released(head);
            int remaining = released ? queuedBytes[head] : buffer.readableBytes();
            if (remaining > written) {
                if (!released) {
                    buffer.readerIndex(buffer.readerIndex() + (int) written);
                }
                pendingBytes -= written;
                queuedBytes[head] -= (int) written;
                return;   // a released entry's rest is dropped by the next dropReleased()
            }
            written -= remaining;
            pendingBytes -= queuedBytes[head];
            ChannelPromise promise = promises[head];
            buffers[head] = null;
            promises[head] = null;
            head = (head + 1) & mask;
            size--;
            if (released) {
                promise.tryFailure(new IllegalReferenceCountException("a buffer was released while it was being"
                        + " written: each write takes one reference (retain() or retainedDuplicate() to write it twice)"));
                continue;
            }
            try {
                buffer.release();
            } catch (RuntimeException e) {   // released twice by its writer: report it on the write
                promise.tryFailure(e);
                continue;
            }
            promise.trySuccess();
        }
    }

    /** Releases every queued buffer and fails its promise with {@code cause}. */
    void failAll(Throwable cause) {
        while (size > 0) {
            int mask = buffers.length - 1;
            Buffer buffer = buffers[head];
            ChannelPromise promise = promises[head];
            boolean released = released(head);
            buffers[head] = null;
            promises[head] = null;
            head = (head + 1) & mask;
            size--;
            if (!released) {
                try {
                    buffer.release();
                } catch (RuntimeException e) {
                    cause.addSuppressed(e);
                }
            }
            promise.tryFailure(cause);
        }
        pendingBytes = 0;
    }
}
