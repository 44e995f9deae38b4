package io.panamanetty.bindings;

import java.lang.foreign.MemorySegment;

/**
 * A group of equal-sized receive buffers handed to the kernel through a registered
 * provided-buffer ring ({@code IORING_REGISTER_PBUF_RING}, Linux 5.19): a receive SQE with
 * IOSQE_BUFFER_SELECT and this {@link #groupId()} takes the next one, and its CQE names the
 * buffer id in its flags ({@link IoUringCqe#bufferId}). The buffer is then the
 * application's until {@link #recycle} gives it back (visible to the kernel after
 * {@link #publish}). When none is left, a receive completes with {@code -ENOBUFS}
 * (ending a multishot one).
 *
 * <p>The ring and the buffers are anonymous mappings of our own (page-aligned, as the
 * kernel requires of the ring), or, made with {@link #registerEmpty}, the ring is and the
 * caller lends the buffers ({@link #provide}), each time the memory it chooses: then a buffer
 * the kernel filled can be handed on whole and another lent in its place, rather than copied
 * out. Used on the ring's thread only.
 */
public final class ProvidedBufferRing implements AutoCloseable {
    private static final long PAGE = 4096;
    /** The kernel's limit on a buffer ring's entries. */
    private static final int MAX_ENTRIES = 1 << 15;

    private final IoUringRing ring;
    private final int groupId;
    private final int entries;
    private final int mask;
    private final int bufferSize;
    private final long ringAddress;
    private final long ringBytes;
    private final long buffersAddress;
    private final long buffersBytes;
    private final MemorySegment ringMemory;
    private int tail;
    private boolean closed;

    private ProvidedBufferRing(IoUringRing ring, int groupId, int entries, int bufferSize, long ringAddress,
                               long ringBytes, long buffersAddress, long buffersBytes) {
        this.ring = ring;
        this.groupId = groupId;
        this.entries = entries;
        this.mask = entries - 1;
        this.bufferSize = bufferSize;
        this.ringAddress = ringAddress;
        this.ringBytes = ringBytes;
        this.buffersAddress = buffersAddress;
        this.buffersBytes = buffersBytes;
        this.ringMemory = Memory.segment(ringAddress, ringBytes);
    }

    /**
     * Maps {@code entries} buffers of {@code bufferSize} bytes, registers them with
     * {@code ring} as group {@code groupId}, and hands them all to the kernel.
     *
     * @param entries a power of two, at most 32768
     * @throws NativeIoException if {@code mmap} or the registration fails ({@code EINVAL} before
     *         Linux 5.19, {@code EEXIST} for a group id in use)
     */
    public static ProvidedBufferRing register(IoUringRing ring, int groupId, int entries, int bufferSize)
            throws NativeIoException {
        ProvidedBufferRing buffers = mapAndRegister(ring, groupId, entries, bufferSize, true);
        for (int id = 0; id < entries; id++) {
            buffers.recycle(id);
        }
        buffers.publish();
        return buffers;
    }

    /**
     * Registers with {@code ring}, as group {@code groupId}, a ring of {@code entries} buffers
     * of {@code bufferSize} bytes that the caller lends ({@link #provide}, then
     * {@link #publish}); until then a receive finds none ({@code -ENOBUFS}).
     *
     * @param entries a power of two, at most 32768
     * @throws NativeIoException if {@code mmap} or the registration fails
     */
    public static ProvidedBufferRing registerEmpty(IoUringRing ring, int groupId, int entries, int bufferSize)
            throws NativeIoException {
        return mapAndRegister(ring, groupId, entries, bufferSize, false);
    }

    /** Maps the ring (and, if {@code ownBuffers}, the buffers) and registers it; on failure unmaps them. */
    private static ProvidedBufferRing mapAndRegister(IoUringRing ring, int groupId, int entries, int bufferSize,
                                                     boolean ownBuffers) throws NativeIoException {
        checkShape(entries, bufferSize, groupId);
        long ringBytes = roundToPages(entries * IoUringBufRing.IO_URING_BUF.byteSize());
        long buffersBytes = ownBuffers ? roundToPages((long) entries * bufferSize) : 0;
        long ringAddress = mapAnonymous(ringBytes, "provided-buffer ring");
        long buffersAddress = 0;
        if (ownBuffers) {
            try {
                buffersAddress = mapAnonymous(buffersBytes, "provided buffers");
            } catch (NativeIoException e) {
                MemoryMap.unmap(ringAddress, ringBytes);
                throw e;
            }
        }
        ProvidedBufferRing buffers = new ProvidedBufferRing(ring, groupId, entries, bufferSize, ringAddress,
                ringBytes, buffersAddress, buffersBytes);
        buffers.registerRing();
        return buffers;
    }

    private static void checkShape(int entries, int bufferSize, int groupId) {
        if (entries <= 0 || entries > MAX_ENTRIES || Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException("entries must be a power of two up to " + MAX_ENTRIES + ": " + entries);
        }
        if (bufferSize <= 0 || groupId < 0 || groupId > 0xFFFF) {
            throw new IllegalArgumentException("buffer size " + bufferSize + ", group " + groupId);
        }
    }

