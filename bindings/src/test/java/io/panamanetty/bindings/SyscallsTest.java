package io.panamanetty.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The raw-address calls that go by number through {@code syscall(3)} ({@link Syscalls}): the
 * same results and the same {@code -errno} as libc's wrappers gave.
 */
@ExtendWith(NoFdLeaks.class)
@Timeout(60)
class SyscallsTest {

    @Test
    void thisMachinesArchitectureIsListed() {
        String arch = System.getProperty("os.arch");
        if (arch.equals("amd64") || arch.equals("aarch64")) {
            assertTrue(Syscalls.NR_READ >= 0 && Syscalls.NR_EPOLL_PWAIT2 == 441, arch + " has a table");
        }
    }

    @Test
    void readWriteAndSendCarryBytesAndReportErrnos() {
        try (FdScope fds = new FdScope(); Arena arena = Arena.ofConfined()) {
            MemorySegment pair = arena.allocate(ValueLayout.JAVA_INT, 2);
            assertEquals(0, Sockets.socketpair(Sockets.AF_UNIX,
                    Sockets.SOCK_STREAM | Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC, 0, pair));
            int a = fds.add(pair.get(ValueLayout.JAVA_INT, 0));
            int b = fds.add(pair.get(ValueLayout.JAVA_INT, 4));
            MemorySegment out = Loopback.pattern(arena, 300, 7);
            MemorySegment in = arena.allocate(600);

            assertEquals(-Errno.EAGAIN, FileIo.read(b, in.address(), in.byteSize()), "nothing sent yet");
            assertEquals(100, FileIo.write(a, out.address(), 100));
            assertEquals(200, Sockets.send(a, out.address() + 100, 200, MsgHdr.MSG_DONTWAIT));
            assertEquals(300, FileIo.read(b, in.address(), in.byteSize()));
            assertEquals(-1, in.asSlice(0, 300).mismatch(out), "the bytes, in order");

            MemorySegment iovecs = arena.allocate(IoVec.SIZE * 2);
            IoVec.set(iovecs, 0, out.address(), 120);
            IoVec.set(iovecs, 1, out.address() + 120, 180);
            assertEquals(300, FileIo.writev(a, iovecs.address(), 2));
            IoVec.set(iovecs, 0, in.address(), 50);
            IoVec.set(iovecs, 1, in.address() + 50, 550);
            assertEquals(300, FileIo.readv(b, iovecs.address(), 2));
            assertEquals(-1, in.asSlice(0, 300).mismatch(out));

            // -1, not a closed fd's number, which another thread of this JVM may be given meanwhile
            assertEquals(-Errno.EBADF, FileIo.read(-1, in.address(), 10));
            assertEquals(-Errno.EBADF, FileIo.write(-1, out.address(), 10));
            assertEquals(-Errno.EBADF, FileIo.writev(-1, iovecs.address(), 2));
            assertEquals(-Errno.EBADF, Sockets.send(-1, out.address(), 10, MsgHdr.MSG_DONTWAIT));
            fds.closeNow(a);
            assertEquals(0, FileIo.read(b, in.address(), in.byteSize()), "end of stream");
        }
    }

    @Test
    void preciseWaitTimesOutReportsEventsAndErrnos() {
        try (FdScope fds = new FdScope(); Arena arena = Arena.ofConfined()) {
            int epfd = fds.add(Epoll.create(Epoll.EPOLL_CLOEXEC));
            MemorySegment events = arena.allocate(Epoll.EVENT_SIZE * 4);
            int first = Epoll.pwait2(epfd, events.address(), 4, 0);
            if (first == -Errno.ENOSYS || first == -Errno.EPERM) {   // a kernel before 5.11, or a seccomp filter
                assertTrue(!"true".equals(System.getenv("CI")), "CI=true, and this machine has no epoll_pwait2");
                return;
            }
            assertEquals(0, first, "nothing ready, no wait");
            assertEquals(0, Epoll.pwait2(epfd, events.address(), 4, 2_000_000), "a 2 ms timeout");
            int eventFd = fds.add(EventFd.create(1, EventFd.EFD_NONBLOCK | EventFd.EFD_CLOEXEC));
            assertEquals(0, Epoll.ctl(epfd, Epoll.EPOLL_CTL_ADD, eventFd, Epoll.EPOLLIN, 42));
            assertEquals(1, Epoll.pwait2(epfd, events.address(), 4, -1), "ready: no limit needed");
            assertEquals(42, Epoll.data(events, 0));
            assertEquals(-Errno.EINVAL, Epoll.pwait2(epfd, events.address(), 0, 0), "maxevents 0");
            assertEquals(-Errno.EBADF, Epoll.pwait2(-1, events.address(), 4, 0));
        }
    }
}
