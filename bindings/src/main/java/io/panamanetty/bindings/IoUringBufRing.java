package io.panamanetty.bindings;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * A ring of provided buffers (Linux 5.19): memory we own, registered with
 * {@code IORING_REGISTER_PBUF_RING}, from which a receive with IOSQE_BUFFER_SELECT takes
 * a buffer; the CQE names the buffer id it used.
 *
 * <pre>{@code
 * struct io_uring_buf { __u64 addr; __u32 len; __u16 bid; __u16 resv; };
 * struct io_uring_buf_ring {
 *     union {
 *         struct { __u64 resv1; __u32 resv2; __u16 resv3; __u16 tail; };   // overlays bufs[0].resv
 *         struct io_uring_buf bufs[];
 *     };
 * };
 * struct io_uring_buf_reg { __u64 ring_addr; __u32 ring_entries; __u16 bgid; __u16 pad; __u64 resv[3]; };
 * }</pre>
 *
 * <p>The ring's memory is {@code entries * 16} bytes, page-aligned, {@code entries} a
 * power of two. We fill {@code bufs[tail & mask]} and then publish the new tail with a
 * <em>release</em> store ({@link #publishTail}), so the kernel, which reads the tail with
 * an acquire load, sees the buffer's fields before it sees the tail move past them. The
 * kernel's head is private to it (we learn a buffer is used from its CQE).
 */
public final class IoUringBufRing {
    /** {@code struct io_uring_buf}: 16 bytes. */
    public static final StructLayout IO_URING_BUF = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("addr"),
            ValueLayout.JAVA_INT.withName("len"),
            ValueLayout.JAVA_SHORT.withName("bid"),
            ValueLayout.JAVA_SHORT.withName("resv")).withName("io_uring_buf");

    /** {@code struct io_uring_buf_ring}, its header view (the tail in {@code bufs[0].resv}): 16 bytes. */
    public static final StructLayout IO_URING_BUF_RING = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("resv1"),
            ValueLayout.JAVA_INT.withName("resv2"),
            ValueLayout.JAVA_SHORT.withName("resv3"),
            ValueLayout.JAVA_SHORT.withName("tail")).withName("io_uring_buf_ring");

    /** {@code struct io_uring_buf_reg}: 40 bytes. */
    public static final StructLayout IO_URING_BUF_REG = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("ring_addr"),
            ValueLayout.JAVA_INT.withName("ring_entries"),
            ValueLayout.JAVA_SHORT.withName("bgid"),
            ValueLayout.JAVA_SHORT.withName("pad"),
            MemoryLayout.sequenceLayout(3, ValueLayout.JAVA_LONG).withName("resv")).withName("io_uring_buf_reg");

    private static final long BUF_SIZE = IO_URING_BUF.byteSize();
    private static final long ADDR = IO_URING_BUF.byteOffset(groupElement("addr"));
    private static final long LEN = IO_URING_BUF.byteOffset(groupElement("len"));
    private static final long BID = IO_URING_BUF.byteOffset(groupElement("bid"));
    private static final long TAIL = IO_URING_BUF_RING.byteOffset(groupElement("tail"));
    private static final long REG_RING_ADDR = IO_URING_BUF_REG.byteOffset(groupElement("ring_addr"));
    private static final long REG_RING_ENTRIES = IO_URING_BUF_REG.byteOffset(groupElement("ring_entries"));
    private static final long REG_BGID = IO_URING_BUF_REG.byteOffset(groupElement("bgid"));

    /** A {@code __u16} at (segment, offset), for the release store of the tail. */
    private static final VarHandle U16 = ValueLayout.JAVA_SHORT.varHandle();

    private IoUringBufRing() {
    }

    /**
     * Writes {@code bufs[index]} ({@code index} already masked): buffer {@code bufferId}
     * of {@code length} bytes at native {@code address}. Invisible to the kernel until the
     * tail is published past it.
     */
    public static void setBuffer(MemorySegment ring, int index, long address, int length, int bufferId) {
        long base = index * BUF_SIZE;
        ring.set(ValueLayout.JAVA_LONG, base + ADDR, address);
        ring.set(ValueLayout.JAVA_INT, base + LEN, length);
        ring.set(ValueLayout.JAVA_SHORT, base + BID, (short) bufferId);
    }

    /** Publishes {@code tail} (a free-running 16-bit counter) with a release store. */
    public static void publishTail(MemorySegment ring, int tail) {
        U16.setRelease(ring, TAIL, (short) tail);
    }

    /** The tail last published (ours; a plain load). */
    public static int tail(MemorySegment ring) {
        return Short.toUnsignedInt(ring.get(ValueLayout.JAVA_SHORT, TAIL));
    }

    /** Fills the {@code io_uring_buf_reg} at {@code reg} (zeroing it first). */
    public static void prepareRegistration(MemorySegment reg, long ringAddress, int entries, int groupId) {
        reg.asSlice(0, IO_URING_BUF_REG.byteSize()).fill((byte) 0);
        reg.set(ValueLayout.JAVA_LONG, REG_RING_ADDR, ringAddress);
        reg.set(ValueLayout.JAVA_INT, REG_RING_ENTRIES, entries);
        reg.set(ValueLayout.JAVA_SHORT, REG_BGID, (short) groupId);
    }
}
