package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Datagrams;
import io.panamanetty.bindings.Sockets;

/**
 * What one loop's datagram channels share: the address caches, one per socket family (an
 * IPv6 socket writes even an IPv4 peer as a mapped {@code sockaddr_in6}), so that the
 * peers a loop's channels hear from cost one {@link java.net.InetSocketAddress} each, however many
 * channels they talk to (a {@code SO_REUSEPORT} group, a client per peer); and the native
 * arrays of {@code recvmmsg} and {@code sendmmsg} (the send side's, {@code UIO_MAXIOV} messages,
 * is 176 KiB), which only one channel of the loop uses at a time: each call fills what it
 * passes just before it. Receives and sends have arrays of their own, as a handler sends while
 * the datagrams of a receive are still being handed out. Event-loop confined; made on first
 * use, freed as the loop's I/O handler closes.
 */
final class DatagramLoopCaches {
    private DatagramAddresses inet;
    private DatagramAddresses inet6;
    private MessageArrays receiveArrays;
    private int receiveCapacity;
    private MessageArrays sendArrays;

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

    /** Arrays for a {@code sendmmsg} of up to {@code UIO_MAXIOV} messages. */
    MessageArrays sendArrays() {
        if (sendArrays == null) {
            sendArrays = new MessageArrays(Datagrams.UIO_MAXIOV);
        }
        return sendArrays;
    }

    /** Frees the arrays; the loop's channels are closed. */
    void close() {
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
