package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.IoVec;
import io.panamanetty.bindings.Memory;
import io.panamanetty.bindings.MsgHdr;

import java.lang.foreign.MemorySegment;

/**
 * The native arrays of one {@code recvmmsg} or {@code sendmmsg} call, in one allocation: an
 * {@code mmsghdr} array, one {@code iovec} per datagram, a socket-address slot and a control
 * (cmsg) slot per message (a message of a send may carry several datagrams, a coalesced run,
 * {@link CoalescedRun}, and take their iovecs). Each loop keeps one for receives and one for
 * sends ({@link DatagramLoopCaches}).
 * The raw addresses are for the headers that point at the slots; the segments for reading and
 * writing them.
 */
final class MessageArrays {
    /**
     * The room for control messages per datagram: a {@code UDP_SEGMENT} or {@code UDP_GRO} cmsg
     * (24 bytes) and one of up to 40 more that a raw option may ask for (a timestamp, which the
     * kernel writes before the {@code UDP_GRO} one, takes 32).
     */
    static final int CONTROL_SLOT_SIZE = 64;

    final long memory;
    final MemorySegment vec;
    final long iovecs;
    final MemorySegment iovSegment;
    final long names;
    final MemorySegment namesSegment;
    final long controls;
    final MemorySegment controlsSegment;
    /** Per message of a send, the queued datagrams it carries (more than 1: a coalesced run). */
    final int[] runs;

    /** Arrays for {@code count} messages. */
    MessageArrays(int count) {
        long vecBytes = MsgHdr.arraySize(count);
        long iovBytes = count * IoVec.SIZE;
        long nameBytes = (long) count * DatagramAddresses.SLOT_SIZE;
        long controlBytes = (long) count * CONTROL_SLOT_SIZE;
        memory = Memory.malloc(vecBytes + iovBytes + nameBytes + controlBytes);
        vec = Memory.segment(memory, vecBytes);
        iovecs = memory + vecBytes;
        iovSegment = Memory.segment(iovecs, iovBytes);
        names = iovecs + iovBytes;
        namesSegment = Memory.segment(names, nameBytes);
        controls = names + nameBytes;
        controlsSegment = Memory.segment(controls, controlBytes);
        runs = new int[count];
    }

    /** Frees the arrays; no field may be used after. */
    void free() {
        Memory.free(memory);
    }
}
