package io.panamanetty.bindings;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * IP multicast membership and sending options of {@code <netinet/in.h>}.
 *
 * <pre>{@code
 * struct ip_mreqn { struct in_addr imr_multiaddr; struct in_addr imr_address; int imr_ifindex; };
 * struct ipv6_mreq { struct in6_addr ipv6mr_multiaddr; unsigned int ipv6mr_interface; };
 * struct group_source_req { uint32_t gsr_interface; struct sockaddr_storage gsr_group;
 *                           struct sockaddr_storage gsr_source; };
 * }</pre>
 * The methods throw a {@link NativeIoException} naming the option and the group.
 */
public final class Multicast {
    public static final int IP_MULTICAST_IF = 32;
    public static final int IP_MULTICAST_TTL = 33;
    public static final int IP_MULTICAST_LOOP = 34;
    public static final int IP_ADD_MEMBERSHIP = 35;
    public static final int IP_DROP_MEMBERSHIP = 36;
    public static final int IPV6_MULTICAST_IF = 17;
    public static final int IPV6_MULTICAST_HOPS = 18;
    public static final int IPV6_MULTICAST_LOOP = 19;
    public static final int IPV6_JOIN_GROUP = 20;
    public static final int IPV6_LEAVE_GROUP = 21;
    public static final int MCAST_JOIN_SOURCE_GROUP = 46;
    public static final int MCAST_LEAVE_SOURCE_GROUP = 47;

