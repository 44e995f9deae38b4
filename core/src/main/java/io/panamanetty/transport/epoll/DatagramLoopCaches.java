package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Sockets;

/**
 * What one loop's datagram channels share: the address caches, one per socket family (an
 * IPv6 socket writes even an IPv4 peer as a mapped {@code sockaddr_in6}), so that the
 * peers a loop's channels hear from cost one {@link java.net.InetSocketAddress} each, however many
 * channels they talk to (a {@code SO_REUSEPORT} group, a client per peer). Event-loop
 * confined; made on first use.
 */
final class DatagramLoopCaches {
    private DatagramAddresses inet;
    private DatagramAddresses inet6;

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
}
