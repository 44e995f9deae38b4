package io.panamanetty.bindings;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * The structs {@code io_uring_setup} fills in, and the extended argument of
 * {@code io_uring_enter}:
 *
 * <pre>{@code
 * struct io_sqring_offsets { __u32 head, tail, ring_mask, ring_entries, flags, dropped, array, resv1; __u64 resv2; };
 * struct io_cqring_offsets { __u32 head, tail, ring_mask, ring_entries, overflow, cqes, flags, resv1; __u64 resv2; };
 * struct io_uring_params {
 *     __u32 sq_entries, cq_entries, flags, sq_thread_cpu, sq_thread_idle, features, wq_fd, resv[3];
 *     struct io_sqring_offsets sq_off;
 *     struct io_cqring_offsets cq_off;
 * };                                                          // 120 bytes
 * struct io_uring_getevents_arg { __u64 sigmask; __u32 sigmask_sz; __u32 pad; __u64 ts; };
 * }</pre>
 * The ring offsets are byte offsets into the SQ or CQ ring mapping; the ring's head,
 * tail, mask, entry count, flags and overflow counter are {@code __u32}s there.
 */
public final class IoUringParams {
    /** {@code struct io_sqring_offsets}: 40 bytes. */
    public static final StructLayout IO_SQRING_OFFSETS = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("head"),
            ValueLayout.JAVA_INT.withName("tail"),
            ValueLayout.JAVA_INT.withName("ring_mask"),
            ValueLayout.JAVA_INT.withName("ring_entries"),
            ValueLayout.JAVA_INT.withName("flags"),
            ValueLayout.JAVA_INT.withName("dropped"),
            ValueLayout.JAVA_INT.withName("array"),
            ValueLayout.JAVA_INT.withName("resv1"),
            ValueLayout.JAVA_LONG.withName("resv2")).withName("io_sqring_offsets");

    /** {@code struct io_cqring_offsets}: 40 bytes. */
    public static final StructLayout IO_CQRING_OFFSETS = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("head"),
            ValueLayout.JAVA_INT.withName("tail"),
            ValueLayout.JAVA_INT.withName("ring_mask"),
            ValueLayout.JAVA_INT.withName("ring_entries"),
            ValueLayout.JAVA_INT.withName("overflow"),
            ValueLayout.JAVA_INT.withName("cqes"),
            ValueLayout.JAVA_INT.withName("flags"),
            ValueLayout.JAVA_INT.withName("resv1"),
            ValueLayout.JAVA_LONG.withName("resv2")).withName("io_cqring_offsets");

    /** {@code struct io_uring_params}: 120 bytes. */
    public static final StructLayout IO_URING_PARAMS = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("sq_entries"),
            ValueLayout.JAVA_INT.withName("cq_entries"),
            ValueLayout.JAVA_INT.withName("flags"),
            ValueLayout.JAVA_INT.withName("sq_thread_cpu"),
            ValueLayout.JAVA_INT.withName("sq_thread_idle"),
            ValueLayout.JAVA_INT.withName("features"),
            ValueLayout.JAVA_INT.withName("wq_fd"),
            MemoryLayout.sequenceLayout(3, ValueLayout.JAVA_INT).withName("resv"),
            IO_SQRING_OFFSETS.withName("sq_off"),
            IO_CQRING_OFFSETS.withName("cq_off")).withName("io_uring_params");

    /** {@code struct io_uring_getevents_arg}: 24 bytes ({@code ts} points to a {@code __kernel_timespec}). */
    public static final StructLayout IO_URING_GETEVENTS_ARG = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("sigmask"),
            ValueLayout.JAVA_INT.withName("sigmask_sz"),
            ValueLayout.JAVA_INT.withName("pad"),
            ValueLayout.JAVA_LONG.withName("ts")).withName("io_uring_getevents_arg");

    private static final long SQ_ENTRIES = offset("sq_entries");
    private static final long CQ_ENTRIES = offset("cq_entries");
    private static final long FLAGS = offset("flags");
    private static final long FEATURES = offset("features");
    private static final long SQ_OFF = offset("sq_off");
    private static final long CQ_OFF = offset("cq_off");

    private IoUringParams() {
    }

    private static long offset(String field) {
        return IO_URING_PARAMS.byteOffset(groupElement(field));
    }

    /** Zeroes {@code params} and sets the setup flags and (with IORING_SETUP_CQSIZE) the CQ size. */
    public static void prepare(MemorySegment params, int flags, int cqEntries) {
        params.asSlice(0, IO_URING_PARAMS.byteSize()).fill((byte) 0);
        params.set(ValueLayout.JAVA_INT, FLAGS, flags);
        params.set(ValueLayout.JAVA_INT, CQ_ENTRIES, cqEntries);
    }

    /** SQ entries the kernel granted. */
    public static int sqEntries(MemorySegment params) {
        return params.get(ValueLayout.JAVA_INT, SQ_ENTRIES);
    }

    /** CQ entries the kernel granted. */
    public static int cqEntries(MemorySegment params) {
        return params.get(ValueLayout.JAVA_INT, CQ_ENTRIES);
    }

    /** The {@code IORING_FEAT_*} bits of this kernel. */
    public static int features(MemorySegment params) {
        return params.get(ValueLayout.JAVA_INT, FEATURES);
    }

    /** Member {@code field} of {@code sq_off}: a byte offset into the SQ ring mapping. */
    public static int sqOffset(MemorySegment params, String field) {
        return params.get(ValueLayout.JAVA_INT, SQ_OFF + IO_SQRING_OFFSETS.byteOffset(groupElement(field)));
    }

    /** Member {@code field} of {@code cq_off}: a byte offset into the CQ ring mapping. */
    public static int cqOffset(MemorySegment params, String field) {
        return params.get(ValueLayout.JAVA_INT, CQ_OFF + IO_CQRING_OFFSETS.byteOffset(groupElement(field)));
    }
}
