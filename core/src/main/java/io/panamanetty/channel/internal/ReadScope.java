package io.panamanetty.channel.internal;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.DatagramPacket;
import io.panamanetty.internal.BufferInternals;

/**
 * The buffer ownership rule's bookkeeping for one thread: which buffer reference (a
 * datagram's content, for a {@link DatagramPacket}) the
 * running {@code channelRead} callback owns, and whether it has passed it on (written or
 * fired the buffer or a plain view of it, to any channel). A retained view carries a
 * reference of its own, so passing one on does not pass on the callback's. Saved and restored around nested callbacks by
 * {@link HandlerContext}. Event-loop threads keep theirs in their {@link LoopThread};
 * other threads (handlers running on an executor) in a thread-local.
 */
public final class ReadScope {
    static final BufferInternals.Access BUFFERS = BufferInternals.access();
    private static final ThreadLocal<ReadScope> OTHER_THREADS = ThreadLocal.withInitial(ReadScope::new);

    /** The carrier (see {@link BufferInternals.Access#carrier}) of the callback's buffer, or null. */
    Buffer carrier;
    boolean passedOn;

    /** The calling thread's scope. */
    static ReadScope current() {
        return Thread.currentThread() instanceof LoopThread loopThread ? loopThread.readScope : OTHER_THREADS.get();
    }

    /**
     * Records that {@code message} is being passed on by the calling thread; if it is the
     * buffer of the running channelRead callback, the callback no longer owns it.
     */
    public static void noteHandOff(Object message) {
        Buffer handed = bufferOf(message);
        if (handed != null) {
            ReadScope scope = current();
            if (scope.carrier != null && BUFFERS.carrier(handed) == scope.carrier) {
                scope.passedOn = true;
            }
        }
    }

    /** The buffer the ownership rule follows for {@code message}: a buffer, a datagram's content, else null. */
    static Buffer bufferOf(Object message) {
        if (message instanceof Buffer buffer) {
            return buffer;
        }
        return message instanceof DatagramPacket packet ? packet.content() : null;
    }
}
