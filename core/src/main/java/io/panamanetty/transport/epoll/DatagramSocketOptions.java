package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Datagrams;
import io.panamanetty.bindings.Multicast;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.DatagramChannelOption;

import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;

/**
 * Maps the socket options of {@link DatagramChannelOption} to {@code setsockopt} and
 * {@code getsockopt}, at the level of the socket's family: on an IPv6 socket
 * {@code IP_MULTICAST_TTL} is the hop limit, and so on; a dual-stack socket gets the IPv4 level
 * too. ({@code ChannelOption.IP_TOS} and the other common ones are {@link SocketOptions}'.)
 */
final class DatagramSocketOptions {
    private DatagramSocketOptions() {
    }

    /** True for the options this class applies. */
    static boolean isDatagramSocketOption(ChannelOption<?> option) {
        return option == DatagramChannelOption.SO_BROADCAST
                || option == DatagramChannelOption.IP_MULTICAST_LOOP || option == DatagramChannelOption.IP_MULTICAST_TTL
                || option == DatagramChannelOption.IPV6_MULTICAST_HOPS || option == DatagramChannelOption.IP_MULTICAST_IF
                || option == DatagramChannelOption.UDP_GRO;
    }

    /**
     * Applies {@code option} to the UDP socket {@code fd} of {@code family}. On a dual-stack
     * socket (IPv6, bound to {@code ::}) the multicast options are set at both levels: the
     * IPv6 one for IPv6 traffic and the IPv4 one, which Linux takes on such a socket, for
     * the IPv4 (v4-mapped) traffic it also carries; else an IPv4 group's datagrams would leave
     * with the IPv4 defaults (no interface, loop on, TTL 1).
     */
    static void apply(int fd, int family, boolean dualStack, ChannelOption<?> option, Object value)
            throws NativeIoException {
        if (option == DatagramChannelOption.IP_MULTICAST_IF) {
            int index = ((NetworkInterface) value).getIndex();
            if (family == Sockets.AF_INET6) {
                Sockets.setInt(fd, Sockets.IPPROTO_IPV6, Multicast.IPV6_MULTICAST_IF, index);
            }
            if (family != Sockets.AF_INET6 || dualStack) {
                // with the interface's IPv4 address too: the source of the datagrams (a dual-stack
                // socket given the index alone sends from 0.0.0.0)
                Multicast.setInterface4(fd, index, firstIpv4Address((NetworkInterface) value));
            }
            return;
        }
        int intValue = value instanceof Boolean on ? (on ? 1 : 0) : (Integer) value;
        int[] levelAndName = levelAndName(family, option);
        Sockets.setInt(fd, levelAndName[0], levelAndName[1], intValue);
        if (dualStack && family == Sockets.AF_INET6 && levelAndName[0] == Sockets.IPPROTO_IPV6) {
            int[] ipv4 = levelAndName(Sockets.AF_INET, option);
            Sockets.setInt(fd, ipv4[0], ipv4[1], intValue);
        }
    }

    private static Inet4Address firstIpv4Address(NetworkInterface networkInterface) {
        for (var addresses = networkInterface.getInetAddresses(); addresses.hasMoreElements(); ) {
            if (addresses.nextElement() instanceof Inet4Address address) {
                return address;
            }
        }
        return null;
    }

    /** Reads {@code option} from the UDP socket {@code fd} of {@code family}. */
    static Object read(int fd, int family, ChannelOption<?> option) throws NativeIoException {
        if (option == DatagramChannelOption.IP_MULTICAST_IF) {
            if (family != Sockets.AF_INET6) {
                throw new UnsupportedOperationException("reading IP_MULTICAST_IF of an IPv4 socket back is not"
                        + " supported");
            }
            int index = Sockets.getInt(fd, Sockets.IPPROTO_IPV6, Multicast.IPV6_MULTICAST_IF);
            try {
                return index == 0 ? null : NetworkInterface.getByIndex(index);
            } catch (SocketException e) {
                return null;   // the interface went away
            }
        }
        int[] levelAndName = levelAndName(family, option);
        int value = Sockets.getInt(fd, levelAndName[0], levelAndName[1]);
        boolean isBoolean = option == DatagramChannelOption.SO_BROADCAST
                || option == DatagramChannelOption.IP_MULTICAST_LOOP || option == DatagramChannelOption.UDP_GRO;
        return isBoolean ? (Object) (value != 0) : (Object) value;
    }

    private static int[] levelAndName(int family, ChannelOption<?> option) {
        boolean v6 = family == Sockets.AF_INET6;
        if (option == DatagramChannelOption.SO_BROADCAST) {
            return new int[] {Sockets.SOL_SOCKET, Datagrams.SO_BROADCAST};
        } else if (option == DatagramChannelOption.UDP_GRO) {
            return new int[] {Datagrams.SOL_UDP, Datagrams.UDP_GRO};
        } else if (option == DatagramChannelOption.IP_MULTICAST_LOOP) {
            return v6 ? new int[] {Sockets.IPPROTO_IPV6, Multicast.IPV6_MULTICAST_LOOP}
                    : new int[] {Sockets.IPPROTO_IP, Multicast.IP_MULTICAST_LOOP};
        } else if (option == DatagramChannelOption.IP_MULTICAST_TTL || option == DatagramChannelOption.IPV6_MULTICAST_HOPS) {
            return v6 ? new int[] {Sockets.IPPROTO_IPV6, Multicast.IPV6_MULTICAST_HOPS}
                    : new int[] {Sockets.IPPROTO_IP, Multicast.IP_MULTICAST_TTL};
        }
        throw new IllegalArgumentException("not a datagram socket option: " + option);
    }
}
