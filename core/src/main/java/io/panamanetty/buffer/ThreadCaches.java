package io.panamanetty.buffer;

import java.lang.ref.WeakReference;

/**
 * Finds the calling thread's {@link ThreadCache} for one allocator, creating it on first use.
 *
 * <p>A {@link ThreadLocal} holds each cache (strongly, for as long as its thread lives, so
 * that a dead thread's cache becomes unreachable and its cleaner returns the blocks). In
 * front of it sits a small table indexed by thread id, whose slot a thread claims the first
 * time it finds it free: it holds the thread's id and a weak reference to its cache, and
 * saves the hash lookup of {@link ThreadLocal#get()} on every allocation and release. A
 * thread whose slot another thread holds simply uses the {@code ThreadLocal}.
 *
 * <p>The table is read and written without synchronization: a thread only ever uses the
 * entry carrying its own id, which it wrote itself; another thread's entry is recognized by
 * its (final) id and ignored.
 */
final class ThreadCaches {
    private static final int SLOTS = 64;

    private final PoolArena arena;
    private final ThreadLocal<ThreadCache> local = new ThreadLocal<>();
    private final Slot[] slots = new Slot[SLOTS];

    private static final class Slot extends WeakReference<ThreadCache> {
        final long threadId;

        Slot(ThreadCache cache, long threadId) {
            super(cache);
            this.threadId = threadId;
        }
    }

    ThreadCaches(PoolArena arena) {
        this.arena = arena;
    }

    /** {@return the calling thread's cache; null on a virtual thread, which gets none} */
    ThreadCache current() {
        Thread thread = Thread.currentThread();
        if (thread.isVirtual()) {
            return null;
        }
        long id = thread.threadId();
        Slot slot = slots[(int) id & (SLOTS - 1)];
        if (slot != null && slot.threadId == id) {
            ThreadCache cache = slot.get();
            if (cache != null) {
                return cache;
            }
        }
        return lookUp(id);
    }

    private ThreadCache lookUp(long id) {
        ThreadCache cache = local.get();
        if (cache == null) {
            cache = new ThreadCache(arena);
            local.set(cache);
        }
        int index = (int) id & (SLOTS - 1);
        Slot slot = slots[index];
        if (slot == null || slot.refersTo(null)) {
            slots[index] = new Slot(cache, id);   // free, or its thread's cache is gone
        }
        return cache;
    }

    /** Closes the calling thread's cache, if it has one, returning its blocks to the shared pools. */
    void closeCurrent() {
        ThreadCache cache = local.get();
        local.remove();
        long id = Thread.currentThread().threadId();
        int index = (int) id & (SLOTS - 1);
        Slot slot = slots[index];
        if (slot != null && slot.threadId == id) {
            slots[index] = null;
        }
        if (cache != null) {
            cache.close();
        }
    }
}
