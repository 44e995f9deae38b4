package io.panamanetty.bindings;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * The message headers of {@code recvmmsg}/{@code sendmmsg} ({@code <sys/socket.h>}) and
 * accessors for arrays of {@code struct mmsghdr}, as {@link Datagrams} passes them.
 *
 * <pre>{@code
 * struct msghdr  { void *msg_name; socklen_t msg_namelen; struct iovec *msg_iov; size_t msg_iovlen;
 *                  void *msg_control; size_t msg_controllen; int msg_flags; };
 * struct mmsghdr { struct msghdr msg_hdr; unsigned int msg_len; };
 * struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; };   // the data follows
 * }</pre>
 */
public final class MsgHdr {
    /** {@code msg_flags} on return: the datagram was longer than the buffer (and was cut). */
    public static final int MSG_TRUNC = 0x20;
    /** {@code msg_flags} on return: the control data was longer than its buffer. */
    public static final int MSG_CTRUNC = 0x8;
    /** A call flag: do not block, whatever the socket's mode. */
    public static final int MSG_DONTWAIT = 0x40;
    /** A {@code recvmmsg} flag: turn on {@code MSG_DONTWAIT} after the first datagram. */
    public static final int MSG_WAITFORONE = 0x10000;

    /** {@code struct msghdr}: 56 bytes on LP64. */
    public static final StructLayout MSGHDR = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("msg_name"),
            ValueLayout.JAVA_INT.withName("msg_namelen"),
            MemoryLayout.paddingLayout(4),
            ValueLayout.JAVA_LONG.withName("msg_iov"),
            ValueLayout.JAVA_LONG.withName("msg_iovlen"),
            ValueLayout.JAVA_LONG.withName("msg_control"),
            ValueLayout.JAVA_LONG.withName("msg_controllen"),
            ValueLayout.JAVA_INT.withName("msg_flags"),
            MemoryLayout.paddingLayout(4)).withName("msghdr");

    /** {@code struct mmsghdr}: 64 bytes on LP64. */
    public static final StructLayout MMSGHDR = MemoryLayout.structLayout(
            MSGHDR.withName("msg_hdr"),
            ValueLayout.JAVA_INT.withName("msg_len"),
            MemoryLayout.paddingLayout(4)).withName("mmsghdr");

    /** {@code struct cmsghdr}: 16 bytes on LP64, the data follows it. */
    public static final StructLayout CMSGHDR = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("cmsg_len"),
            ValueLayout.JAVA_INT.withName("cmsg_level"),
            ValueLayout.JAVA_INT.withName("cmsg_type")).withName("cmsghdr");

    /** Bytes per element of an {@code mmsghdr} array. */
    static final long MMSGHDR_SIZE = MMSGHDR.byteSize();
    private static final long NAME = MMSGHDR.byteOffset(groupElement("msg_hdr"), groupElement("msg_name"));
    private static final long NAME_LEN = MMSGHDR.byteOffset(groupElement("msg_hdr"), groupElement("msg_namelen"));
    private static final long IOV = MMSGHDR.byteOffset(groupElement("msg_hdr"), groupElement("msg_iov"));
    private static final long IOV_LEN = MMSGHDR.byteOffset(groupElement("msg_hdr"), groupElement("msg_iovlen"));
    private static final long CONTROL = MMSGHDR.byteOffset(groupElement("msg_hdr"), groupElement("msg_control"));
    private static final long CONTROL_LEN = MMSGHDR.byteOffset(groupElement("msg_hdr"),
            groupElement("msg_controllen"));
    private static final long FLAGS = MMSGHDR.byteOffset(groupElement("msg_hdr"), groupElement("msg_flags"));
    private static final long LEN = MMSGHDR.byteOffset(groupElement("msg_len"));
    private static final long CMSG_LEVEL = CMSGHDR.byteOffset(groupElement("cmsg_level"));
    private static final long CMSG_TYPE = CMSGHDR.byteOffset(groupElement("cmsg_type"));
    private static final long CMSG_HEADER = CMSGHDR.byteSize();

    private MsgHdr() {
    }

    /** The bytes of an {@code mmsghdr} array of {@code count} elements. */
    public static long arraySize(int count) {
        return count * MMSGHDR_SIZE;
    }

    /**
     * Fills element {@code index} of the {@code mmsghdr} array {@code vec}: the address
     * buffer ({@code name}, 0 for none) of {@code nameLength} bytes, {@code iovCount}
     * iovecs at {@code iov}, and the control buffer ({@code control}, 0 for none);
     * {@code msg_flags} and {@code msg_len} are cleared.
     */
    public static void set(MemorySegment vec, int index, long name, int nameLength, long iov, int iovCount,
                           long control, int controlLength) {
        long base = index * MMSGHDR_SIZE;
        vec.set(ValueLayout.JAVA_LONG, base + NAME, name);
        vec.set(ValueLayout.JAVA_INT, base + NAME_LEN, nameLength);
        vec.set(ValueLayout.JAVA_LONG, base + IOV, iov);
        vec.set(ValueLayout.JAVA_LONG, base + IOV_LEN, iovCount);
        vec.set(ValueLayout.JAVA_LONG, base + CONTROL, control);
        vec.set(ValueLayout.JAVA_LONG, base + CONTROL_LEN, controlLength);
        vec.set(ValueLayout.JAVA_INT, base + FLAGS, 0);
        vec.set(ValueLayout.JAVA_INT, base + LEN, 0);
    }

    /** Resets the address and control lengths of element {@code index} before it is received into again. */
    public static void resetLengths(MemorySegment vec, int index, int nameLength, int controlLength) {
        long base = index * MMSGHDR_SIZE;
        vec.set(ValueLayout.JAVA_INT, base + NAME_LEN, nameLength);
        vec.set(ValueLayout.JAVA_LONG, base + CONTROL_LEN, controlLength);
    }

    /** Sets element {@code index}'s {@code msg_iov} and {@code msg_iovlen}. */
    public static void setIov(MemorySegment vec, int index, long iov, int iovCount) {
        long base = index * MMSGHDR_SIZE;
        vec.set(ValueLayout.JAVA_LONG, base + IOV, iov);
        vec.set(ValueLayout.JAVA_LONG, base + IOV_LEN, iovCount);
    }

    /** Sets element {@code index}'s address buffer and its length ({@code 0, 0}: none). */
    public static void setName(MemorySegment vec, int index, long name, int nameLength) {
        long base = index * MMSGHDR_SIZE;
        vec.set(ValueLayout.JAVA_LONG, base + NAME, name);
        vec.set(ValueLayout.JAVA_INT, base + NAME_LEN, nameLength);
    }

    /** Sets element {@code index}'s control buffer and its length ({@code 0, 0}: none). */
    public static void setControl(MemorySegment vec, int index, long control, int controlLength) {
        long base = index * MMSGHDR_SIZE;
        vec.set(ValueLayout.JAVA_LONG, base + CONTROL, control);
        vec.set(ValueLayout.JAVA_LONG, base + CONTROL_LEN, controlLength);
    }

    /** {@code msg_len} of element {@code index}: the bytes received (the whole datagram's with {@link #MSG_TRUNC}), or sent. */
    public static int length(MemorySegment vec, int index) {
        return vec.get(ValueLayout.JAVA_INT, index * MMSGHDR_SIZE + LEN);
    }

    /** {@code msg_flags} of element {@code index} after a receive. */
    public static int flags(MemorySegment vec, int index) {
        return vec.get(ValueLayout.JAVA_INT, index * MMSGHDR_SIZE + FLAGS);
    }

    /** {@code msg_namelen} of element {@code index}: after a receive, the length of the sender's address. */
    public static int nameLength(MemorySegment vec, int index) {
        return vec.get(ValueLayout.JAVA_INT, index * MMSGHDR_SIZE + NAME_LEN);
    }

    /** {@code msg_controllen} of element {@code index}: after a receive, the control bytes filled in. */
    public static long controlLength(MemorySegment vec, int index) {
        return vec.get(ValueLayout.JAVA_LONG, index * MMSGHDR_SIZE + CONTROL_LEN);
    }

    /** {@code CMSG_ALIGN(length)}: control messages are aligned to {@code size_t}. */
    public static long align(long length) {
        return (length + 7) & ~7L;
    }

    /** {@code CMSG_SPACE(dataLength)}: the bytes one control message of that much data takes. */
    public static long space(int dataLength) {
        return CMSG_HEADER + align(dataLength);
    }

    /** {@code CMSG_LEN(dataLength)}: the {@code cmsg_len} of one control message of that much data. */
    public static long cmsgLength(int dataLength) {
        return CMSG_HEADER + dataLength;
    }

    /**
     * Writes a control message header at {@code offset} of {@code control}; the
     * {@code dataLength} data bytes follow at {@link #dataOffset(long)}.
     */
    public static void putHeader(MemorySegment control, long offset, int level, int type, int dataLength) {
        control.set(ValueLayout.JAVA_LONG, offset, cmsgLength(dataLength));
        control.set(ValueLayout.JAVA_INT, offset + CMSG_LEVEL, level);
        control.set(ValueLayout.JAVA_INT, offset + CMSG_TYPE, type);
    }

    /** Where the data of the control message at {@code offset} starts ({@code CMSG_DATA}). */
    public static long dataOffset(long offset) {
        return offset + CMSG_HEADER;
    }

    /** {@code cmsg_len} of the control message at {@code offset}. */
    public static long cmsgLength(MemorySegment control, long offset) {
        return control.get(ValueLayout.JAVA_LONG, offset);
    }

    /** {@code cmsg_level} of the control message at {@code offset}. */
    public static int cmsgLevel(MemorySegment control, long offset) {
        return control.get(ValueLayout.JAVA_INT, offset + CMSG_LEVEL);
    }

    /** {@code cmsg_type} of the control message at {@code offset}. */
    public static int cmsgType(MemorySegment control, long offset) {
        return control.get(ValueLayout.JAVA_INT, offset + CMSG_TYPE);
    }
}
