package io.panamanetty.buffer;

import java.util.ArrayDeque;

/**
 * Keeps released {@link CompositeBuffer} objects per platform thread for reuse, so that
 * composing a message allocates nothing in the steady state. Virtual threads get none.
 * {@code -Dio.panamanetty.allocator.recycle=false} turns reuse off, as for pooled buffers.
 */
final class CompositeBufferPool {
    private static final boolean RECYCLE = Boolean.parseBoolean(
            System.getProperty("io.panamanetty.allocator.recycle", "true").trim());
    /** The most objects a thread keeps. */
    private static final int KEPT = 64;
    private static final ThreadLocal<ArrayDeque<CompositeBuffer>> FREE =
            ThreadLocal.withInitial(() -> new ArrayDeque<>(KEPT));

    private CompositeBufferPool() {
    }

    /** {@return a kept object, or null if this thread has none} */
    static CompositeBuffer take() {
        if (!RECYCLE || Thread.currentThread().isVirtual()) {
            return null;
        }
        return FREE.get().pollFirst();
    }

    /** Keeps {@code released} (count 0, no components) for reuse by this thread, if there is room. */
    static void give(CompositeBuffer released) {
        if (!RECYCLE || Thread.currentThread().isVirtual()) {
            return;
        }
        ArrayDeque<CompositeBuffer> free = FREE.get();
        if (free.size() < KEPT) {
            free.addFirst(released);
        }
    }
}
