package io.panamanetty.bindings;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@code struct io_uring_sqe} (the 64-byte submission queue entry), the opcodes and the
 * per-SQE and per-opcode flags used here.
 *
 * <pre>{@code
 * struct io_uring_sqe {
 *     __u8 opcode; __u8 flags; __u16 ioprio; __s32 fd;
 *     union { __u64 off; __u64 addr2; struct { __u32 cmd_op; __u32 __pad1; }; };
 *     union { __u64 addr; __u64 splice_off_in; };
 *     __u32 len;
 *     union { __kernel_rwf_t rw_flags; __u32 msg_flags, timeout_flags, accept_flags,
 *             cancel_flags, msg_ring_flags, poll32_events, ...; };
 *     __u64 user_data;
 *     union { __u16 buf_index; __u16 buf_group; } __attribute__((packed));
 *     __u16 personality;
 *     union { __s32 splice_fd_in; __u32 file_index; struct { __u16 addr_len; __u16 __pad3[1]; }; };
 *     union { struct { __u64 addr3; __u64 __pad2[1]; }; __u8 cmd[0]; };
 * };
 * }</pre>
 * The layout names one member of each union (the C names of the others are the setters'
 * names here). The setters write into a mapped SQE array at a byte offset, so filling an
 * SQE creates no object.
 */
public final class IoUringSqe {
    /** {@code struct io_uring_sqe}: 64 bytes. */
    public static final StructLayout IO_URING_SQE = MemoryLayout.structLayout(
            ValueLayout.JAVA_BYTE.withName("opcode"),
            ValueLayout.JAVA_BYTE.withName("flags"),
            ValueLayout.JAVA_SHORT.withName("ioprio"),
            ValueLayout.JAVA_INT.withName("fd"),
            ValueLayout.JAVA_LONG.withName("off"),
            ValueLayout.JAVA_LONG.withName("addr"),
            ValueLayout.JAVA_INT.withName("len"),
            ValueLayout.JAVA_INT.withName("rw_flags"),
            ValueLayout.JAVA_LONG.withName("user_data"),
            ValueLayout.JAVA_SHORT.withName("buf_index"),
            ValueLayout.JAVA_SHORT.withName("personality"),
            ValueLayout.JAVA_INT.withName("splice_fd_in"),
            ValueLayout.JAVA_LONG.withName("addr3"),
            MemoryLayout.sequenceLayout(1, ValueLayout.JAVA_LONG).withName("__pad2")).withName("io_uring_sqe");

    /** Bytes per SQE (without IORING_SETUP_SQE128). */
    public static final long SIZE = IO_URING_SQE.byteSize();

    // enum io_uring_op (those used here)
    public static final int IORING_OP_NOP = 0;
    public static final int IORING_OP_READV = 1;
    public static final int IORING_OP_WRITEV = 2;
    public static final int IORING_OP_POLL_ADD = 6;
    public static final int IORING_OP_POLL_REMOVE = 7;
    public static final int IORING_OP_SENDMSG = 9;
    public static final int IORING_OP_RECVMSG = 10;
    public static final int IORING_OP_TIMEOUT = 11;
    public static final int IORING_OP_TIMEOUT_REMOVE = 12;
    public static final int IORING_OP_ACCEPT = 13;
    public static final int IORING_OP_ASYNC_CANCEL = 14;
    public static final int IORING_OP_LINK_TIMEOUT = 15;
    public static final int IORING_OP_CONNECT = 16;
    public static final int IORING_OP_CLOSE = 19;
    public static final int IORING_OP_READ = 22;
    public static final int IORING_OP_WRITE = 23;
    public static final int IORING_OP_SEND = 26;
    public static final int IORING_OP_RECV = 27;
    public static final int IORING_OP_PROVIDE_BUFFERS = 31;
    public static final int IORING_OP_REMOVE_BUFFERS = 32;
    public static final int IORING_OP_SHUTDOWN = 34;
    public static final int IORING_OP_MSG_RING = 40;
    public static final int IORING_OP_SOCKET = 45;
    public static final int IORING_OP_SEND_ZC = 47;
    public static final int IORING_OP_SENDMSG_ZC = 48;

    // sqe->flags
    public static final int IOSQE_FIXED_FILE = 1;
    public static final int IOSQE_IO_DRAIN = 1 << 1;
    /** The next SQE starts only once this one completed successfully. */
    public static final int IOSQE_IO_LINK = 1 << 2;
    public static final int IOSQE_IO_HARDLINK = 1 << 3;
    public static final int IOSQE_ASYNC = 1 << 4;
    /** Take the buffer from the provided-buffer group in {@code buf_group}. */
    public static final int IOSQE_BUFFER_SELECT = 1 << 5;
    /** Post no CQE if the request succeeds. */
    public static final int IOSQE_CQE_SKIP_SUCCESS = 1 << 6;

    // accept: sqe->ioprio
    /** One accept SQE keeps accepting, each connection a CQE with IORING_CQE_F_MORE (5.19). */
    public static final int IORING_ACCEPT_MULTISHOT = 1;
    // send/recv: sqe->ioprio
    public static final int IORING_RECVSEND_POLL_FIRST = 1;
    /** One recv SQE keeps receiving into provided buffers (6.0). */
    public static final int IORING_RECV_MULTISHOT = 1 << 1;
    public static final int IORING_RECVSEND_FIXED_BUF = 1 << 2;
    /** Receive or send several provided buffers in one CQE (6.10): newer than the installed headers. */
    public static final int IORING_RECVSEND_BUNDLE = 1 << 4;

