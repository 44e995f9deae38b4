package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Datagrams;
import io.panamanetty.bindings.SockAddr;
import io.panamanetty.bindings.Sockets;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;

/**
 * One loop's cache (per socket family, see {@link DatagramLoopCaches}) between raw socket
 * addresses and {@link InetSocketAddress}es, so that the peers a server hears from again and
 * again cost no allocation: a received
 * sender's {@code sockaddr} is looked up by its bytes, a recipient by identity (an echo
 * replies to the very object it was handed). Direct-mapped, a miss replaces the slot.
 * Event-loop confined.
 *
 * <p>An address is kept as its {@code sockaddr} bytes in the socket's family: 8 bytes
 * (family, port, IPv4 address) for {@code sockaddr_in}, 28 for {@code sockaddr_in6}.
 */
final class DatagramAddresses {
    /** Bytes of one address slot in the native arrays: a {@code sockaddr_in6} (28) rounded up. */
    static final int SLOT_SIZE = 32;
    private static final int SIZE = 256;
    private static final int MASK = SIZE - 1;
    private static final int V4_LENGTH = (int) SockAddr.SOCKADDR_IN.byteSize();
    private static final int V6_LENGTH = (int) SockAddr.SOCKADDR_IN6.byteSize();

    private final int socketFamily;
    private final InetSocketAddress[] received = new InetSocketAddress[SIZE];
    private final long[] receivedKeys = new long[SIZE * 4];
    private final InetSocketAddress[] sent = new InetSocketAddress[SIZE];
    private final long[] sentKeys = new long[SIZE * 4];

    DatagramAddresses(int socketFamily) {
        this.socketFamily = socketFamily;
    }

    /** The sender whose {@code sockaddr} of {@code length} bytes is at {@code offset} of {@code names}. */
    InetSocketAddress decode(MemorySegment names, long offset, int length) {
        boolean v6 = length >= V6_LENGTH;
        long k0 = names.get(ValueLayout.JAVA_LONG, offset);
        long k1 = v6 ? names.get(ValueLayout.JAVA_LONG, offset + 8) : 0;
        long k2 = v6 ? names.get(ValueLayout.JAVA_LONG, offset + 16) : 0;
        long k3 = v6 ? names.get(ValueLayout.JAVA_INT, offset + 24) : 0;
        int slot = hash(k0, k1, k2, k3);
        InetSocketAddress cached = received[slot];
        int key = slot * 4;
        if (cached != null && receivedKeys[key] == k0 && receivedKeys[key + 1] == k1 && receivedKeys[key + 2] == k2
                && receivedKeys[key + 3] == k3) {
            return cached;
        }
        InetSocketAddress address = SockAddr.read(names.asSlice(offset, length));
        received[slot] = address;
        receivedKeys[key] = k0;
        receivedKeys[key + 1] = k1;
        receivedKeys[key + 2] = k2;
        receivedKeys[key + 3] = k3;
        remember(address, k0, k1, k2, k3);   // the reply goes to this very object
        return address;
    }

    /**
     * Writes {@code recipient} as this socket's {@code sockaddr} at {@code offset} of
     * {@code names} and returns its length.
     *
     * @throws IllegalArgumentException if the socket's family cannot reach it
     */
    int encode(InetSocketAddress recipient, MemorySegment names, long offset) {
        int slot = System.identityHashCode(recipient) & MASK;
        int key = slot * 4;
        if (sent[slot] == recipient) {
            long k0 = sentKeys[key];
            names.set(ValueLayout.JAVA_LONG, offset, k0);
            if (socketFamily == Sockets.AF_INET) {
                names.set(ValueLayout.JAVA_LONG, offset + 8, 0);   // sin_zero
                return V4_LENGTH;
            }
            names.set(ValueLayout.JAVA_LONG, offset + 8, sentKeys[key + 1]);
            names.set(ValueLayout.JAVA_LONG, offset + 16, sentKeys[key + 2]);
            names.set(ValueLayout.JAVA_INT, offset + 24, (int) sentKeys[key + 3]);
            return V6_LENGTH;
        }
        int length = Datagrams.writeAddress(names, offset, recipient, socketFamily);
        boolean v6 = length >= V6_LENGTH;
        remember(recipient, names.get(ValueLayout.JAVA_LONG, offset),
                v6 ? names.get(ValueLayout.JAVA_LONG, offset + 8) : 0,
                v6 ? names.get(ValueLayout.JAVA_LONG, offset + 16) : 0,
                v6 ? names.get(ValueLayout.JAVA_INT, offset + 24) : 0);
        return length;
    }

    private void remember(InetSocketAddress address, long k0, long k1, long k2, long k3) {
        int slot = System.identityHashCode(address) & MASK;
        int key = slot * 4;
        sent[slot] = address;
        sentKeys[key] = k0;
        sentKeys[key + 1] = k1;
        sentKeys[key + 2] = k2;
        sentKeys[key + 3] = k3;
    }

    private static int hash(long k0, long k1, long k2, long k3) {
        long h = k0 * 0x9E3779B97F4A7C15L;
        h ^= k1 * 0xC2B2AE3D27D4EB4FL;
        h ^= k2 * 0x165667B19E3779F9L;
        h ^= k3 * 0x27D4EB2F165667C5L;
        return (int) (h ^ (h >>> 29) ^ (h >>> 47)) & MASK;
    }
}
