package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Datagrams;
import io.panamanetty.bindings.IoVec;
import io.panamanetty.bindings.MsgHdr;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferAllocator;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * The receive side of an {@link EpollDatagramChannel}: one {@code recvmmsg} (through the loop's
 * arrays) fills up to {@code DATAGRAMS_PER_RECEIVE} slots, the loop's (shared by its channels
 * of one allocator, {@link DatagramLoopCaches}) or the channel's own, each a pooled buffer of
 * at least {@code MAX_DATAGRAM_SIZE} bytes, with its sender's address slot. A datagram that
 * fills a small part of its slot is copied into a buffer of its own size and the slot is kept
 * for the next call; a larger one takes the slot's buffer, and the slot gets a new one. Event-loop confined.
 *
 * <p>The call passes {@code MSG_TRUNC}, so the kernel reports a longer datagram's whole
 * length: {@link #wasTruncated} tells the channel to drop and report it. Each slot has room
 * for a control message: with {@code UDP_GRO} on, {@link #segmentSize} reads the size of the
 * datagrams the kernel coalesced; {@link #controlTruncated} tells that other control messages
 * (asked for by a raw option) did not fit.
 */
final class DatagramReceiver {
    /** Everything addressable, to copy between raw addresses without making a segment per copy. */
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    /** The loop's native arrays of the last call (see {@link DatagramLoopCaches}), filled before each. */
    private MessageArrays arrays;
    private Buffer[] slots = new Buffer[0];
    /** The channel's largest datagram: the length each slot's iovec gives (a shared slot may be larger). */
    private int slotSize;
    /** The slots are this channel's own, not the loop's ({@link DatagramLoopCaches#receiveSlots}). */
    private boolean ownSlots;

    /**
     * Makes room for {@code count} slots of {@code size} bytes (again when the options change):
     * the loop's shared slots if they are this allocator's, else the channel's own; and points
     * the loop's arrays at them: another channel of the loop may have used them since.
     */
    private void ensure(int count, int size, BufferAllocator allocator, DatagramLoopCaches caches) {
        Buffer[] shared = ownSlots ? null : caches.receiveSlots(count, size, allocator);
        if (shared != null) {
            slots = shared;
        } else {
            if (!ownSlots) {
                ownSlots = true;   // the loop's are another allocator's: from now on this channel's own
                slots = new Buffer[0];
            }
            if (count != slots.length || size != slotSize) {
                releaseSlots();
                slots = new Buffer[count];
            }
            for (int i = 0; i < count; i++) {
                if (slots[i] == null) {
                    slots[i] = allocator.allocate(size);
                }
            }
        }
        slotSize = size;
        arrays = caches.receiveArrays(count);
        for (int i = 0; i < count; i++) {
            Buffer buffer = slots[i];
            IoVec.set(arrays.iovSegment, i, buffer.memoryAddress() + buffer.writerIndex(), size);
            MsgHdr.set(arrays.vec, i, arrays.names + (long) i * DatagramAddresses.SLOT_SIZE,
                    DatagramAddresses.SLOT_SIZE, arrays.iovecs + i * IoVec.SIZE, 1,
                    arrays.controls + (long) i * MessageArrays.CONTROL_SLOT_SIZE, MessageArrays.CONTROL_SLOT_SIZE);
        }
    }

    /**
     * Receives up to {@code count} datagrams of at most {@code size} bytes.
     *
     * @return how many arrived, or {@code -errno} ({@code -EAGAIN} when none waits)
     */
    int receive(int fd, int count, int size, BufferAllocator allocator, DatagramLoopCaches caches) {
        ensure(count, size, allocator, caches);
        return Datagrams.recvmmsg(fd, arrays.memory, count, MsgHdr.MSG_TRUNC);
    }

    /** {@return the length the kernel reported for datagram {@code index} of the last receive} */
    int length(int index) {
        return MsgHdr.length(arrays.vec, index);
    }

    /** {@return whether the kernel cut the control data of datagram {@code index} ({@code MSG_CTRUNC})} */
    boolean controlTruncated(int index) {
        return (MsgHdr.flags(arrays.vec, index) & MsgHdr.MSG_CTRUNC) != 0;
    }

    /** {@return whether datagram {@code index} was longer than the slot (and so was cut)} */
    boolean wasTruncated(int index) {
        return (MsgHdr.flags(arrays.vec, index) & MsgHdr.MSG_TRUNC) != 0 || MsgHdr.length(arrays.vec, index) > slotSize;
    }

    /**
     * {@return the size of each datagram the kernel coalesced into datagram {@code index}
     * ({@code UDP_GRO} on), or 0 if it is one datagram}
     */
    int segmentSize(int index) {
        long length = MsgHdr.controlLength(arrays.vec, index);
        long base = (long) index * MessageArrays.CONTROL_SLOT_SIZE;
        long offset = 0;
        while (offset + MsgHdr.CMSGHDR.byteSize() <= length) {
            long cmsgLength = MsgHdr.cmsgLength(arrays.controlsSegment, base + offset);
            if (cmsgLength < MsgHdr.CMSGHDR.byteSize() || offset + cmsgLength > length) {
                break;   // malformed, or a message the kernel cut (MSG_CTRUNC): nothing more to read
            }
            if (MsgHdr.cmsgLevel(arrays.controlsSegment, base + offset) == Datagrams.SOL_UDP
                    && MsgHdr.cmsgType(arrays.controlsSegment, base + offset) == Datagrams.UDP_GRO) {
                if (cmsgLength < MsgHdr.cmsgLength(Integer.BYTES)) {
                    return 0;   // a header without its value (cut short): the size is unknown
                }
                int segment = arrays.controlsSegment.get(java.lang.foreign.ValueLayout.JAVA_INT,
                        MsgHdr.dataOffset(base + offset));
                return segment > 0 && segment < MsgHdr.length(arrays.vec, index) ? segment : 0;
            }
            offset += MsgHdr.align(cmsgLength);
        }
        return 0;
    }

    /** The sender of datagram {@code index}, through {@code addresses}. */
    InetSocketAddress sender(int index, DatagramAddresses addresses) {
        return addresses.decode(arrays.namesSegment, (long) index * DatagramAddresses.SLOT_SIZE,
                MsgHdr.nameLength(arrays.vec, index));
    }

    /**
     * Datagram {@code index} as a buffer of its own (which the caller then owns): a copy if
     * it is small next to the slot, else the slot's buffer itself.
     */
    Buffer take(int index, BufferAllocator allocator) {
        int length = MsgHdr.length(arrays.vec, index);
        Buffer slot = slots[index];
        if (length <= slot.capacity() / 4) {   // a shared slot may be larger than this channel asks for
            Buffer copy = allocator.allocate(length);
            MemorySegment.copy(ALL, slot.memoryAddress() + slot.writerIndex(), ALL,
                    copy.memoryAddress() + copy.writerIndex(), length);
            return copy.writerIndex(copy.writerIndex() + length);
        }
        slots[index] = null;
        return slot.writerIndex(slot.writerIndex() + length);
    }

    /** Releases the channel's own slots (the loop's stay the loop's). */
    private void releaseSlots() {
        if (!ownSlots) {
            return;
        }
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null) {
                slots[i].release();
                slots[i] = null;
            }
        }
    }

    /** Releases the channel's own slots; the channel has closed (the arrays and shared slots are the loop's). */
    void close() {
        releaseSlots();
        slots = new Buffer[0];
        arrays = null;
    }
}
