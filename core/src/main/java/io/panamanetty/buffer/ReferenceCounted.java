package io.panamanetty.buffer;

/**
 * An object holding memory through a reference count: a {@link Buffer} or a
 * {@link CompositeBuffer}. Codecs use it to release a message they consumed without knowing
 * which kind it is. A new object has a count of 1; {@link #release()} to 0 frees its memory,
 * and the ownership rule of {@link Buffer} says who releases which reference.
 */
public interface ReferenceCounted {

    /** {@return the current reference count; 0 once freed} */
    int refCnt();

    /**
     * Adds one reference.
     *
     * @return this
     */
    ReferenceCounted retain();

    /**
     * Drops one reference, freeing the memory if it was the last.
     *
     * @return true if the count dropped to 0
     */
    boolean release();

    /**
     * Records {@code hint} (say, the handler that last held the object) for leak reports.
     *
     * @param hint what to record
     * @return this
     */
    ReferenceCounted touch(Object hint);
}
