package io.panamanetty.bindings;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SockOpt} and {@link TcpInfoStruct} on real loopback sockets. */
class SockOptTest {

    @Test
    void lingerReadsBackOffThenTheSecondsSet() throws Exception {
        try (FdScope fds = new FdScope()) {
            int fd = fds.add(Sockets.openTcp(Loopback.IPV4_ANY_PORT));
            assertEquals(-1, SockOpt.getLinger(fd));
            Sockets.setLinger(fd, 7);
            assertEquals(7, SockOpt.getLinger(fd));
            Sockets.setLinger(fd, 0);
            assertEquals(0, SockOpt.getLinger(fd));
            Sockets.setLinger(fd, -1);
            assertEquals(-1, SockOpt.getLinger(fd));
        }
    }

    @Test
    void bytesGoInAndComeOutAsTheKernelHasThem() throws Exception {
        try (FdScope fds = new FdScope()) {
            int fd = fds.add(Sockets.openTcp(Loopback.IPV4_ANY_PORT));
            byte[] sixtyFour = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(64).array();
            SockOpt.setBytes(fd, SockOpt.SOL_IP, SockOpt.IP_TOS, sixtyFour);
            assertEquals(64, Sockets.getInt(fd, SockOpt.SOL_IP, SockOpt.IP_TOS));
            assertArrayEquals(sixtyFour, SockOpt.getBytes(fd, SockOpt.SOL_IP, SockOpt.IP_TOS, 4));
            // More room than the option needs: the kernel says how much it filled.
            assertEquals(4, SockOpt.getBytes(fd, SockOpt.SOL_IP, SockOpt.IP_TOS, 1000).length);
            byte[] congestion = SockOpt.getBytes(fd, SockOpt.SOL_TCP, 13 /* TCP_CONGESTION */, 16);
            assertTrue(congestion.length > 0 && congestion[0] != 0, "a congestion control name");
        }
    }

    @Test
    void aRefusedOptionNamesCallOptionAndErrno() throws Exception {
        try (FdScope fds = new FdScope()) {
            int fd = fds.add(Sockets.openTcp(Loopback.IPV4_ANY_PORT));
            NativeIoException e = assertThrows(NativeIoException.class,
                    () -> Sockets.setInt(fd, SockOpt.SOL_TCP, SockOpt.TCP_MAXSEG, 10));
            assertEquals("setsockopt TCP_MAXSEG=10 failed: EINVAL (Invalid argument)", e.getMessage());
            NativeIoException bytes = assertThrows(NativeIoException.class,
                    () -> SockOpt.setBytes(fd, SockOpt.SOL_TCP, SockOpt.TCP_USER_TIMEOUT, new byte[1]));
            assertEquals("setsockopt TCP_USER_TIMEOUT (1 bytes) failed: EINVAL (Invalid argument)",
                    bytes.getMessage());
            assertEquals("SOL_TCP/999", SockOpt.name(SockOpt.SOL_TCP, 999));
            assertEquals("level 300/option 1", SockOpt.name(300, 1));
        }
    }

    @Test
    void md5KeysAreSetAndRemovedPerPeer() throws Exception {
        try (FdScope fds = new FdScope()) {
            int listener = Loopback.listen(fds, Loopback.IPV4_ANY_PORT);
            InetSocketAddress peer = Loopback.IPV4_ANY_PORT;
            SockOpt.setMd5Key(listener, peer, "secret".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            SockOpt.setMd5Key(listener, peer, new byte[0]);
            NativeIoException absent = assertThrows(NativeIoException.class,
                    () -> SockOpt.setMd5Key(listener, peer, new byte[0]));
            assertEquals(Errno.ENOENT, absent.errno());
            assertThrows(IllegalArgumentException.class, () -> SockOpt.setMd5Key(listener, peer, new byte[81]));
        }
    }

    @Test
    void tcpInfoCountsTheBytesOfAConnection() throws Exception {
        try (FdScope fds = new FdScope(); Arena arena = Arena.ofConfined()) {
            Loopback.Connection connection = Loopback.connect(fds, Loopback.listen(fds, Loopback.IPV4_ANY_PORT));
            int size = 100_000;
            Loopback.transfer(connection.client(), connection.server(), Loopback.pattern(arena, size, 14),
                    arena.allocate(size));

            MemorySegment info = arena.allocate(TcpInfoStruct.LAYOUT);
            assertEquals(TcpInfoStruct.LAYOUT.byteSize(), TcpInfoStruct.read(connection.server(), info));
            assertEquals(TcpInfoStruct.TCP_ESTABLISHED, TcpInfoStruct.get(info, "tcpi_state"));
            assertEquals(size, TcpInfoStruct.get(info, "tcpi_bytes_received"));
            assertTrue(TcpInfoStruct.get(info, "tcpi_rtt") > 0, "rtt");

            TcpInfoStruct.read(connection.client(), info);
            assertTrue(TcpInfoStruct.get(info, "tcpi_bytes_acked") >= size, "bytes acked");
            assertTrue((TcpInfoStruct.get(info, "tcpi_options") & TcpInfoStruct.TCPI_OPT_SACK) != 0, "SACK");
            assertThrows(IllegalArgumentException.class, () -> TcpInfoStruct.get(info, "tcpi_nothing"));
        }
    }
}
