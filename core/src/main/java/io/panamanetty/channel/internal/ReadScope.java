package io.panamanetty.channel.internal;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.ReferenceCounted;
import io.panamanetty.channel.DatagramPacket;
import io.panamanetty.channel.DomainDatagramPacket;
import io.panamanetty.channel.PassableDescriptor;
import io.panamanetty.internal.BufferInternals;

/**
 * The buffer ownership rule's bookkeeping for one thread: which buffer reference (a
 * datagram's content, for a {@link DatagramPacket}) the
 * running {@code channelRead} callback owns, and whether it has passed it on (written or
 * fired the buffer or a plain view of it, to any channel), or which received descriptor it owns
 * (the same rule, on the descriptor's reference count). A retained view carries a
 * reference of its own, so passing one on does not pass on the callback's. Saved and restored around nested callbacks by
 * {@link HandlerContext}. Event-loop threads keep theirs in their {@link LoopThread};
 * other threads (handlers running on an executor) in a thread-local.
 */
public final class ReadScope {
    static final BufferInternals.Access BUFFERS = BufferInternals.access();
    private static final ThreadLocal<ReadScope> OTHER_THREADS = ThreadLocal.withInitial(ReadScope::new);

    /** The carrier (see {@link BufferInternals.Access#carrier}) of the callback's buffer, its descriptor, or null. */
    Object carrier;
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
        Object carrier = handed != null ? BUFFERS.carrier(handed) : message instanceof PassableDescriptor ? message : null;
        if (carrier != null) {
            ReadScope scope = current();
            if (scope.carrier == carrier) {
                scope.passedOn = true;
            }
        }
    }

    /**
     * Calls {@code context}'s {@code channelRead} with a message that holds no buffer. A
     * received descriptor is the callback's: unless it passed it on, or released it at least
     * as often as it retained it, the framework releases (closes) it when the callback returns.
     */
    static void invokeWithoutBuffer(HandlerContext context, Object message) {
        ReferenceCounted descriptor = message instanceof PassableDescriptor passable ? passable : null;
        ReadScope scope = descriptor == null ? null : current();
        Object outerCarrier = scope == null ? null : scope.carrier;
        boolean outerPassedOn = scope != null && scope.passedOn;
        int countBefore = descriptor == null ? 0 : descriptor.refCnt();
        if (scope != null) {
            scope.carrier = descriptor;
            scope.passedOn = false;
        }
        boolean passedOn = false;
        try {
            context.handler.channelRead(context, message);
        } catch (Throwable t) {
            context.invokeExceptionCaught(t);
        } finally {
            if (scope != null) {
                passedOn = scope.passedOn;
                scope.carrier = outerCarrier;
                scope.passedOn = outerPassedOn;
            }
        }
        if (descriptor != null && !passedOn) {
            int count = descriptor.refCnt();
            if (count > 0 && count >= countBefore) {
                descriptor.release();   // neither passed on nor closed: the callback's reference ends here
            }
        }
    }

    /** The buffer the ownership rule follows for {@code message}: a buffer, a datagram's content (UDP or Unix), else null. */
    static Buffer bufferOf(Object message) {
        if (message instanceof Buffer buffer) {
            return buffer;
        }
        if (message instanceof DatagramPacket packet) {
            return packet.content();
        }
        return message instanceof DomainDatagramPacket packet ? packet.content() : null;
    }
}
