package io.panamanetty.bindings;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * Socket address structs and their conversion to and from {@link InetSocketAddress}.
 *
 * <pre>{@code
 * struct sockaddr_in  { sa_family_t sin_family; in_port_t sin_port; struct in_addr sin_addr; unsigned char sin_zero[8]; };
 * struct sockaddr_in6 { sa_family_t sin6_family; in_port_t sin6_port; uint32_t sin6_flowinfo;
 *                       struct in6_addr sin6_addr; uint32_t sin6_scope_id; };
 * struct sockaddr_storage { sa_family_t ss_family; char __ss_padding[118]; unsigned long __ss_align; };
 * }</pre>
 */
public final class SockAddr {
    private static final ValueLayout.OfShort NET_SHORT =
            ValueLayout.JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);

    /** {@code struct sockaddr_in}: 16 bytes. */
    public static final StructLayout SOCKADDR_IN = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("sin_family"),
            NET_SHORT.withName("sin_port"),
            // struct in_addr holds a uint32_t: 4-aligned, which makes sockaddr_in 4-aligned
            MemoryLayout.sequenceLayout(4, ValueLayout.JAVA_BYTE).withByteAlignment(4).withName("sin_addr"),
            MemoryLayout.sequenceLayout(8, ValueLayout.JAVA_BYTE).withName("sin_zero"))
            .withName("sockaddr_in");

    /** {@code struct sockaddr_in6}: 28 bytes. */
    public static final StructLayout SOCKADDR_IN6 = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("sin6_family"),
            NET_SHORT.withName("sin6_port"),
            ValueLayout.JAVA_INT.withName("sin6_flowinfo"),
            MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_BYTE).withName("sin6_addr"),
            ValueLayout.JAVA_INT.withName("sin6_scope_id"))
            .withName("sockaddr_in6");

    /** {@code struct sockaddr_storage}: 128 bytes, large enough for any address. */
    public static final StructLayout SOCKADDR_STORAGE = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("ss_family"),
            MemoryLayout.sequenceLayout(118, ValueLayout.JAVA_BYTE).withName("__ss_padding"),
            ValueLayout.JAVA_LONG.withName("__ss_align"))
            .withName("sockaddr_storage");

    static final long FAMILY_OFFSET = 0;
    static final long PORT_OFFSET = SOCKADDR_IN.byteOffset(groupElement("sin_port"));
    static final long IN_ADDR_OFFSET = SOCKADDR_IN.byteOffset(groupElement("sin_addr"));
    static final long IN6_FLOWINFO_OFFSET = SOCKADDR_IN6.byteOffset(groupElement("sin6_flowinfo"));
    static final long IN6_ADDR_OFFSET = SOCKADDR_IN6.byteOffset(groupElement("sin6_addr"));
    static final long IN6_SCOPE_OFFSET = SOCKADDR_IN6.byteOffset(groupElement("sin6_scope_id"));

    private SockAddr() {
    }

    /** The address family ({@link Sockets#AF_INET} or {@link Sockets#AF_INET6}) for {@code address}. */
    public static int family(InetSocketAddress address) {
        return requireResolved(address).getAddress() instanceof Inet6Address
                ? Sockets.AF_INET6 : Sockets.AF_INET;
    }

    /**
     * Writes {@code address} as a {@code sockaddr_in} or {@code sockaddr_in6} at the
     * start of {@code dst} and returns its length (the {@code socklen_t} to pass).
     *
     * @throws IllegalArgumentException if the address is unresolved or {@code dst} too small
     */
    public static int write(MemorySegment dst, InetSocketAddress address) {
        InetAddress ip = requireResolved(address).getAddress();
        int port = address.getPort();
        if (ip instanceof Inet6Address ip6) {
            checkSize(dst, SOCKADDR_IN6.byteSize());
            dst.asSlice(0, SOCKADDR_IN6.byteSize()).fill((byte) 0);
            dst.set(ValueLayout.JAVA_SHORT, FAMILY_OFFSET, (short) Sockets.AF_INET6);
            dst.set(NET_SHORT, PORT_OFFSET, (short) port);
            MemorySegment.copy(ip6.getAddress(), 0, dst, ValueLayout.JAVA_BYTE, IN6_ADDR_OFFSET, 16);
            dst.set(ValueLayout.JAVA_INT, IN6_SCOPE_OFFSET, ip6.getScopeId());
            return (int) SOCKADDR_IN6.byteSize();
        }
        checkSize(dst, SOCKADDR_IN.byteSize());
        dst.asSlice(0, SOCKADDR_IN.byteSize()).fill((byte) 0);
        dst.set(ValueLayout.JAVA_SHORT, FAMILY_OFFSET, (short) Sockets.AF_INET);
        dst.set(NET_SHORT, PORT_OFFSET, (short) port);
        MemorySegment.copy(ip.getAddress(), 0, dst, ValueLayout.JAVA_BYTE, IN_ADDR_OFFSET, 4);
        return (int) SOCKADDR_IN.byteSize();
    }

    /**
     * Reads the {@code sockaddr_in} or {@code sockaddr_in6} at the start of {@code src}.
     * An IPv4-mapped IPv6 address comes back as an {@link Inet4Address}.
     *
     * @throws IllegalArgumentException for any other address family
     */
    public static InetSocketAddress read(MemorySegment src) {
        int family = src.get(ValueLayout.JAVA_SHORT, FAMILY_OFFSET);
        int port = Short.toUnsignedInt(src.get(NET_SHORT, PORT_OFFSET));
        try {
            if (family == Sockets.AF_INET) {
                byte[] ip = new byte[4];
                MemorySegment.copy(src, ValueLayout.JAVA_BYTE, IN_ADDR_OFFSET, ip, 0, 4);
                return new InetSocketAddress(InetAddress.getByAddress(ip), port);
            }
            if (family == Sockets.AF_INET6) {
                byte[] ip = new byte[16];
                MemorySegment.copy(src, ValueLayout.JAVA_BYTE, IN6_ADDR_OFFSET, ip, 0, 16);
                int scope = src.get(ValueLayout.JAVA_INT, IN6_SCOPE_OFFSET);
                InetAddress address = InetAddress.getByAddress(ip);   // maps ::ffff:a.b.c.d to IPv4
                if (address instanceof Inet6Address && scope != 0) {
                    address = Inet6Address.getByAddress(null, ip, scope);
                }
                return new InetSocketAddress(address, port);
            }
        } catch (UnknownHostException e) {
            throw new AssertionError("raw address of fixed length rejected", e);
        }
        throw new IllegalArgumentException("unsupported address family " + family);
    }

    /** {@code host:port}, with IPv6 literals in brackets, as used in error messages. */
    public static String describe(InetSocketAddress address) {
        String host = address.isUnresolved() ? address.getHostString()
                : address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static InetSocketAddress requireResolved(InetSocketAddress address) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address " + address);
        }
        return address;
    }

    private static void checkSize(MemorySegment dst, long needed) {
        if (dst.byteSize() < needed) {
            throw new IllegalArgumentException("segment of " + dst.byteSize()
                    + " bytes cannot hold a socket address of " + needed);
        }
    }
}
