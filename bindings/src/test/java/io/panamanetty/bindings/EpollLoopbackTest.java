package io.panamanetty.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A loopback listener and clients driven through epoll, on real TCP sockets. */
@ExtendWith(NoFdLeaks.class)
@Timeout(60)
class EpollLoopbackTest {

    @Test
    void acceptOnAnIdleNonBlockingListenerReportsEagain() throws Exception {
        try (FdScope fds = new FdScope()) {
            int listener = Loopback.listen(fds, Loopback.IPV4_ANY_PORT);
            int result = Sockets.accept4(listener, MemorySegment.NULL, MemorySegment.NULL,
                    Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC);
            assertEquals(-Errno.EAGAIN, result);
        }
    }

    @Test
    void nonBlockingConnectCompletesThroughEpollout() throws Exception {
        try (FdScope fds = new FdScope(); Poller poller = new Poller(); Arena arena = Arena.ofConfined()) {
            int listener = Loopback.listen(fds, Loopback.IPV4_ANY_PORT);
            InetSocketAddress target = Sockets.localAddress(listener);
            int client = fds.add(Sockets.openTcp(target));

            assertEquals(-Errno.EINPROGRESS, Sockets.connect(client, target));
            poller.add(client, Epoll.EPOLLOUT);
            int events = poller.await(client, Epoll.EPOLLOUT | Epoll.EPOLLERR | Epoll.EPOLLHUP);
            assertEquals(Epoll.EPOLLOUT, events & (Epoll.EPOLLOUT | Epoll.EPOLLERR | Epoll.EPOLLHUP));
            assertEquals(0, Sockets.getInt(client, Sockets.SOL_SOCKET, Sockets.SO_ERROR));

            poller.add(listener, Epoll.EPOLLIN);
            assertEquals(Epoll.EPOLLIN, poller.await(listener, Epoll.EPOLLIN) & Epoll.EPOLLIN);
            MemorySegment peer = arena.allocate(SockAddr.SOCKADDR_STORAGE);
            MemorySegment peerLength = arena.allocate(Sockets.SOCKLEN_T);
            peerLength.set(Sockets.SOCKLEN_T, 0, (int) peer.byteSize());
            int server = fds.add(Sockets.accept4(listener, peer, peerLength,
                    Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC));

            assertEquals(SockAddr.SOCKADDR_IN.byteSize(), peerLength.get(Sockets.SOCKLEN_T, 0));
            assertEquals(Sockets.localAddress(client), SockAddr.read(peer));
            assertNotEquals(0, FileIo.fcntl(server, FileIo.F_GETFL, 0) & FileIo.O_NONBLOCK, "O_NONBLOCK");
            assertEquals(FileIo.FD_CLOEXEC, FileIo.fcntl(server, FileIo.F_GETFD, 0) & FileIo.FD_CLOEXEC);
            assertEquals(-Errno.EAGAIN, Sockets.accept4(listener, MemorySegment.NULL, MemorySegment.NULL,
                    Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC), "second accept");
        }
    }

    @Test
    void localAndRemoteAddressesOfBothEndsMatch() throws Exception {
        try (FdScope fds = new FdScope()) {
            int listener = Loopback.listen(fds, Loopback.IPV4_ANY_PORT);
            InetSocketAddress listening = Sockets.localAddress(listener);
            Loopback.Connection connection = Loopback.connect(fds, listener);

            assertEquals(Loopback.IPV4_ANY_PORT.getAddress(), listening.getAddress());
            assertTrue(listening.getPort() > 0, "ephemeral port assigned");
            assertEquals(listening, Sockets.remoteAddress(connection.client()));
            assertEquals(listening, Sockets.localAddress(connection.server()));
            assertEquals(Sockets.localAddress(connection.client()), Sockets.remoteAddress(connection.server()));
            assertNotEquals(listening.getPort(), Sockets.localAddress(connection.client()).getPort());
        }
    }

    @Test
    void bytesTravelBothWaysIntact() throws Exception {
        try (FdScope fds = new FdScope(); Arena arena = Arena.ofConfined()) {
            Loopback.Connection connection = Loopback.connect(fds, Loopback.listen(fds, Loopback.IPV4_ANY_PORT));
            int toServer = 1 << 20;   // more than the socket buffers: partial writes and EAGAIN
            Loopback.transfer(connection.client(), connection.server(),
                    Loopback.pattern(arena, toServer, 1), arena.allocate(toServer));
            int toClient = 300_007;
            Loopback.transfer(connection.server(), connection.client(),
                    Loopback.pattern(arena, toClient, 2), arena.allocate(toClient));
            Loopback.transfer(connection.client(), connection.server(),
                    Loopback.pattern(arena, 1, 3), arena.allocate(1));
        }
    }

