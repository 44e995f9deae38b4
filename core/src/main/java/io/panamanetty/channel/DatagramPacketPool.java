package io.panamanetty.channel;

import io.panamanetty.buffer.Buffer;

import java.net.InetSocketAddress;

/**
 * One event loop's recycled {@link DatagramPacket}s: the packets its channels fire come from
 * here, and a packet goes back once its last reference is released on the loop's thread
 * (by a handler, by the framework's ownership rule, or by the channel that sent it). A packet
 * released on another thread is left to the garbage collector. Packets made with a
 * constructor are never pooled. Confined to the loop's thread; at most {@link #CAPACITY}
 * packets are kept, so a burst of packets that handlers hold does not stay in memory.
 */
final class DatagramPacketPool {
    /** Packets kept at most: a few receive batches' worth. */
    static final int CAPACITY = 1024;
    private static final boolean RECYCLE = !"false".equalsIgnoreCase(
            System.getProperty("io.panamanetty.allocator.recycle", "true").trim());

    private final Thread owner;
    private final DatagramPacket[] free = new DatagramPacket[CAPACITY];
    private int count;

    /** A pool for the loop running on {@code owner}. */
    DatagramPacketPool(Thread owner) {
        this.owner = owner;
    }

    /** A packet around {@code content} (whose reference passes to it), reused if one is free; on the owner thread. */
    DatagramPacket take(Buffer content, InetSocketAddress recipient, InetSocketAddress sender, int segmentSize) {
        int n = count;
        if (n == 0) {
            return new DatagramPacket(content, recipient, sender, segmentSize, this);
        }
        DatagramPacket packet = free[n - 1];
        free[n - 1] = null;
        count = n - 1;
        packet.reuse(content, recipient, sender, segmentSize);
        return packet;
    }

    /** Takes back {@code packet}, whose last reference was just released, if on the owner thread and there is room. */
    void recycle(DatagramPacket packet) {
        if (RECYCLE && Thread.currentThread() == owner && count < CAPACITY) {
            free[count++] = packet;
        }
    }

    /** {@return how many packets are kept for reuse} */
    int size() {
        return count;
    }
}