    /** Registers the ring; on failure unmaps what this object mapped. */
    private void registerRing() throws NativeIoException {
        MemorySegment reg = Libc.scratch().asSlice(0, IoUringBufRing.IO_URING_BUF_REG.byteSize());
        IoUringBufRing.prepareRegistration(reg, ringAddress, entries, groupId);
        int registered = IoUring.register(ring.fd(), IoUring.IORING_REGISTER_PBUF_RING, reg.address(), 1);
        if (registered < 0) {
            if (buffersAddress != 0) {
                MemoryMap.unmap(buffersAddress, buffersBytes);
            }
            MemoryMap.unmap(ringAddress, ringBytes);
            throw Errno.exception(-registered, "io_uring_register", "IORING_REGISTER_PBUF_RING group " + groupId);
        }
    }

    private static long roundToPages(long bytes) {
        return (bytes + PAGE - 1) / PAGE * PAGE;
    }

    private static long mapAnonymous(long bytes, String what) throws NativeIoException {
        long address = MemoryMap.map(bytes, MemoryMap.PROT_READ | MemoryMap.PROT_WRITE,
                MemoryMap.MAP_PRIVATE | MemoryMap.MAP_ANONYMOUS, -1, 0);
        if (address < 0) {
            throw Errno.exception((int) -address, "mmap", "of " + bytes + " bytes for the " + what);
        }
        return address;
    }

    /** The buffer group id receives name in {@code buf_group}. */
    public int groupId() {
        return groupId;
    }

    /** Buffers in the group. */
    public int entries() {
        return entries;
    }

    /** Bytes per buffer. */
    public int bufferSize() {
        return bufferSize;
    }

    /** The native address of buffer {@code bufferId} of a ring with buffers of its own ({@link #register}). */
    public long address(int bufferId) {
        checkId(bufferId);
        if (buffersAddress == 0) {
            throw new IllegalStateException("group " + groupId + " has no buffers of its own: the caller lends them");
        }
        return buffersAddress + (long) bufferId * bufferSize;
    }

    /**
     * The first {@code length} bytes of buffer {@code bufferId}, e.g. what a CQE said it received
     * (a ring with buffers of its own only: see {@link #address}).
     */
    public MemorySegment buffer(int bufferId, int length) {
        if (length < 0 || length > bufferSize) {
            throw new IndexOutOfBoundsException("length " + length + " of a " + bufferSize + "-byte buffer");
        }
        return Memory.segment(address(bufferId), length);
    }

    /**
     * Gives buffer {@code bufferId} back to the kernel; it sees it after {@link #publish}.
     * Each buffer must be recycled once per use (more overflows the ring). A ring whose
     * buffers the caller lends ({@link #registerEmpty}) takes {@link #provide} instead: this
     * throws {@link IllegalStateException} there.
     */
    public void recycle(int bufferId) {
        checkOpen();
        IoUringBufRing.setBuffer(ringMemory, tail & mask, address(bufferId), bufferSize, bufferId);
        tail++;
    }

    /**
     * Lends the kernel {@link #bufferSize()} bytes at {@code address} as buffer {@code bufferId}
     * (it sees them after {@link #publish}); the memory must stay valid until a completion names
     * that id, or until the ring is closed with no receive in flight. Each id is lent once per
     * use, like {@link #recycle}.
     */
    public void provide(int bufferId, long address) {
        checkOpen();
        checkId(bufferId);
        if (address == 0) {
            throw new IllegalArgumentException("buffer " + bufferId + " at address 0");
        }
        IoUringBufRing.setBuffer(ringMemory, tail & mask, address, bufferSize, bufferId);
        tail++;
    }

    /** Makes the recycled buffers visible to the kernel (a release store of the ring's tail). */
    public void publish() {
        checkOpen();
        IoUringBufRing.publishTail(ringMemory, tail);
    }

    private void checkId(int bufferId) {
        if (bufferId < 0 || bufferId >= entries) {
            throw new IndexOutOfBoundsException("buffer id " + bufferId + " of " + entries);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("provided-buffer ring of group " + groupId + " is closed");
        }
    }

    /**
     * Unregisters the group (unless the io_uring ring is closed already, which dropped it) and
     * unmaps its memory. No receive may be in flight on the group: the kernel could still
     * write into a buffer.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ring.isOpen()) {
            MemorySegment reg = Libc.scratch().asSlice(0, IoUringBufRing.IO_URING_BUF_REG.byteSize());
            IoUringBufRing.prepareRegistration(reg, ringAddress, entries, groupId);
            IoUring.register(ring.fd(), IoUring.IORING_UNREGISTER_PBUF_RING, reg.address(), 1);
        }
        if (buffersAddress != 0) {
            MemoryMap.unmap(buffersAddress, buffersBytes);
        }
        MemoryMap.unmap(ringAddress, ringBytes);
    }
}
