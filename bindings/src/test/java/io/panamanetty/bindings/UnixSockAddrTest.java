package io.panamanetty.bindings;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link UnixSockAddr} to and from memory, byte by byte; no descriptors involved. */
class UnixSockAddrTest {
    private static final byte DIRT = (byte) 0xa5;

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] abstractName(String name) {
        byte[] bytes = new byte[name.length() + 1];
        System.arraycopy(ascii(name), 0, bytes, 1, name.length());
        return bytes;
    }

    @Test
    void layout() {
        assertEquals(110, UnixSockAddr.SOCKADDR_UN.byteSize());
        assertEquals(2, UnixSockAddr.PATH_OFFSET);
        assertEquals(108, UnixSockAddr.SUN_PATH_SIZE);
    }

    @Test
    void pathnameIsWrittenWithItsNulAndCountedWithIt() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(UnixSockAddr.SOCKADDR_UN.byteSize() + 1).fill(DIRT);
            assertEquals(2 + 9 + 1, UnixSockAddr.write(dst, ascii("/tmp/sock")));
            assertEquals(Sockets.AF_UNIX, dst.get(ValueLayout.JAVA_SHORT, 0));
            assertArrayEquals(ascii("/tmp/sock"), dst.asSlice(2, 9).toArray(ValueLayout.JAVA_BYTE));
            assertEquals(0, dst.get(ValueLayout.JAVA_BYTE, 11), "terminating NUL");
            assertEquals(0, dst.get(ValueLayout.JAVA_BYTE, 109), "rest of sun_path zeroed");
            assertEquals(DIRT, dst.get(ValueLayout.JAVA_BYTE, 110), "nothing written past the struct");

            assertArrayEquals(ascii("/tmp/sock"), UnixSockAddr.read(dst, 12));
            assertArrayEquals(ascii("/tmp/sock"), UnixSockAddr.read(dst, 110), "stops at the NUL");
            assertArrayEquals(ascii("/tmp/sock"), UnixSockAddr.read(dst, 11), "a length without the NUL");
        }
    }

    @Test
    void abstractNameHasNoTrailingNulAndKeepsEveryByte() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(UnixSockAddr.SOCKADDR_UN).fill(DIRT);
            byte[] name = abstractName("svc\0x");   // a NUL inside an abstract name is part of it
            assertTrue(UnixSockAddr.isAbstract(name));
            assertEquals(2 + 1 + 5, UnixSockAddr.write(dst, name), "offsetof(sun_path) + 1 + len");
            assertEquals(0, dst.get(ValueLayout.JAVA_BYTE, 2), "leading NUL");
            assertArrayEquals(name, UnixSockAddr.read(dst, 8));
            assertEquals("@svc\\x00x", UnixSockAddr.describe(name));
            assertArrayEquals(Arrays.copyOf(name, 4), UnixSockAddr.read(dst, 6), "the length bounds the name");
        }
    }

    @Test
    void unnamedIsTheFamilyAlone() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(UnixSockAddr.SOCKADDR_UN).fill(DIRT);
            assertEquals(2, UnixSockAddr.write(dst, new byte[0]), "sizeof(sa_family_t): autobind");
            assertArrayEquals(new byte[0], UnixSockAddr.read(dst, 2));
            assertArrayEquals(new byte[0], UnixSockAddr.read(dst, 0), "accept on a socketpair-like peer");
            assertTrue(UnixSockAddr.isUnnamed(new byte[0]));
            assertFalse(UnixSockAddr.isAbstract(new byte[0]));
            assertEquals("(unnamed)", UnixSockAddr.describe(new byte[0]));
        }
    }

    @Test
    void limitsAreTheLengthOfSunPath() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(UnixSockAddr.SOCKADDR_UN);
            byte[] longest = new byte[107];
            Arrays.fill(longest, (byte) 'a');
            assertEquals(110, UnixSockAddr.write(dst, longest), "107 bytes and the NUL fill sun_path");
            assertArrayEquals(longest, UnixSockAddr.read(dst, 110));
            byte[] tooLong = Arrays.copyOf(longest, 108);
            tooLong[107] = 'a';
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> UnixSockAddr.write(dst, tooLong));
            assertTrue(e.getMessage().startsWith("socket path of 108 bytes is longer than the 107"), e.getMessage());

            byte[] longestAbstract = new byte[108];
            assertEquals(110, UnixSockAddr.write(dst, longestAbstract));
            assertThrows(IllegalArgumentException.class, () -> UnixSockAddr.write(dst, new byte[109]));
            assertThrows(IllegalArgumentException.class, () -> UnixSockAddr.write(dst, ascii("a\0b")));
            assertThrows(IllegalArgumentException.class, () -> UnixSockAddr.write(arena.allocate(109), ascii("a")));
        }
    }

    @Test
    void otherFamiliesAndLengthsAreRefused() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate(UnixSockAddr.SOCKADDR_UN);
            src.set(ValueLayout.JAVA_SHORT, 0, (short) Sockets.AF_INET);
            assertThrows(IllegalArgumentException.class, () -> UnixSockAddr.read(src, 16));
            src.set(ValueLayout.JAVA_SHORT, 0, (short) Sockets.AF_UNIX);
            assertThrows(IllegalArgumentException.class, () -> UnixSockAddr.read(src, 111));
            assertThrows(IllegalArgumentException.class, () -> UnixSockAddr.read(src, -1));
        }
    }
}