    // timeout: sqe->timeout_flags
    public static final int IORING_TIMEOUT_ABS = 1;
    public static final int IORING_TIMEOUT_UPDATE = 1 << 1;
    public static final int IORING_TIMEOUT_BOOTTIME = 1 << 2;
    public static final int IORING_TIMEOUT_REALTIME = 1 << 3;
    public static final int IORING_LINK_TIMEOUT_UPDATE = 1 << 4;
    /** An expired timeout completes with 0 instead of {@code -ETIME}. */
    public static final int IORING_TIMEOUT_ETIME_SUCCESS = 1 << 5;

    // async cancel: sqe->cancel_flags
    public static final int IORING_ASYNC_CANCEL_ALL = 1;
    public static final int IORING_ASYNC_CANCEL_FD = 1 << 1;
    public static final int IORING_ASYNC_CANCEL_ANY = 1 << 2;

    // poll add: sqe->len
    public static final int IORING_POLL_ADD_MULTI = 1;

    // msg ring: sqe->addr is the command, sqe->msg_ring_flags the flags
    /** Post a CQE on the target ring with {@code len} as res and {@code off} as user_data. */
    public static final int IORING_MSG_DATA = 0;
    public static final int IORING_MSG_SEND_FD = 1;
    public static final int IORING_MSG_RING_CQE_SKIP = 1;

    private static final long OPCODE = offset("opcode");
    private static final long FLAGS = offset("flags");
    private static final long IOPRIO = offset("ioprio");
    private static final long FD = offset("fd");
    private static final long OFF = offset("off");
    private static final long ADDR = offset("addr");
    private static final long LEN = offset("len");
    private static final long OP_FLAGS = offset("rw_flags");
    private static final long USER_DATA = offset("user_data");
    private static final long BUF_INDEX = offset("buf_index");
    private static final long FILE_INDEX = offset("splice_fd_in");

    private IoUringSqe() {
    }

    private static long offset(String field) {
        return IO_URING_SQE.byteOffset(groupElement(field));
    }

    /**
     * Zeroes the SQE at byte {@code offset} of {@code sqes} and fills its common fields.
     *
     * @param address {@code addr}: a buffer, iovec array, sockaddr or timespec address
     * @param length {@code len}
     * @param fileOffset {@code off} (also {@code addr2}: e.g. the addrlen pointer of accept)
     */
    public static void prepare(MemorySegment sqes, long offset, int opcode, int fd, long address, int length,
                               long fileOffset, long userData) {
        for (long i = 0; i < SIZE; i += Long.BYTES) {
            sqes.set(ValueLayout.JAVA_LONG, offset + i, 0L);
        }
        sqes.set(ValueLayout.JAVA_BYTE, offset + OPCODE, (byte) opcode);
        sqes.set(ValueLayout.JAVA_INT, offset + FD, fd);
        sqes.set(ValueLayout.JAVA_LONG, offset + ADDR, address);
        sqes.set(ValueLayout.JAVA_INT, offset + LEN, length);
        sqes.set(ValueLayout.JAVA_LONG, offset + OFF, fileOffset);
        sqes.set(ValueLayout.JAVA_LONG, offset + USER_DATA, userData);
    }

    /** Sets {@code flags} ({@code IOSQE_*}). */
    public static void setFlags(MemorySegment sqes, long offset, int flags) {
        sqes.set(ValueLayout.JAVA_BYTE, offset + FLAGS, (byte) flags);
    }

    /** Sets {@code ioprio}: for accept, send and recv, their {@code IORING_ACCEPT_*}/{@code IORING_RECV*} flags. */
    public static void setIoprio(MemorySegment sqes, long offset, int ioprio) {
        sqes.set(ValueLayout.JAVA_SHORT, offset + IOPRIO, (short) ioprio);
    }

    /**
     * Sets the opcode's flag word (the union of {@code rw_flags}, {@code msg_flags},
     * {@code timeout_flags}, {@code accept_flags}, {@code cancel_flags}, {@code msg_ring_flags}...).
     */
    public static void setOpFlags(MemorySegment sqes, long offset, int flags) {
        sqes.set(ValueLayout.JAVA_INT, offset + OP_FLAGS, flags);
    }

    /** Sets {@code buf_group} (with IOSQE_BUFFER_SELECT), which shares its place with {@code buf_index}. */
    public static void setBufGroup(MemorySegment sqes, long offset, int group) {
        sqes.set(ValueLayout.JAVA_SHORT, offset + BUF_INDEX, (short) group);
    }

    /** Sets {@code file_index} (a fixed-file slot plus one; shares its place with {@code splice_fd_in}). */
    public static void setFileIndex(MemorySegment sqes, long offset, int fileIndex) {
        sqes.set(ValueLayout.JAVA_INT, offset + FILE_INDEX, fileIndex);
    }

    /** The {@code user_data} of the SQE at {@code offset}. */
    public static long userData(MemorySegment sqes, long offset) {
        return sqes.get(ValueLayout.JAVA_LONG, offset + USER_DATA);
    }

    /** The opcode's name, e.g. {@code "RECV"} for {@link #IORING_OP_RECV}, or {@code "op 57"}. */
    public static String opcodeName(int opcode) {
        for (var field : IoUringSqe.class.getFields()) {
            if (field.getName().startsWith("IORING_OP_")) {
                try {
                    if (field.getInt(null) == opcode) {
                        return field.getName().substring("IORING_OP_".length());
                    }
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return "op " + opcode;
    }
}
