package io.panamanetty.transport.epoll;

/**
 * Guesses how big the next read buffer should be from what the last reads filled:
 * grows fast when reads fill the buffer, shrinks slowly when they do not.
 */
final class AdaptiveReadSize {
    static final int MIN = 64;
    static final int INITIAL = 2048;
    static final int MAX = 64 * 1024;

    private int size = INITIAL;
    private boolean shrinkPending;

    /** The size to allocate for the next read. */
    int next() {
        return size;
    }

    /** Records that a read of a buffer of {@link #next()} bytes returned {@code bytesRead}. */
    void record(int bytesRead) {
        if (bytesRead >= size) {
            size = Math.min(MAX, size * 2);
            shrinkPending = false;
        } else if (bytesRead <= size / 4) {
            if (shrinkPending) {
                size = Math.max(MIN, size / 2);
                shrinkPending = false;
            } else {
                shrinkPending = true;
            }
        } else {
            shrinkPending = false;
        }
    }
}
