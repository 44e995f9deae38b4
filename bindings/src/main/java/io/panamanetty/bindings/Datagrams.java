package io.panamanetty.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import static io.panamanetty.bindings.Libc.C_INT;
import static io.panamanetty.bindings.Libc.C_LONG;

/**
 * UDP sockets ({@code <sys/socket.h>}, {@code <netinet/in.h>}, {@code <netinet/udp.h>}):
 * batched receives and sends, and the datagram socket options ({@code IP_TOS} and
 * {@code IPV6_TCLASS} are {@link SockOpt}'s).
 *
 * <pre>{@code
 * int recvmmsg(int fd, struct mmsghdr *msgvec, unsigned int vlen, int flags, struct timespec *timeout);
 * int sendmmsg(int fd, struct mmsghdr *msgvec, unsigned int vlen, int flags);
 * }</pre>
 * Both return the number of messages received or sent, or {@code -errno}; the arrays are
 * described by {@link MsgHdr}. They take raw addresses, so a call makes no segment.
 */
public final class Datagrams {
    public static final int IPPROTO_UDP = 17;
    /** The option level of {@link #UDP_SEGMENT} and {@link #UDP_GRO}. */
    public static final int SOL_UDP = 17;
    /** {@code SOL_UDP} option and control message: the GSO segment size ({@code uint16_t}). */
    public static final int UDP_SEGMENT = 103;
    /** {@code SOL_UDP} option: receive coalesced datagrams, the segment size as a control message. */
    public static final int UDP_GRO = 104;

    public static final int SO_BROADCAST = 6;
    /** {@code SOL_SOCKET}: send without UDP checksums (which GSO needs, so it refuses with EINVAL). */
    public static final int SO_NO_CHECK = 11;

    /** The most messages one {@code recvmmsg}/{@code sendmmsg} takes ({@code UIO_MAXIOV}). */
    public static final int UIO_MAXIOV = 1024;

    private static final MethodHandle RECVMMSG = Libc.withErrno("recvmmsg",
            FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_INT, C_INT, C_LONG));
    private static final MethodHandle SENDMMSG = Libc.withErrno("sendmmsg",
            FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_INT, C_INT));

    private static final byte[] V4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    private Datagrams() {
    }

    /** {@code recvmmsg} into the {@code vlen} headers at {@code msgvec}, without a timeout. */
    public static int recvmmsg(int fd, long msgvec, int vlen, int flags) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((int) RECVMMSG.invokeExact(capture, fd, msgvec, vlen, flags, 0L), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code sendmmsg} of the {@code vlen} headers at {@code msgvec}. */
    public static int sendmmsg(int fd, long msgvec, int vlen, int flags) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((int) SENDMMSG.invokeExact(capture, fd, msgvec, vlen, flags), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Opens a non-blocking, close-on-exec UDP socket of {@code family} ({@link Sockets#AF_INET} or {@code AF_INET6}). */
    public static int openUdp(int family) throws NativeIoException {
        int fd = Sockets.socket(family, Sockets.SOCK_DGRAM | Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC, 0);
        return Errno.check(fd, "socket");
    }

    /**
     * Writes {@code address} at {@code offset} of {@code dst} as a socket of
     * {@code socketFamily} needs it: an IPv4 address to an IPv6 socket as {@code ::ffff:a.b.c.d}.
     * Returns the length to pass ({@code socklen_t}).
     *
     * @throws IllegalArgumentException if the address is unresolved, or IPv6 for an IPv4 socket
     */
    public static int writeAddress(MemorySegment dst, long offset, InetSocketAddress address, int socketFamily) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("unresolved address " + address);
        }
        MemorySegment slot = dst.asSlice(offset, SockAddr.SOCKADDR_IN6.byteSize());
        if (socketFamily == Sockets.AF_INET6 && ip instanceof Inet4Address) {
            slot.fill((byte) 0);
            slot.set(ValueLayout.JAVA_SHORT, SockAddr.FAMILY_OFFSET, (short) Sockets.AF_INET6);
            slot.set(ValueLayout.JAVA_SHORT.withOrder(java.nio.ByteOrder.BIG_ENDIAN), SockAddr.PORT_OFFSET,
                    (short) address.getPort());
            MemorySegment.copy(V4_MAPPED_PREFIX, 0, slot, ValueLayout.JAVA_BYTE, SockAddr.IN6_ADDR_OFFSET, 12);
            MemorySegment.copy(ip.getAddress(), 0, slot, ValueLayout.JAVA_BYTE, SockAddr.IN6_ADDR_OFFSET + 12, 4);
            return (int) SockAddr.SOCKADDR_IN6.byteSize();
        }
        if (socketFamily == Sockets.AF_INET && !(ip instanceof Inet4Address)) {
            throw new IllegalArgumentException("an IPv4 socket cannot send to " + SockAddr.describe(address));
        }
        return SockAddr.write(slot, address);
    }
}
