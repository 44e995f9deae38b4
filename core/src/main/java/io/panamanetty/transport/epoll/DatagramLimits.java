package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Sockets;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * What a datagram channel can send: UDP's payload limits per family, and why a given datagram
 * cannot go (no recipient on an unconnected socket, an unresolved or foreign-family recipient,
 * too long). Stateless.
 */
final class DatagramLimits {
    /** UDP's largest payload over IPv4 (65,535 less the IP and UDP headers). */
    static final int MAX_IPV4_PAYLOAD = 65_507;
    /** UDP's largest payload over IPv6 without jumbograms. */
    static final int MAX_IPV6_PAYLOAD = 65_527;
    private DatagramLimits() {
    }

    /** Why a datagram cannot be sent, or null if it can. */
    static String refusal(EpollDatagramChannel channel, int length, InetSocketAddress recipient) {
        if (recipient == null && !channel.isConnected()) {
            return "a datagram to " + channel + ", which is not connected, needs a recipient:"
                    + " write a DatagramPacket(content, recipient)";
        }
        if (recipient != null && recipient.isUnresolved()) {
            return "the recipient " + recipient + " is unresolved: resolve it first";
        }
        if (recipient != null && channel.family() == Sockets.AF_INET
                && recipient.getAddress() instanceof Inet6Address) {
            return "an IPv4 channel cannot send to the IPv6 address " + recipient
                    + ": bind the channel to an IPv6 address (\"::\" for both)";
        }
        boolean v6 = (recipient != null ? recipient : channel.remoteAddress()).getAddress() instanceof Inet6Address;
        int max = v6 ? MAX_IPV6_PAYLOAD : MAX_IPV4_PAYLOAD;
        if (length > max) {
            return "a datagram of " + length + " bytes is larger than UDP allows over " + (v6 ? "IPv6" : "IPv4")
                    + " (" + max + " bytes)";
        }
        return null;
    }
}