    /** {@code struct ip_mreqn}: 12 bytes. */
    public static final StructLayout IP_MREQN = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(4, ValueLayout.JAVA_BYTE).withByteAlignment(4).withName("imr_multiaddr"),
            MemoryLayout.sequenceLayout(4, ValueLayout.JAVA_BYTE).withByteAlignment(4).withName("imr_address"),
            ValueLayout.JAVA_INT.withName("imr_ifindex")).withName("ip_mreqn");

    /** {@code struct ipv6_mreq}: 20 bytes. */
    public static final StructLayout IPV6_MREQ = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_BYTE).withByteAlignment(4).withName("ipv6mr_multiaddr"),
            ValueLayout.JAVA_INT.withName("ipv6mr_interface")).withName("ipv6_mreq");

    /** {@code struct group_source_req}: 264 bytes. */
    public static final StructLayout GROUP_SOURCE_REQ = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("gsr_interface"),
            MemoryLayout.paddingLayout(4),
            SockAddr.SOCKADDR_STORAGE.withName("gsr_group"),
            SockAddr.SOCKADDR_STORAGE.withName("gsr_source")).withName("group_source_req");

    private static final long MREQN_ADDRESS = IP_MREQN.byteOffset(groupElement("imr_address"));
    private static final long MREQN_IFINDEX = IP_MREQN.byteOffset(groupElement("imr_ifindex"));
    private static final long MREQ6_INTERFACE = IPV6_MREQ.byteOffset(groupElement("ipv6mr_interface"));
    private static final long GSR_GROUP = GROUP_SOURCE_REQ.byteOffset(groupElement("gsr_group"));
    private static final long GSR_SOURCE = GROUP_SOURCE_REQ.byteOffset(groupElement("gsr_source"));

    private Multicast() {
    }

    /**
     * Joins ({@code join}) or leaves {@code group} on the interface of index {@code ifindex}
     * (0: the kernel's choice): {@code IP_ADD_MEMBERSHIP}/{@code IP_DROP_MEMBERSHIP} with an
     * {@code ip_mreqn} for IPv4, {@code IPV6_JOIN_GROUP}/{@code IPV6_LEAVE_GROUP} for IPv6.
     */
    public static void membership(int fd, InetAddress group, int ifindex, boolean join) throws NativeIoException {
        MemorySegment scratch = Libc.scratch();
        int result;
        String option;
        if (group instanceof Inet4Address) {
            MemorySegment mreq = scratch.asSlice(0, IP_MREQN.byteSize()).fill((byte) 0);
            MemorySegment.copy(group.getAddress(), 0, mreq, ValueLayout.JAVA_BYTE, 0, 4);
            mreq.set(ValueLayout.JAVA_INT, MREQN_IFINDEX, ifindex);
            option = join ? "IP_ADD_MEMBERSHIP" : "IP_DROP_MEMBERSHIP";
            result = Sockets.setsockopt(fd, Sockets.IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP,
                    mreq, (int) IP_MREQN.byteSize());
        } else {
            MemorySegment mreq = scratch.asSlice(0, IPV6_MREQ.byteSize()).fill((byte) 0);
            MemorySegment.copy(group.getAddress(), 0, mreq, ValueLayout.JAVA_BYTE, 0, 16);
            mreq.set(ValueLayout.JAVA_INT, MREQ6_INTERFACE, ifindex);
            option = join ? "IPV6_JOIN_GROUP" : "IPV6_LEAVE_GROUP";
            result = Sockets.setsockopt(fd, Sockets.IPPROTO_IPV6, join ? IPV6_JOIN_GROUP : IPV6_LEAVE_GROUP,
                    mreq, (int) IPV6_MREQ.byteSize());
        }
        if (result < 0) {
            throw Errno.exception(-result, "setsockopt", option + " " + group.getHostAddress() + " ifindex " + ifindex);
        }
    }

    /**
     * Joins or leaves the source-specific group ({@code source}, {@code group}) on the
     * interface {@code ifindex}: {@code MCAST_JOIN_SOURCE_GROUP}/{@code MCAST_LEAVE_SOURCE_GROUP}
     * at the level of the group's family, with addresses of that family: an IPv4 group at
     * {@code IPPROTO_IP} with {@code sockaddr_in}s, also on a dual-stack IPv6 socket (the IPv6
     * level refuses v4-mapped groups, which are not IPv6 multicast addresses).
     */
    public static void sourceMembership(int fd, InetAddress group, InetAddress source, int ifindex, boolean join)
            throws NativeIoException {
        MemorySegment scratch = Libc.scratch();
        MemorySegment request = scratch.asSlice(0, GROUP_SOURCE_REQ.byteSize()).fill((byte) 0);
        request.set(ValueLayout.JAVA_INT, 0, ifindex);
        int family = group instanceof Inet6Address ? Sockets.AF_INET6 : Sockets.AF_INET;
        Datagrams.writeAddress(request, GSR_GROUP, new InetSocketAddress(group, 0), family);
        Datagrams.writeAddress(request, GSR_SOURCE, new InetSocketAddress(source, 0), family);
        int level = family == Sockets.AF_INET6 ? Sockets.IPPROTO_IPV6 : Sockets.IPPROTO_IP;
        int result = Sockets.setsockopt(fd, level, join ? MCAST_JOIN_SOURCE_GROUP : MCAST_LEAVE_SOURCE_GROUP,
                request, (int) GROUP_SOURCE_REQ.byteSize());
        if (result < 0) {
            throw Errno.exception(-result, "setsockopt", (join ? "MCAST_JOIN_SOURCE_GROUP " : "MCAST_LEAVE_SOURCE_GROUP ")
                    + group.getHostAddress() + " from " + source.getHostAddress() + " ifindex " + ifindex);
        }
    }

    /**
     * Sends an IPv4 socket's multicast datagrams out of the interface of index {@code ifindex}
     * ({@code IP_MULTICAST_IF} with an {@code ip_mreqn}) or, if it is 0, of the interface
     * owning {@code address}.
     */
    public static void setInterface4(int fd, int ifindex, Inet4Address address) throws NativeIoException {
        MemorySegment mreq = Libc.scratch().asSlice(0, IP_MREQN.byteSize()).fill((byte) 0);
        if (address != null) {
            MemorySegment.copy(address.getAddress(), 0, mreq, ValueLayout.JAVA_BYTE, MREQN_ADDRESS, 4);
        }
        mreq.set(ValueLayout.JAVA_INT, MREQN_IFINDEX, ifindex);
        int result = Sockets.setsockopt(fd, Sockets.IPPROTO_IP, IP_MULTICAST_IF, mreq, (int) IP_MREQN.byteSize());
        if (result < 0) {
            throw Errno.exception(-result, "setsockopt", "IP_MULTICAST_IF ifindex " + ifindex
                    + (address == null ? "" : " " + address.getHostAddress()));
        }
    }
}
