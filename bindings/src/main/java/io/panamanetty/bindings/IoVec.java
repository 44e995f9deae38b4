package io.panamanetty.bindings;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@code struct iovec { void *iov_base; size_t iov_len; };} and accessors for
 * arrays of it, as passed to {@link FileIo#readv} and {@link FileIo#writev}.
 */
public final class IoVec {
    /** {@code struct iovec}: 16 bytes on LP64. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("iov_base"),
            ValueLayout.JAVA_LONG.withName("iov_len")).withName("iovec");

    /** Bytes per array element. */
    public static final long SIZE = LAYOUT.byteSize();
    static final long BASE_OFFSET = LAYOUT.byteOffset(groupElement("iov_base"));
    static final long LEN_OFFSET = LAYOUT.byteOffset(groupElement("iov_len"));

    private IoVec() {
    }

    /** Sets element {@code index} of the iovec array {@code array} to {@code (address, length)}. */
    public static void set(MemorySegment array, int index, long address, long length) {
        long offset = index * SIZE;
        array.set(ValueLayout.JAVA_LONG, offset + BASE_OFFSET, address);
        array.set(ValueLayout.JAVA_LONG, offset + LEN_OFFSET, length);
    }

    /**
     * Sets element {@code index} to cover the whole of {@code segment}.
     *
     * @throws IllegalArgumentException if {@code segment} is on the Java heap (it has no native address)
     */
    public static void set(MemorySegment array, int index, MemorySegment segment) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("an iovec needs a native segment, not " + segment);
        }
        set(array, index, segment.address(), segment.byteSize());
    }

    /** The {@code iov_base} of element {@code index}. */
    public static long base(MemorySegment array, int index) {
        return array.get(ValueLayout.JAVA_LONG, index * SIZE + BASE_OFFSET);
    }

    /** The {@code iov_len} of element {@code index}. */
    public static long length(MemorySegment array, int index) {
        return array.get(ValueLayout.JAVA_LONG, index * SIZE + LEN_OFFSET);
    }
}
