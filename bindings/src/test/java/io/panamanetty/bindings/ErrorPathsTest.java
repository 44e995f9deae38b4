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

/**
 * The failure of each kind of call comes back as {@code -errno} from the raw method
 * and as a {@link NativeIoException} naming the call from the throwing ones.
 * ({@code bind} on a port in use is in {@link SocketErrorsTest}.)
 */
@ExtendWith(NoFdLeaks.class)
@Timeout(60)
class ErrorPathsTest {
    /** Above the kernel's largest possible descriptor ({@code fs.nr_open} tops out below it). */
    private static final int NEVER_OPEN = Integer.MAX_VALUE;

    @Test
    void connectingToAPortWithoutListenerIsRefused() throws Exception {
        try (FdScope fds = new FdScope(); Poller poller = new Poller()) {
            // Bound but not listening: the port is ours, and a SYN to it gets a RST.
            int bound = fds.add(Sockets.openTcp(Loopback.IPV4_ANY_PORT));
            Sockets.bind(bound, Loopback.IPV4_ANY_PORT);
            InetSocketAddress target = Sockets.localAddress(bound);

            int client = fds.add(Sockets.openTcp(target));
            int started;
            try {
                started = Sockets.connect(client, target);
            } catch (NativeIoException refusedAtOnce) {
                assertEquals(Errno.ECONNREFUSED, refusedAtOnce.errno());
                assertEquals("connect 127.0.0.1:" + target.getPort() + " failed: ECONNREFUSED (Connection refused)",
                        refusedAtOnce.getMessage());
                return;
            }
            assertEquals(-Errno.EINPROGRESS, started);
            poller.add(client, Epoll.EPOLLOUT);
            int events = poller.await(client, Epoll.EPOLLOUT | Epoll.EPOLLERR | Epoll.EPOLLHUP);
            assertNotEquals(0, events & Epoll.EPOLLERR, "EPOLLERR, events 0x" + Integer.toHexString(events));
            assertEquals(Errno.ECONNREFUSED, Sockets.getInt(client, Sockets.SOL_SOCKET, Sockets.SO_ERROR));
            assertEquals(0, Sockets.getInt(client, Sockets.SOL_SOCKET, Sockets.SO_ERROR), "SO_ERROR is cleared");
        }
    }

    @Test
    void rawConnectToAPortWithoutListenerIsRefused() throws Exception {
        try (FdScope fds = new FdScope(); Poller poller = new Poller(); Arena arena = Arena.ofConfined()) {
            int bound = fds.add(Sockets.openTcp(Loopback.IPV4_ANY_PORT));
            Sockets.bind(bound, Loopback.IPV4_ANY_PORT);
            MemorySegment address = arena.allocate(SockAddr.SOCKADDR_STORAGE);
            int length = SockAddr.write(address, Sockets.localAddress(bound));

            int client = fds.add(Sockets.socket(Sockets.AF_INET,
                    Sockets.SOCK_STREAM | Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC, 0));
            int started = Sockets.connect(client, address, length);
            assertTrue(started == -Errno.EINPROGRESS || started == -Errno.ECONNREFUSED, "connect returned " + started);
            if (started == -Errno.EINPROGRESS) {
                poller.add(client, Epoll.EPOLLOUT);
                poller.await(client, Epoll.EPOLLOUT | Epoll.EPOLLERR | Epoll.EPOLLHUP);
                assertEquals(Errno.ECONNREFUSED, Sockets.getInt(client, Sockets.SOL_SOCKET, Sockets.SO_ERROR));
            }
        }
    }

    @Test
    void readingAClosedDescriptorIsEbadf() throws Exception {
        try (FdScope fds = new FdScope(); Arena arena = Arena.ofConfined()) {
            int closed = fds.add(EventFd.create(0, EventFd.EFD_NONBLOCK | EventFd.EFD_CLOEXEC));
            fds.closeNow(closed);
            // Zero bytes: should another thread get the number meanwhile, nothing is consumed.
            long result = FileIo.read(closed, arena.allocate(8).address(), 0);
            assertEquals(-Errno.EBADF, result);
            NativeIoException e = assertThrows(NativeIoException.class, () -> Errno.check(result, "read"));
            assertEquals("read failed: EBADF (Bad file descriptor)", e.getMessage());
            assertEquals("read", e.call());
            assertEquals(Errno.EBADF, e.errno());

            assertEquals(-Errno.EBADF, FileIo.read(NEVER_OPEN, arena.allocate(8)));
            assertEquals(-Errno.EBADF, FileIo.write(NEVER_OPEN, arena.allocate(8)));
            assertEquals(-Errno.EBADF, FileIo.writev(NEVER_OPEN, arena.allocate(IoVec.LAYOUT), 1));
            assertEquals(-Errno.EBADF, FileIo.fcntl(NEVER_OPEN, FileIo.F_GETFL, 0));
            assertEquals(-Errno.EBADF, FileIo.close(NEVER_OPEN));
        }
    }

