package io.panamanetty.bindings;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@code struct io_uring_cqe}, the 16-byte completion queue entry, and its flags.
 *
 * <pre>{@code
 * struct io_uring_cqe { __u64 user_data; __s32 res; __u32 flags; __u64 big_cqe[]; };
 * }</pre>
 * {@code res} is what the operation's system call would have returned, with a failure
 * as {@code -errno}; {@code big_cqe} exists only with IORING_SETUP_CQE32 (not used here).
 */
public final class IoUringCqe {
    /** {@code struct io_uring_cqe}: 16 bytes. */
    public static final StructLayout IO_URING_CQE = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("user_data"),
            ValueLayout.JAVA_INT.withName("res"),
            ValueLayout.JAVA_INT.withName("flags")).withName("io_uring_cqe");

    /** Bytes per CQE (without IORING_SETUP_CQE32). */
    public static final long SIZE = IO_URING_CQE.byteSize();

    /** The upper 16 bits of {@code flags} are the id of the provided buffer used. */
    public static final int IORING_CQE_F_BUFFER = 1;
    /** The SQE (multishot) stays armed: more CQEs of it follow. */
    public static final int IORING_CQE_F_MORE = 1 << 1;
    /** After this receive the socket still has data. */
    public static final int IORING_CQE_F_SOCK_NONEMPTY = 1 << 2;
    /** The zero-copy send's notification that its buffer may be reused. */
    public static final int IORING_CQE_F_NOTIF = 1 << 3;
    /** The provided buffer is only partly used and stays with the kernel (6.12, incremental rings). */
    public static final int IORING_CQE_F_BUF_MORE = 1 << 4;
    /** Shift of the buffer id in {@code flags}. */
    public static final int IORING_CQE_BUFFER_SHIFT = 16;

    private static final long USER_DATA = IO_URING_CQE.byteOffset(groupElement("user_data"));
    private static final long RES = IO_URING_CQE.byteOffset(groupElement("res"));
    private static final long FLAGS = IO_URING_CQE.byteOffset(groupElement("flags"));

    private IoUringCqe() {
    }

    /** {@code user_data} of the CQE at byte {@code offset} of {@code cqes}. */
    public static long userData(MemorySegment cqes, long offset) {
        return cqes.get(ValueLayout.JAVA_LONG, offset + USER_DATA);
    }

    /** {@code res} of the CQE at byte {@code offset}. */
    public static int res(MemorySegment cqes, long offset) {
        return cqes.get(ValueLayout.JAVA_INT, offset + RES);
    }

    /** {@code flags} of the CQE at byte {@code offset}. */
    public static int flags(MemorySegment cqes, long offset) {
        return cqes.get(ValueLayout.JAVA_INT, offset + FLAGS);
    }

    /** The provided-buffer id in {@code flags} (meaningful with {@link #IORING_CQE_F_BUFFER}). */
    public static int bufferId(int flags) {
        return flags >>> IORING_CQE_BUFFER_SHIFT;
    }
}
