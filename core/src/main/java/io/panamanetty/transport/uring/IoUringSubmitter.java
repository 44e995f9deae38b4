package io.panamanetty.transport.uring;

import java.lang.foreign.MemorySegment;

/**
 * Where the handler's parts get SQEs: a free one always (submitting first if the SQ is full).
 * Getting one never hands out completions: nothing of the caller's can run meanwhile.
 */
interface IoUringSubmitter {
    /** The byte offset of a free SQE in {@link #sqes()}. */
    long sqe();

    /**
     * Makes sure the next {@code count} calls of {@link #sqe} take SQEs without submitting in
     * between: a linked chain (IOSQE_IO_LINK) reserves its length before its first SQE.
     */
    void reserve(int count);

    /** The ring's SQE array. */
    MemorySegment sqes();
}