    @Test
    void segmentVariantsOfReadAndWriteMoveTheWholeSegment() throws Exception {
        try (FdScope fds = new FdScope(); Poller poller = new Poller(); Arena arena = Arena.ofConfined()) {
            Loopback.Connection connection = Loopback.connect(fds, Loopback.listen(fds, Loopback.IPV4_ANY_PORT));
            MemorySegment message = Loopback.pattern(arena, 1000, 4);
            assertEquals(1000, FileIo.write(connection.client(), message));

            poller.add(connection.server(), Epoll.EPOLLIN);
            MemorySegment received = arena.allocate(1000);
            long total = 0;
            for (int round = 0; round < 1000 && total < 1000; round++) {
                poller.await(connection.server(), Epoll.EPOLLIN);
                long read = FileIo.read(connection.server(), received.asSlice(total));
                assertTrue(read > 0 || read == -Errno.EAGAIN, () -> "read returned " + read);
                total += Math.max(0, read);
            }
            assertEquals(1000, total);
            assertEquals(-1L, message.mismatch(received));
        }
    }

    @Test
    void writevGathersAndReadvScattersSeveralBuffers() throws Exception {
        try (FdScope fds = new FdScope(); Poller poller = new Poller(); Arena arena = Arena.ofConfined()) {
            Loopback.Connection connection = Loopback.connect(fds, Loopback.listen(fds, Loopback.IPV4_ANY_PORT));
            MemorySegment[] pieces = {
                    Loopback.pattern(arena, 7, 10), Loopback.pattern(arena, 1, 11),
                    Loopback.pattern(arena, 4096, 12), Loopback.pattern(arena, 333, 13)};
            long total = 0;
            MemorySegment out = arena.allocate(IoVec.LAYOUT, pieces.length);
            for (int i = 0; i < pieces.length; i++) {
                IoVec.set(out, i, pieces[i]);
                total += pieces[i].byteSize();
            }
            assertEquals(pieces[2].address(), IoVec.base(out, 2));
            assertEquals(4096, IoVec.length(out, 2));

            assertEquals(total, FileIo.writev(connection.client(), out.address(), pieces.length), "writev");

            // Scatter into differently cut buffers, advancing the iovecs after a short read.
            MemorySegment[] cuts = {arena.allocate(100), arena.allocate(3), arena.allocate(4000),
                    arena.allocate(total - 4103)};
            MemorySegment in = arena.allocate(IoVec.LAYOUT, cuts.length);
            poller.add(connection.server(), Epoll.EPOLLIN);
            long received = 0;
            for (int round = 0; round < 1000 && received < total; round++) {
                poller.await(connection.server(), Epoll.EPOLLIN);
                int count = remainingIoVecs(in, cuts, received);
                long read = round % 2 == 0
                        ? FileIo.readv(connection.server(), in.address(), count)
                        : FileIo.readv(connection.server(), in, count);
                assertTrue(read > 0 || read == -Errno.EAGAIN, () -> "readv returned " + read);
                received += Math.max(0, read);
            }
            assertEquals(total, received);

            MemorySegment sent = arena.allocate(total);
            MemorySegment got = arena.allocate(total);
            long offset = 0;
            for (MemorySegment piece : pieces) {
                MemorySegment.copy(piece, 0, sent, offset, piece.byteSize());
                offset += piece.byteSize();
            }
            offset = 0;
            for (MemorySegment cut : cuts) {
                MemorySegment.copy(cut, 0, got, offset, cut.byteSize());
                offset += cut.byteSize();
            }
            assertEquals(-1L, sent.mismatch(got));
        }
    }

    /** Fills {@code iovecs} with the parts of {@code buffers} after the first {@code done} bytes. */
    private static int remainingIoVecs(MemorySegment iovecs, MemorySegment[] buffers, long done) {
        int count = 0;
        long skip = done;
        for (MemorySegment buffer : buffers) {
            if (skip >= buffer.byteSize()) {
                skip -= buffer.byteSize();
                continue;
            }
            IoVec.set(iovecs, count++, buffer.address() + skip, buffer.byteSize() - skip);
            skip = 0;
        }
        return count;
    }

    @Test
    void readingAnEmptySocketReportsEagain() throws Exception {
        try (FdScope fds = new FdScope(); Arena arena = Arena.ofConfined()) {
            Loopback.Connection connection = Loopback.connect(fds, Loopback.listen(fds, Loopback.IPV4_ANY_PORT));
            MemorySegment buffer = arena.allocate(64);
            long result = FileIo.read(connection.server(), buffer.address(), buffer.byteSize());
            assertEquals(-Errno.EAGAIN, result);
            NativeIoException e = assertThrows(NativeIoException.class, () -> Errno.check(result, "read"));
            assertEquals("read failed: EAGAIN (Resource temporarily unavailable)", e.getMessage());
            assertEquals(-Errno.EAGAIN, FileIo.read(connection.client(), buffer));
        }
    }

