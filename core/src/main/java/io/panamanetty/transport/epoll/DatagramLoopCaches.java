package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Datagrams;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferAllocator;

import java.util.Arrays;

/**
 * What one loop's datagram channels share: the address caches, one per socket family (an
 * IPv6 socket writes even an IPv4 peer as a mapped {@code sockaddr_in6}), so that the
 * peers a loop's channels hear from cost one {@link java.net.InetSocketAddress} each, however many
 * channels they talk to (a {@code SO_REUSEPORT} group, a client per peer); and the native
 * arrays of {@code recvmmsg} and {@code sendmmsg} (the send side's, {@code UIO_MAXIOV} messages,
 * is 176 KiB), which only one channel of the loop uses at a time: each call fills what it
 * passes just before it. Receives and sends have arrays of their own, as a handler sends while
 * the datagrams of a receive are still being handed out. And the receive slots, the buffers
 * {@code recvmmsg} writes into (16 of 64 KiB by default), which a receive fills and hands out
 * before the next: a loop's channels share them instead of holding a set each (1 MiB a
 * channel that ever received), as long as they take their buffers from the same allocator.
 * Event-loop confined; made on first use, freed as the loop's I/O handler closes.
 */
final class DatagramLoopCaches {
    private DatagramAddresses inet;
    private DatagramAddresses inet6;
    private MessageArrays receiveArrays;
    private int receiveCapacity;
    private MessageArrays sendArrays;
    private Buffer[] receiveSlots = new Buffer[0];
    private int receiveSlotSize;
    private BufferAllocator slotAllocator;

    /** The address cache of sockets of {@code family} ({@code AF_INET} or {@code AF_INET6}). */
    DatagramAddresses addresses(int family) {
        if (family == Sockets.AF_INET6) {
            if (inet6 == null) {
                inet6 = new DatagramAddresses(family);
            }
            return inet6;
        }
        if (inet == null) {
            inet = new DatagramAddresses(family);
        }
        return inet;
    }

    /** Arrays for a {@code recvmmsg} of up to {@code count} messages (at least that many: the largest asked for). */
    MessageArrays receiveArrays(int count) {
        if (count > receiveCapacity) {
            if (receiveArrays != null) {
                receiveArrays.free();
            }
            receiveArrays = new MessageArrays(count);
            receiveCapacity = count;
        }
        return receiveArrays;
    }

    /**
     * The loop's receive slots, at least {@code count} buffers of at least {@code size} bytes
     * (the empty ones filled from {@code allocator}; a receive that hands one out sets it to
     * null), or null if the loop's slots are another allocator's: the channel keeps its own.
     */
    Buffer[] receiveSlots(int count, int size, BufferAllocator allocator) {
        if (slotAllocator == null) {
            slotAllocator = allocator;
        } else if (slotAllocator != allocator) {
            return null;
        }
        if (size > receiveSlotSize) {
            releaseSlots();
            receiveSlotSize = size;
        }
        if (count > receiveSlots.length) {
            receiveSlots = Arrays.copyOf(receiveSlots, count);
        }
        for (int i = 0; i < count; i++) {
            if (receiveSlots[i] == null) {
                receiveSlots[i] = allocator.allocate(receiveSlotSize);
            }
        }
        return receiveSlots;
    }

    private void releaseSlots() {
        for (int i = 0; i < receiveSlots.length; i++) {
            if (receiveSlots[i] != null) {
                receiveSlots[i].release();
                receiveSlots[i] = null;
            }
        }
    }

    /** Arrays for a {@code sendmmsg} of up to {@code UIO_MAXIOV} messages. */
    MessageArrays sendArrays() {
        if (sendArrays == null) {
            sendArrays = new MessageArrays(Datagrams.UIO_MAXIOV);
        }
        return sendArrays;
    }

    /** Frees the arrays and releases the slots; the loop's channels are closed. */
    void close() {
        releaseSlots();
        if (receiveArrays != null) {
            receiveArrays.free();
            receiveArrays = null;
            receiveCapacity = 0;
        }
        if (sendArrays != null) {
            sendArrays.free();
            sendArrays = null;
        }
    }
}
