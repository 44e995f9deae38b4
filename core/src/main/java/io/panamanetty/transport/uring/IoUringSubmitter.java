package io.panamanetty.transport.uring;

import java.lang.foreign.MemorySegment;

/** Where the handler's parts get SQEs: a free one always (submitting first if the SQ is full). */
interface IoUringSubmitter {
    /** The byte offset of a free SQE in {@link #sqes()}. */
    long sqe();

    /** The ring's SQE array. */
    MemorySegment sqes();
}
