package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Multicast;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.Sockets;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Joins and leaves multicast groups on an {@link EpollDatagramChannel}'s socket, refusing in
 * plain words what its family cannot carry: an IPv6 group on an IPv4 socket, an IPv4 group on
 * an IPv6-only one (a dual-stack socket, bound to {@code ::}, joins IPv4 groups at the IPv4
 * level), a source of the other family than its group.
 */
final class MulticastMembership {
    private MulticastMembership() {
    }

    /**
     * Joins ({@code join}) or leaves {@code group} (for {@code source} only, if not null) on the
     * interface of index {@code ifindex} (0: the kernel's choice) of socket {@code fd}.
     *
     * @throws IllegalArgumentException if the socket or the source cannot go with the group
     */
    static void change(int fd, int family, boolean dualStack, InetAddress group, InetAddress source, int ifindex,
                       boolean join) throws NativeIoException {
        boolean v6Group = group instanceof Inet6Address;
        if (family == Sockets.AF_INET && v6Group) {
            throw new IllegalArgumentException("an IPv4 channel cannot join the IPv6 group " + group.getHostAddress());
        }
        if (family == Sockets.AF_INET6 && !dualStack && !v6Group) {
            throw new IllegalArgumentException("the IPv4 group " + group.getHostAddress() + " needs a channel that"
                    + " carries IPv4: bind to an IPv4 address, or to \"::\" for both");
        }
        if (source != null && (source instanceof Inet6Address) != v6Group) {
            throw new IllegalArgumentException("the source " + source.getHostAddress() + " and the group "
                    + group.getHostAddress() + " are of different families");
        }
        if (source == null) {
            Multicast.membership(fd, group, ifindex, join);
        } else {
            Multicast.sourceMembership(fd, group, source, ifindex, join);
        }
    }
}
