package io.panamanetty.channel.internal;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.IllegalReferenceCountException;
import io.panamanetty.channel.ChannelConfig;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.internal.BufferInternals;

import java.util.ArrayList;
import java.util.List;

/**
 * A channel's queue of buffers waiting to be written, with their promises, kept in
 * ring arrays (no node per write), and the one place where the channel's writability is
 * decided: queued bytes plus the bytes handlers hold ({@code PendingOutboundBytes})
 * against the config's water marks. Event-loop confined, except {@link #isWritable()}.
 *
 * <p>Readiness and completion transports use it alike: a readiness transport (epoll)
 * describes the head, writes, and calls {@link #removeWritten} with what the kernel took;
 * a completion transport keeps the described entries in flight (the kernel reads their
 * memory), calls {@link #removeWritten} when the completion arrives, and calls
 * {@link #failAll} on close only once its registration is quiet
 * ({@link io.panamanetty.channel.IoRegistration#cancel}), never while a write is in flight.
 *
 * <p>Each entry remembers its buffer's {@linkplain BufferInternals.Access#incarnation
 * incarnation} and size: a buffer written twice on one reference is freed by the first
 * write's release and may be recycled before the second entry is sent. Such an entry is
 * dropped unsent, its promise failed, rather than sending (or releasing) whatever buffer
 * the object has become.
 */
public final class OutboundBuffer {
    private static final BufferInternals.Access BUFFERS = BufferInternals.access();

    /** Room for a few writes (a power of two): most connections never queue more, and the arrays grow on demand. */
    private static final int INITIAL_CAPACITY = 4;

    private Buffer[] buffers = new Buffer[INITIAL_CAPACITY];
    private ChannelPromise[] promises = new ChannelPromise[INITIAL_CAPACITY];
    private int[] incarnations = new int[INITIAL_CAPACITY];
    /** Bytes each entry had when queued, less what was written of it. */
    private int[] queuedBytes = new int[INITIAL_CAPACITY];
    private int head;
    private int size;
    private long pendingBytes;
    /** Outbound bytes handlers hold before they reach this queue; they count toward writability. */
    private long heldBytes;
    /** Bytes written from this queue since it was made: only grows. */
    private long writtenBytes;
    private final WaterMarkWritability writability = new WaterMarkWritability();

    /** Where {@link #describe} puts the queued buffers (an iovec array, say). */
    public interface Sink {
        /** The {@code index}-th readable range to send: {@code length} bytes at {@code address}. */
        void put(int index, long address, int length);
    }

    /** An empty queue; writable. */
    public OutboundBuffer() {
    }

    /** True when nothing is queued. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** Bytes queued and not yet written. */
    public long pendingBytes() {
        return pendingBytes;
    }

    /** Queued and held bytes together: what writability is judged on. */
    public long pendingAndHeldBytes() {
        return pendingBytes + heldBytes;
    }

    /** Counts {@code bytes} that left beside the queue (a file region's {@code sendfile}) in {@link #writtenBytes()}. */
    public void countWrittenBeside(long bytes) {
        writtenBytes += bytes;
    }

    /** Bytes written from this queue (taken by the kernel) since it was made; only grows. */
    public long writtenBytes() {
        return writtenBytes;
    }

    /**
     * As writers see it: true while queued and held bytes are below the high water mark (or,
     * once above, until below the low one). Returning false counts as seen ({@link WaterMarkWritability}).
     */
    public boolean isWritable() {
        return writability.isWritable();
    }

    /** {@link #isWritable()} for the transport's own checks: not counted as a writer's view. */
    public boolean peekWritable() {
        return writability.peek();
    }

    /** Adds {@code delta} (negative: subtracts) to the bytes handlers hold; call {@link #updateWritability} after. */
    public void adjustHeldBytes(long delta) {
        heldBytes = Math.max(0, heldBytes + delta);
    }

    /**
     * Turns unwritable once queued and held bytes pass {@code config}'s high water mark, and
     * writable again once they fall below its low one (see {@link WaterMarkWritability}).
     *
     * @return whether an event is owed now (the caller fires {@code channelWritabilityChanged})
     */
    public boolean updateWritability(ChannelConfig config) {
        return writability.update(pendingBytes + heldBytes, config);
    }

    /**
     * Like {@link #updateWritability}, the event left for a later task that fires it if
     * {@link #announceWritability()} says so.
     *
     * @return whether writability changed (the caller schedules that task)
     */
    public boolean updateWritabilityLater(ChannelConfig config) {
        return writability.updateLater(pendingBytes + heldBytes, config);
    }

    /** For a task that {@link #updateWritabilityLater} asked for: whether an event is still owed. */
    public boolean announceWritability() {
        return writability.announce();
    }

    /** Queues {@code buffer} (whose reference passes to the queue) with the promise of its write. */
    public void add(Buffer buffer, ChannelPromise promise) {
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
    public Buffer first() {
        if (size > 0 && released(head)) {
            dropReleased();
        }
        return size == 0 ? null : buffers[head];
    }

    /** The number of queued buffers. */
    public int size() {
        return size;
    }

    /**
     * Describes up to {@code maxCount} queued buffers (skipping empty ones) to {@code sink};
     * returns how many ranges were put. Drops the entries whose buffer was released before
     * being sent ({@link #dropReleased()}) first.
     */
    public int describe(Sink sink, int maxCount) {
        int count = 0;
        int mask = buffers.length - 1;
        for (int i = 0; i < size && count < maxCount; i++) {
            int index = (head + i) & mask;
            if (released(index)) {
                dropReleased();   // rare: a buffer written twice on one reference
                return describe(sink, maxCount);
            }
            Buffer buffer = buffers[index];
            int readable = buffer.readableBytes();
            if (readable > 0) {
                sink.put(count++, buffer.memoryAddress() + buffer.readerIndex(), readable);
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
    public void removeWritten(long written) {
        writtenBytes += written;
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
    public void failAll(Throwable cause) {
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
