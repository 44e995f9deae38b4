package io.panamanetty.internal;

import io.panamanetty.buffer.Buffer;

/**
 * What the channel layer needs to know about buffers and users must not rely on: which
 * buffer object carries a reference, and how many retains and releases went through it.
 * Not exported from the module. Filled in by {@link Buffer}'s class initializer.
 */
public final class BufferInternals {
    private static volatile Access access;

    /** The accessor {@link Buffer} installs. */
    public interface Access {
        /**
         * The buffer object that carries {@code buffer}'s reference: the buffer itself for
         * a root or a retained view (retainedSlice, retainedDuplicate, readBytes(int)),
         * the parent's carrier for a plain slice or duplicate.
         */
        Buffer carrier(Buffer buffer);

        /** Retains made through {@code carrier}'s family so far (wrapping int). */
        int retains(Buffer carrier);

        /** Releases made through {@code carrier}'s family so far (wrapping int). */
        int releases(Buffer carrier);

        /**
         * The incarnation of {@code buffer}'s memory: it changes when the memory, freed, is
         * recycled for a new buffer (see {@code PooledBufferAllocator}). A reference taken in
         * an earlier incarnation is gone, whatever the buffer object says now.
         */
        int incarnation(Buffer buffer);
    }

    private BufferInternals() {
    }

    /**
     * Called once, by {@link Buffer}.
     *
     * @throws IllegalStateException on a second call: the accessor is the buffers' alone
     */
    public static synchronized void install(Access buffers) {
        if (access != null) {
            throw new IllegalStateException("BufferInternals is installed already");
        }
        access = buffers;
    }

    /** The installed accessor; loading {@link Buffer} installs it. */
    public static Access access() {
        Access current = access;
        if (current == null) {
            try {
                Class.forName(Buffer.class.getName(), true, Buffer.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new AssertionError(e);
            }
            current = access;
        }
        return current;
    }
}
