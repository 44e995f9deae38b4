package io.panamanetty.bindings;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * What {@code IORING_REGISTER_PROBE} reports: the opcodes this kernel knows.
 *
 * <pre>{@code
 * struct io_uring_probe_op { __u8 op; __u8 resv; __u16 flags; __u32 resv2; };  // flags: IO_URING_OP_SUPPORTED
 * struct io_uring_probe { __u8 last_op; __u8 ops_len; __u16 resv; __u32 resv2[3];
 *                         struct io_uring_probe_op ops[]; };
 * }</pre>
 * The caller passes a zeroed probe with room for {@code n} ops and {@code nr_args = n};
 * the kernel fills {@code ops[0..min(n, last_op + 1))}.
 */
public final class IoUringProbe {
    /** {@code struct io_uring_probe_op}: 8 bytes. */
    public static final StructLayout IO_URING_PROBE_OP = MemoryLayout.structLayout(
            ValueLayout.JAVA_BYTE.withName("op"),
            ValueLayout.JAVA_BYTE.withName("resv"),
            ValueLayout.JAVA_SHORT.withName("flags"),
            ValueLayout.JAVA_INT.withName("resv2")).withName("io_uring_probe_op");

    /** {@code struct io_uring_probe} without its flexible {@code ops} array: 16 bytes. */
    public static final StructLayout IO_URING_PROBE = MemoryLayout.structLayout(
            ValueLayout.JAVA_BYTE.withName("last_op"),
            ValueLayout.JAVA_BYTE.withName("ops_len"),
            ValueLayout.JAVA_SHORT.withName("resv"),
            MemoryLayout.sequenceLayout(3, ValueLayout.JAVA_INT).withName("resv2")).withName("io_uring_probe");

    public static final int IO_URING_OP_SUPPORTED = 1;

    /** Room for this many ops: opcodes are a {@code __u8}. */
    private static final int MAX_OPS = 256;
    private static final long PROBE_SIZE = IO_URING_PROBE.byteSize() + MAX_OPS * IO_URING_PROBE_OP.byteSize();

    private static final long LAST_OP = IO_URING_PROBE.byteOffset(groupElement("last_op"));
    private static final long OPS_LEN = IO_URING_PROBE.byteOffset(groupElement("ops_len"));
    private static final long OP_FLAGS = IO_URING_PROBE_OP.byteOffset(groupElement("flags"));

    private IoUringProbe() {
    }

    /** Bytes of a probe with room for every opcode (256, as opcodes are a {@code __u8}). */
    public static long probeSize() {
        return PROBE_SIZE;
    }

    /**
     * Zeroes {@code probe} ({@link #probeSize()} bytes) and asks the ring {@code ringFd} to fill it.
     * Returns 0 or {@code -errno} ({@code -EINVAL} before Linux 5.6).
     */
    public static int probe(int ringFd, MemorySegment probe) {
        probe.asSlice(0, PROBE_SIZE).fill((byte) 0);
        return IoUring.register(ringFd, IoUring.IORING_REGISTER_PROBE, probe.address(), MAX_OPS);
    }

    /** {@code last_op}: the highest opcode this kernel knows. */
    public static int lastOp(MemorySegment probe) {
        return Byte.toUnsignedInt(probe.get(ValueLayout.JAVA_BYTE, LAST_OP));
    }

    /** {@code ops_len}: the number of ops filled in. */
    public static int opsLength(MemorySegment probe) {
        return Byte.toUnsignedInt(probe.get(ValueLayout.JAVA_BYTE, OPS_LEN));
    }

    /** Whether the filled probe marks {@code opcode} supported. */
    public static boolean supports(MemorySegment probe, int opcode) {
        if (opcode < 0 || opcode >= opsLength(probe)) {
            return false;
        }
        long op = IO_URING_PROBE.byteSize() + opcode * IO_URING_PROBE_OP.byteSize();
        return (probe.get(ValueLayout.JAVA_SHORT, op + OP_FLAGS) & IO_URING_OP_SUPPORTED) != 0;
    }
}
