package io.panamanetty.channel;

import io.panamanetty.buffer.Buffer;

/**
 * The buffer ownership rule's bookkeeping for one thread: which buffer the running
 * {@code channelRead} callback owns, and whether it has passed it on (written or
 * fired it, to any channel). Saved and restored around nested callbacks by
 * {@link HandlerContext}. Event-loop threads keep theirs in their {@link EventLoop};
 * other threads (handlers running on an executor) in a thread-local.
 */
final class ReadScope {
    private static final ThreadLocal<ReadScope> OTHER_THREADS = ThreadLocal.withInitial(ReadScope::new);

    Buffer buffer;
    boolean passedOn;

    /** The calling thread's scope. */
    static ReadScope current() {
        EventLoop loop = EventLoop.current();
        return loop != null ? loop.readScope : OTHER_THREADS.get();
    }

    /**
     * Records that {@code message} is being passed on by the calling thread; if it is the
     * buffer of the running channelRead callback, the callback no longer owns it.
     */
    static void noteHandOff(Object message) {
        if (message instanceof Buffer handed) {
            ReadScope scope = current();
            if (scope.buffer != null && handed.sharesReferenceCount(scope.buffer)) {
                scope.passedOn = true;
            }
        }
    }
}