    @Test
    void epollCtlRejectsBadDescriptorsAndWrongOperations() throws Exception {
        try (FdScope fds = new FdScope(); Poller poller = new Poller()) {
            assertEquals(-Errno.EBADF, Epoll.ctl(poller.epfd, Epoll.EPOLL_CTL_ADD, NEVER_OPEN, Epoll.EPOLLIN, 0));
            assertEquals(-Errno.EBADF, Epoll.ctl(NEVER_OPEN, Epoll.EPOLL_CTL_ADD, poller.epfd, Epoll.EPOLLIN, 0));
            int result = Epoll.ctl(poller.epfd, Epoll.EPOLL_CTL_ADD, -1, Epoll.EPOLLIN, 0);
            NativeIoException e = assertThrows(NativeIoException.class, () -> Errno.check(result, "epoll_ctl"));
            assertEquals("epoll_ctl failed: EBADF (Bad file descriptor)", e.getMessage());

            int event = fds.add(EventFd.create(0, EventFd.EFD_NONBLOCK | EventFd.EFD_CLOEXEC));
            assertEquals(-Errno.ENOENT, Epoll.ctl(poller.epfd, Epoll.EPOLL_CTL_MOD, event, Epoll.EPOLLIN, 0));
            assertEquals(-Errno.ENOENT, Epoll.ctl(poller.epfd, Epoll.EPOLL_CTL_DEL, event, 0, 0));
            poller.add(event, Epoll.EPOLLIN);
            assertEquals(-Errno.EEXIST, Epoll.ctl(poller.epfd, Epoll.EPOLL_CTL_ADD, event, Epoll.EPOLLIN, 0));
            assertEquals(-Errno.EINVAL, Epoll.ctl(poller.epfd, Epoll.EPOLL_CTL_ADD, poller.epfd, Epoll.EPOLLIN, 0),
                    "an epoll instance cannot watch itself");
            assertEquals(-Errno.EBADF, Epoll.wait(NEVER_OPEN, MemorySegment.NULL.address(), 1, 0));
        }
    }

    @Test
    void socketCallsOnANonSocketReportEnotsock() throws Exception {
        try (FdScope fds = new FdScope()) {
            int notASocket = fds.add(EventFd.create(0, EventFd.EFD_NONBLOCK | EventFd.EFD_CLOEXEC));

            NativeIoException e = assertThrows(NativeIoException.class,
                    () -> Sockets.setInt(notASocket, Sockets.SOL_SOCKET, Sockets.SO_REUSEADDR, 1));
            assertEquals(Errno.ENOTSOCK, e.errno());
            assertEquals("setsockopt", e.call());
            assertEquals("setsockopt SO_REUSEADDR=1 failed: ENOTSOCK (Socket operation on non-socket)",
                    e.getMessage());

            NativeIoException get = assertThrows(NativeIoException.class,
                    () -> Sockets.getInt(notASocket, Sockets.IPPROTO_TCP, Sockets.TCP_NODELAY));
            assertEquals("getsockopt TCP_NODELAY failed: ENOTSOCK (Socket operation on non-socket)",
                    get.getMessage());
            assertEquals(-Errno.ENOTSOCK, Sockets.listen(notASocket, 1));
            assertEquals(-Errno.ENOTSOCK, Sockets.shutdown(notASocket, Sockets.SHUT_RDWR));
            assertThrows(NativeIoException.class, () -> Sockets.localAddress(notASocket));
        }
    }

    @Test
    void misusedSocketsReportTheKernelsErrno() throws Exception {
        try (FdScope fds = new FdScope()) {
            int fd = fds.add(Sockets.openTcp(Loopback.IPV4_ANY_PORT));
            assertEquals(-Errno.EINVAL, Sockets.accept4(fd, MemorySegment.NULL, MemorySegment.NULL, 0),
                    "accept on a socket that is not listening");
            assertEquals(-Errno.ENOTCONN, Sockets.shutdown(fd, Sockets.SHUT_WR));
            NativeIoException e = assertThrows(NativeIoException.class, () -> Sockets.remoteAddress(fd));
            assertEquals("getpeername failed: ENOTCONN (Transport endpoint is not connected)", e.getMessage());
            assertEquals(-Errno.EAFNOSUPPORT, Sockets.socket(12345, Sockets.SOCK_STREAM, 0));
            NativeIoException option = assertThrows(NativeIoException.class,
                    () -> Sockets.setInt(fd, Sockets.SOL_SOCKET, 12345, 1));
            assertEquals("setsockopt SOL_SOCKET/12345=1 failed: ENOPROTOOPT (Protocol not available)",
                    option.getMessage());
        }
    }
}
