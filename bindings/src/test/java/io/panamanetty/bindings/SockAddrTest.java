package io.panamanetty.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SockAddr} to and from memory, byte by byte; no descriptors involved. */
@ExtendWith(NoFdLeaks.class)
class SockAddrTest {
    private static final byte DIRT = (byte) 0xa5;

    private static byte[] bytes(MemorySegment segment, long offset, int length) {
        return segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
    }

    private static byte[] ipv6(int... words) {
        byte[] raw = new byte[16];
        for (int i = 0; i < 8; i++) {
            raw[2 * i] = (byte) (words[i] >>> 8);
            raw[2 * i + 1] = (byte) words[i];
        }
        return raw;
    }

    @Test
    void layoutSizes() {
        assertEquals(16, SockAddr.SOCKADDR_IN.byteSize());
        assertEquals(28, SockAddr.SOCKADDR_IN6.byteSize());
        assertEquals(128, SockAddr.SOCKADDR_STORAGE.byteSize());
    }

    @Test
    void ipv4RoundTrip() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment storage = arena.allocate(SockAddr.SOCKADDR_STORAGE).fill(DIRT);
            InetSocketAddress address = new InetSocketAddress(
                    InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 8080);

            assertEquals(16, SockAddr.write(storage, address));
            assertEquals(Sockets.AF_INET, storage.get(ValueLayout.JAVA_SHORT, 0), "sin_family, host order");
            assertArrayEquals(new byte[] {0x1f, (byte) 0x90}, bytes(storage, 2, 2), "sin_port, network order");
            assertArrayEquals(new byte[] {127, 0, 0, 1}, bytes(storage, 4, 4), "sin_addr");
            assertArrayEquals(new byte[8], bytes(storage, 8, 8), "sin_zero cleared");
            assertEquals(DIRT, storage.get(ValueLayout.JAVA_BYTE, 16), "nothing written past the struct");

            InetSocketAddress read = SockAddr.read(storage);
            assertEquals(address, read);
            assertInstanceOf(Inet4Address.class, read.getAddress());
        }
    }

    @Test
    void portsAreUnsigned() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment storage = arena.allocate(SockAddr.SOCKADDR_STORAGE);
            InetAddress ip = InetAddress.getByAddress(new byte[] {10, 1, 2, 3});
            for (int port : new int[] {0, 1, 32_767, 32_768, 65_535}) {
                SockAddr.write(storage, new InetSocketAddress(ip, port));
                assertEquals(port, SockAddr.read(storage).getPort());
            }
            SockAddr.write(storage, new InetSocketAddress(ip, 65_535));
            assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xff}, bytes(storage, 2, 2));
        }
    }

    @Test
    void ipv6WithScopeIdRoundTrip() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment storage = arena.allocate(SockAddr.SOCKADDR_STORAGE).fill(DIRT);
            byte[] linkLocal = ipv6(0xfe80, 0, 0, 0, 0x0211, 0x22ff, 0xfe33, 0x4455);
            InetSocketAddress address = new InetSocketAddress(Inet6Address.getByAddress(null, linkLocal, 7), 443);

            assertEquals(28, SockAddr.write(storage, address));
            assertEquals(Sockets.AF_INET6, storage.get(ValueLayout.JAVA_SHORT, 0), "sin6_family");
            assertArrayEquals(new byte[] {0x01, (byte) 0xbb}, bytes(storage, 2, 2), "sin6_port");
            assertArrayEquals(new byte[4], bytes(storage, 4, 4), "sin6_flowinfo cleared");
            assertArrayEquals(linkLocal, bytes(storage, 8, 16), "sin6_addr");
            assertEquals(7, storage.get(ValueLayout.JAVA_INT.withOrder(ByteOrder.nativeOrder()), 24),
                    "sin6_scope_id, host order");
            assertEquals(DIRT, storage.get(ValueLayout.JAVA_BYTE, 28), "nothing written past the struct");

            InetSocketAddress read = SockAddr.read(storage);
            Inet6Address ip = assertInstanceOf(Inet6Address.class, read.getAddress());
            assertArrayEquals(linkLocal, ip.getAddress());
            assertEquals(7, ip.getScopeId());
            assertEquals(443, read.getPort());
        }
    }

    @Test
    void ipv6WithoutScopeRoundTrip() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment storage = arena.allocate(SockAddr.SOCKADDR_STORAGE).fill(DIRT);
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("::1"), 50_000);
            assertEquals(28, SockAddr.write(storage, address));
            assertEquals(0, storage.get(ValueLayout.JAVA_INT, 24), "sin6_scope_id");
            InetSocketAddress read = SockAddr.read(storage);
            assertEquals(address, read);
            assertEquals(0, ((Inet6Address) read.getAddress()).getScopeId());
            assertEquals(Sockets.AF_INET6, SockAddr.family(read));
        }
    }

    @Test
    void ipv4MappedIpv6ComesBackAsIpv4() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment storage = arena.allocate(SockAddr.SOCKADDR_STORAGE);
            byte[] mapped = ipv6(0, 0, 0, 0, 0, 0xffff, 0x7f00, 0x0001);   // ::ffff:127.0.0.1
            Inet6Address ip = Inet6Address.getByAddress(null, mapped, -1);
            InetSocketAddress address = new InetSocketAddress(ip, 9999);

            assertEquals(Sockets.AF_INET6, SockAddr.family(address));
            assertEquals(28, SockAddr.write(storage, address));
            assertEquals(Sockets.AF_INET6, storage.get(ValueLayout.JAVA_SHORT, 0));
            assertArrayEquals(mapped, bytes(storage, 8, 16));

            InetSocketAddress read = SockAddr.read(storage);
            assertInstanceOf(Inet4Address.class, read.getAddress());
            assertEquals(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 9999), read);
        }
    }

    @Test
    void familyOfEachKindOfAddress() throws Exception {
        assertEquals(Sockets.AF_INET, SockAddr.family(Loopback.IPV4_ANY_PORT));
        assertEquals(Sockets.AF_INET6, SockAddr.family(new InetSocketAddress(InetAddress.getByName("::1"), 1)));
        assertThrows(IllegalArgumentException.class,
                () -> SockAddr.family(InetSocketAddress.createUnresolved("example.invalid", 80)));
    }

    @Test
    void describeBracketsIpv6() throws Exception {
        assertEquals("127.0.0.1:80",
                SockAddr.describe(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 80)));
        assertEquals("[0:0:0:0:0:0:0:1]:8080",
                SockAddr.describe(new InetSocketAddress(InetAddress.getByName("::1"), 8080)));
        assertEquals("example.invalid:80",
                SockAddr.describe(InetSocketAddress.createUnresolved("example.invalid", 80)));
    }

    @Test
    void misuseIsRejected() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            InetSocketAddress ipv6 = new InetSocketAddress(InetAddress.getByName("::1"), 1);
            IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                    () -> SockAddr.write(arena.allocate(16), ipv6));
            assertTrue(small.getMessage().contains("16"), small.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> SockAddr.write(arena.allocate(15), Loopback.IPV4_ANY_PORT));
            assertThrows(IllegalArgumentException.class,
                    () -> SockAddr.write(arena.allocate(128), InetSocketAddress.createUnresolved("example.invalid", 1)));

            MemorySegment unix = arena.allocate(SockAddr.SOCKADDR_STORAGE);
            unix.set(ValueLayout.JAVA_SHORT, 0, (short) Sockets.AF_UNIX);
            IllegalArgumentException family = assertThrows(IllegalArgumentException.class,
                    () -> SockAddr.read(unix));
            assertEquals("unsupported address family 1", family.getMessage());
        }
    }
}