    @Test
    void shutdownOutputGivesThePeerRdhupAndEndOfStream() throws Exception {
        try (FdScope fds = new FdScope(); Poller poller = new Poller(); Arena arena = Arena.ofConfined()) {
            Loopback.Connection connection = Loopback.connect(fds, Loopback.listen(fds, Loopback.IPV4_ANY_PORT));
            MemorySegment last = Loopback.pattern(arena, 10, 5);
            assertEquals(10, FileIo.write(connection.server(), last));
            assertEquals(0, Sockets.shutdown(connection.server(), Sockets.SHUT_WR));

            poller.add(connection.client(), Epoll.EPOLLIN | Epoll.EPOLLRDHUP);
            MemorySegment buffer = arena.allocate(64);
            long received = 0;
            long read = -1;
            boolean rdhup = false;
            for (int round = 0; round < 1000 && read != 0; round++) {
                int events = poller.await(connection.client(), Epoll.EPOLLIN | Epoll.EPOLLRDHUP);
                rdhup |= (events & Epoll.EPOLLRDHUP) != 0;
                read = FileIo.read(connection.client(), buffer.address() + received, 64 - received);
                long result = read;
                assertTrue(result >= 0 || result == -Errno.EAGAIN, () -> "read returned " + result);
                received += Math.max(0, read);
            }
            assertTrue(rdhup, "EPOLLRDHUP reported");
            assertEquals(0, read, "end of stream");
            assertEquals(10, received);
            assertEquals(-1L, last.mismatch(buffer.asSlice(0, 10)));
            assertEquals(Epoll.EPOLLRDHUP, poller.poll(connection.client(), 0) & Epoll.EPOLLRDHUP,
                    "EPOLLRDHUP stays reported");
            assertEquals(0, FileIo.read(connection.client(), buffer), "end of stream again");

            // The other direction still works.
            assertEquals(10, FileIo.write(connection.client(), last));
            poller.add(connection.server(), Epoll.EPOLLIN);
            poller.await(connection.server(), Epoll.EPOLLIN);
            assertEquals(10, FileIo.read(connection.server(), buffer.asSlice(0, 10)));
        }
    }

    @Test
    void lingerZeroCloseResetsThePeer() throws Exception {
        try (FdScope fds = new FdScope(); Poller poller = new Poller(); Arena arena = Arena.ofConfined()) {
            Loopback.Connection connection = Loopback.connect(fds, Loopback.listen(fds, Loopback.IPV4_ANY_PORT));
            Sockets.setLinger(connection.server(), 0);
            fds.closeNow(connection.server());

            poller.add(connection.client(), Epoll.EPOLLIN | Epoll.EPOLLRDHUP);
            int events = poller.await(connection.client(),
                    Epoll.EPOLLIN | Epoll.EPOLLRDHUP | Epoll.EPOLLERR | Epoll.EPOLLHUP);
            assertNotEquals(0, events & (Epoll.EPOLLERR | Epoll.EPOLLHUP), "events 0x" + Integer.toHexString(events));
            long result = FileIo.read(connection.client(), arena.allocate(16));
            assertEquals(-Errno.ECONNRESET, result);
            NativeIoException e = assertThrows(NativeIoException.class, () -> Errno.check(result, "read"));
            assertEquals("read failed: ECONNRESET (Connection reset by peer)", e.getMessage());
            assertEquals(Errno.ECONNRESET, e.errno());
        }
    }

    @Test
    void intSocketOptionsRoundTrip() throws Exception {
        try (FdScope fds = new FdScope()) {
            int fd = fds.add(Sockets.openTcp(Loopback.IPV4_ANY_PORT));

            Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_REUSEADDR, 1);
            assertEquals(1, Sockets.getInt(fd, Sockets.SOL_SOCKET, Sockets.SO_REUSEADDR));
            Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_REUSEADDR, 0);
            assertEquals(0, Sockets.getInt(fd, Sockets.SOL_SOCKET, Sockets.SO_REUSEADDR));

            Sockets.setInt(fd, Sockets.IPPROTO_TCP, Sockets.TCP_NODELAY, 1);
            assertEquals(1, Sockets.getInt(fd, Sockets.IPPROTO_TCP, Sockets.TCP_NODELAY));
            Sockets.setInt(fd, Sockets.IPPROTO_TCP, Sockets.TCP_NODELAY, 0);
            assertEquals(0, Sockets.getInt(fd, Sockets.IPPROTO_TCP, Sockets.TCP_NODELAY));

            // Linux doubles the requested buffer size for its bookkeeping.
            Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_RCVBUF, 65_536);
            int rcvbuf = Sockets.getInt(fd, Sockets.SOL_SOCKET, Sockets.SO_RCVBUF);
            assertTrue(rcvbuf >= 65_536, "SO_RCVBUF " + rcvbuf);

            assertEquals(Sockets.SOCK_STREAM, Sockets.getInt(fd, Sockets.SOL_SOCKET, Sockets.SO_TYPE));
            assertEquals(0, Sockets.getInt(fd, Sockets.SOL_SOCKET, Sockets.SO_ERROR));
        }
    }
}
