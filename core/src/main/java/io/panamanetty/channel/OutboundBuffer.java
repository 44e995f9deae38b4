package io.panamanetty.channel;

import io.panamanetty.bindings.IoVec;
import io.panamanetty.buffer.Buffer;

import java.lang.foreign.MemorySegment;

/**
 * A channel's queue of buffers waiting to be written, with their promises, kept in
 * two ring arrays (no node per write). Event-loop confined.
 */
final class OutboundBuffer {
    private Buffer[] buffers = new Buffer[16];
    private ChannelPromise[] promises = new ChannelPromise[16];
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
        buffers[index] = buffer;
        promises[index] = promise;
        size++;
        pendingBytes += buffer.readableBytes();
    }

    private void grow() {
        int capacity = buffers.length;
        Buffer[] newBuffers = new Buffer[capacity * 2];
        ChannelPromise[] newPromises = new ChannelPromise[capacity * 2];
        for (int i = 0; i < size; i++) {
            newBuffers[i] = buffers[(head + i) & (capacity - 1)];
            newPromises[i] = promises[(head + i) & (capacity - 1)];
        }
        buffers = newBuffers;
        promises = newPromises;
        head = 0;
    }

    /** The first buffer, or null. */
    Buffer first() {
        return size == 0 ? null : buffers[head];
    }

    /** The number of queued buffers. */
    int size() {
        return size;
    }

    /**
     * Describes up to {@code maxCount} queued buffers (skipping empty ones) in the
     * iovec array {@code iovecs}; returns how many entries were filled.
     */
    int fillIovecs(MemorySegment iovecs, int maxCount) {
        int count = 0;
        int mask = buffers.length - 1;
        for (int i = 0; i < size && count < maxCount; i++) {
            Buffer buffer = buffers[(head + i) & mask];
            int readable = buffer.readableBytes();
            if (readable > 0) {
                IoVec.set(iovecs, count++, buffer.memoryAddress() + buffer.readerIndex(), readable);
            }
        }
        return count;
    }

    /**
     * Accounts for {@code written} bytes having left: fully written buffers are released
     * and their promises succeed; a partly written one advances its reader index.
     */
    void removeWritten(long written) {
        while (size > 0) {
            int mask = buffers.length - 1;   // a promise's listener may have grown the arrays
            Buffer buffer = buffers[head];
            int readable = buffer.readableBytes();
            if (readable > written) {
                buffer.readerIndex(buffer.readerIndex() + (int) written);
                pendingBytes -= written;
                return;
            }
            written -= readable;
            pendingBytes -= readable;
            ChannelPromise promise = promises[head];
            buffers[head] = null;
            promises[head] = null;
            head = (head + 1) & mask;
            size--;
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
            buffers[head] = null;
            promises[head] = null;
            head = (head + 1) & mask;
            size--;
            try {
                buffer.release();
            } catch (RuntimeException e) {
                cause.addSuppressed(e);
            }
            promise.tryFailure(cause);
        }
        pendingBytes = 0;
    }
}
