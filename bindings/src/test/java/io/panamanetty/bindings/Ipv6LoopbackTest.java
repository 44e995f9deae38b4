package io.panamanetty.bindings;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * TCP over {@code ::1}, and IPv4 clients of a dual-stack socket. Skipped only when
 * the kernel has no IPv6 at all.
 */
@ExtendWith(NoFdLeaks.class)
@Timeout(60)
class Ipv6LoopbackTest {
    private static final InetSocketAddress IPV6_ANY_PORT = new InetSocketAddress(loopback6(), 0);

    private static InetAddress loopback6() {
        try {
            return InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** A non-blocking AF_INET6 TCP socket; skips the test if the kernel has no IPv6. */
    private static int openIpv6(FdScope fds) {
        int fd = Sockets.socket(Sockets.AF_INET6, Sockets.SOCK_STREAM | Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC, 0);
        Assumptions.assumeTrue(fd != -Errno.EAFNOSUPPORT, "the kernel has no IPv6: socket(AF_INET6) failed with EAFNOSUPPORT");
        return fds.add(fd);
    }

    /** Binds {@code fd} to {@code address}; skips the test if {@code ::1} is not configured. */
    private static void bindOrSkip(int fd, InetSocketAddress address) throws NativeIoException {
        try {
            Sockets.bind(fd, address);
        } catch (NativeIoException e) {
            Assumptions.assumeTrue(e.errno() != Errno.EADDRNOTAVAIL, "no IPv6 loopback address: " + e.getMessage());
            throw e;
        }
    }

    private static int listen6(FdScope fds) throws NativeIoException {
        int listener = openIpv6(fds);
        bindOrSkip(listener, IPV6_ANY_PORT);
        Errno.check(Sockets.listen(listener, 16), "listen");
        return listener;
    }

    @Test
    void connectAcceptAndExchangeOverIpv6Loopback() throws Exception {
        try (FdScope fds = new FdScope(); Arena arena = Arena.ofConfined()) {
            int listener = listen6(fds);
            InetSocketAddress listening = Sockets.localAddress(listener);
            assertInstanceOf(Inet6Address.class, listening.getAddress());
            assertEquals(IPV6_ANY_PORT.getAddress(), listening.getAddress());

            Loopback.Connection connection = Loopback.connect(fds, listener);
            assertEquals(listening, Sockets.remoteAddress(connection.client()));
            assertEquals(listening, Sockets.localAddress(connection.server()));
            assertEquals(Sockets.localAddress(connection.client()), Sockets.remoteAddress(connection.server()));
            assertEquals(IPV6_ANY_PORT.getAddress(), Sockets.localAddress(connection.client()).getAddress());

            Loopback.transfer(connection.client(), connection.server(),
                    Loopback.pattern(arena, 200_000, 6), arena.allocate(200_000));
            Loopback.transfer(connection.server(), connection.client(),
                    Loopback.pattern(arena, 5_000, 7), arena.allocate(5_000));
        }
    }

    @Test
    void bindingATakenIpv6PortNamesTheBracketedAddress() throws Exception {
        try (FdScope fds = new FdScope()) {
            int listener = listen6(fds);
            InetSocketAddress taken = Sockets.localAddress(listener);
            int second = openIpv6(fds);
            NativeIoException e = assertThrows(NativeIoException.class, () -> Sockets.bind(second, taken));
            assertEquals("bind [0:0:0:0:0:0:0:1]:" + taken.getPort() + " failed: EADDRINUSE (Address already in use)",
                    e.getMessage());
        }
    }

    @Test
    void ipv4ClientOfADualStackSocketAppearsAsIpv4() throws Exception {
        try (FdScope fds = new FdScope(); Arena arena = Arena.ofConfined()) {
            int listener = openIpv6(fds);
            Sockets.setInt(listener, Sockets.IPPROTO_IPV6, Sockets.IPV6_V6ONLY, 0);
            assertEquals(0, Sockets.getInt(listener, Sockets.IPPROTO_IPV6, Sockets.IPV6_V6ONLY));
            byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
            Sockets.bind(listener, new InetSocketAddress(Inet6Address.getByAddress(null, mapped, -1), 0));
            Errno.check(Sockets.listen(listener, 16), "listen");

            // getsockname gives a sockaddr_in6 holding ::ffff:127.0.0.1, read back as IPv4.
            InetSocketAddress listening = Sockets.localAddress(listener);
            assertInstanceOf(Inet4Address.class, listening.getAddress());
            assertEquals(Loopback.IPV4_ANY_PORT.getAddress(), listening.getAddress());

            // An AF_INET client reaches it at 127.0.0.1.
            Loopback.Connection connection = Loopback.connect(fds, listener);
            assertEquals(Sockets.AF_INET, SockAddr.family(Sockets.localAddress(connection.client())));
            InetSocketAddress peer = Sockets.remoteAddress(connection.server());
            assertInstanceOf(Inet4Address.class, peer.getAddress());
            assertEquals(Sockets.localAddress(connection.client()), peer);

            MemorySegment raw = arena.allocate(SockAddr.SOCKADDR_STORAGE);
            MemorySegment length = arena.allocate(Sockets.SOCKLEN_T);
            length.set(Sockets.SOCKLEN_T, 0, (int) raw.byteSize());
            assertEquals(0, Sockets.getpeername(connection.server(), raw, length));
            assertEquals(SockAddr.SOCKADDR_IN6.byteSize(), length.get(Sockets.SOCKLEN_T, 0), "a sockaddr_in6");
            assertEquals(Sockets.AF_INET6, raw.get(java.lang.foreign.ValueLayout.JAVA_SHORT, 0));

            Loopback.transfer(connection.client(), connection.server(),
                    Loopback.pattern(arena, 10_000, 8), arena.allocate(10_000));
        }
    }

    @Test
    void v6OnlySocketRejectsIpv4MappedAddresses() throws Exception {
        try (FdScope fds = new FdScope()) {
            int fd = openIpv6(fds);
            Sockets.setInt(fd, Sockets.IPPROTO_IPV6, Sockets.IPV6_V6ONLY, 1);
            assertEquals(1, Sockets.getInt(fd, Sockets.IPPROTO_IPV6, Sockets.IPV6_V6ONLY));
            byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
            NativeIoException e = assertThrows(NativeIoException.class,
                    () -> Sockets.bind(fd, new InetSocketAddress(Inet6Address.getByAddress(null, mapped, -1), 0)));
            assertEquals(Errno.EINVAL, e.errno());
            assertEquals("bind [0:0:0:0:0:ffff:7f00:1]:0 failed: EINVAL (Invalid argument)", e.getMessage());
        }
    }
}
