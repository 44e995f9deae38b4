package io.panamanetty.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** AF_UNIX socket pairs. */
@ExtendWith(NoFdLeaks.class)
@Timeout(60)
class SocketPairTest {

    private static int[] socketPair(FdScope fds, Arena arena, int type) {
        MemorySegment pair = arena.allocate(ValueLayout.JAVA_INT, 2);
        assertEquals(0, Sockets.socketpair(Sockets.AF_UNIX,
                type | Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC, 0, pair));
        return new int[] {fds.add(pair.get(ValueLayout.JAVA_INT, 0)), fds.add(pair.get(ValueLayout.JAVA_INT, 4))};
    }

    @Test
    void streamPairCarriesBytesBothWays() throws Exception {
        try (FdScope fds = new FdScope(); Arena arena = Arena.ofConfined()) {
            int[] pair = socketPair(fds, arena, Sockets.SOCK_STREAM);
            assertEquals(Sockets.SOCK_STREAM, Sockets.getInt(pair[0], Sockets.SOL_SOCKET, Sockets.SO_TYPE));

            MemorySegment buffer = arena.allocate(4096);
            assertEquals(-Errno.EAGAIN, FileIo.read(pair[1], buffer), "nothing sent yet");

            Loopback.transfer(pair[0], pair[1], Loopback.pattern(arena, 500_000, 30), arena.allocate(500_000));
            Loopback.transfer(pair[1], pair[0], Loopback.pattern(arena, 777, 31), arena.allocate(777));

            fds.closeNow(pair[0]);
            assertEquals(0, FileIo.read(pair[1], buffer), "end of stream after the peer closed");
        }
    }

    @Test
    void datagramPairKeepsMessageBoundaries() {
        try (FdScope fds = new FdScope(); Arena arena = Arena.ofConfined()) {
            int[] pair = socketPair(fds, arena, Sockets.SOCK_DGRAM);
            MemorySegment first = Loopback.pattern(arena, 10, 32);
            MemorySegment second = Loopback.pattern(arena, 20, 33);
            assertEquals(10, FileIo.write(pair[0], first));
            assertEquals(20, FileIo.write(pair[0], second));

            MemorySegment buffer = arena.allocate(100);
            assertEquals(10, FileIo.read(pair[1], buffer));
            assertEquals(-1L, first.mismatch(buffer.asSlice(0, 10)));
            assertEquals(20, FileIo.read(pair[1], buffer));
            assertEquals(-1L, second.mismatch(buffer.asSlice(0, 20)));
            assertEquals(-Errno.EAGAIN, FileIo.read(pair[1], buffer));
        }
    }

    @Test
    void unixAddressesAreNotInetAddresses() {
        try (FdScope fds = new FdScope(); Arena arena = Arena.ofConfined()) {
            int[] pair = socketPair(fds, arena, Sockets.SOCK_STREAM);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Sockets.localAddress(pair[0]));
            assertEquals("unsupported address family 1", e.getMessage());
        }
    }

    @Test
    void onlyUnixSocketsComeInPairs() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pair = arena.allocate(ValueLayout.JAVA_INT, 2);
            assertEquals(-Errno.EOPNOTSUPP, Sockets.socketpair(Sockets.AF_INET, Sockets.SOCK_STREAM, 0, pair));
        }
    }
}
