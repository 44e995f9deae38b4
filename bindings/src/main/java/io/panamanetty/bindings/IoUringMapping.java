package io.panamanetty.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The three shared mappings of a ring fd ({@code mmap} at IORING_OFF_SQ_RING,
 * IORING_OFF_CQ_RING and IORING_OFF_SQES), each tied to {@code arena}: closing the arena
 * unmaps them, and no segment can be used after that.
 *
 * <p>The SQ ring holds its head, tail, mask, flags and index array; the CQ ring its
 * head, tail, mask, overflow counter and the CQEs. With IORING_FEAT_SINGLE_MMAP (Linux
 * 5.4) both live in one mapping of the larger size, and {@link #cqRing()} is the SQ ring's.
 */
record IoUringMapping(MemorySegment sqRing, MemorySegment cqRing, MemorySegment sqes) {

    static IoUringMapping map(int fd, MemorySegment params, Arena arena) throws NativeIoException {
        long sqSize = IoUringParams.sqOffset(params, "array")
                + (long) IoUringParams.sqEntries(params) * Integer.BYTES;
        long cqSize = IoUringParams.cqOffset(params, "cqes")
                + (long) IoUringParams.cqEntries(params) * IoUringCqe.SIZE;
        boolean single = (IoUringParams.features(params) & IoUring.IORING_FEAT_SINGLE_MMAP) != 0;
        if (single) {
            sqSize = Math.max(sqSize, cqSize);
        }
        MemorySegment sqRing = map(fd, sqSize, IoUring.IORING_OFF_SQ_RING, arena, "SQ ring");
        MemorySegment cqRing = single ? sqRing : map(fd, cqSize, IoUring.IORING_OFF_CQ_RING, arena, "CQ ring");
        MemorySegment sqes = map(fd, IoUringParams.sqEntries(params) * IoUringSqe.SIZE,
                IoUring.IORING_OFF_SQES, arena, "SQE array");
        return new IoUringMapping(sqRing, cqRing, sqes);
    }

    private static MemorySegment map(int fd, long size, long offset, Arena arena, String what)
            throws NativeIoException {
        long address = MemoryMap.map(size, MemoryMap.PROT_READ | MemoryMap.PROT_WRITE,
                MemoryMap.MAP_SHARED | MemoryMap.MAP_POPULATE, fd, offset);
        if (address < 0) {
            throw Errno.exception((int) -address, "mmap", "of the io_uring " + what + " (" + size + " bytes)");
        }
        // The cleanup action gets a zero-length segment at the same address: the size is captured.
        return MemorySegment.ofAddress(address).reinterpret(size, arena,
                unmapped -> MemoryMap.unmap(unmapped.address(), size));
    }
}
