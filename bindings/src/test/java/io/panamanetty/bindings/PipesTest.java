package io.panamanetty.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Pipes, their capacity, and splice from a socket through a pipe into another socket. */
@ExtendWith(NoFdLeaks.class)
@Timeout(60)
class PipesTest {
    private static final int FLAGS = FileIo.O_NONBLOCK | FileIo.O_CLOEXEC;
    private static final int MAX_ROUNDS = 1_000_000;

    @Test
    void openGivesAReadEndAndAWriteEnd() throws Exception {
        try (FdScope fds = new FdScope(); Arena arena = Arena.ofConfined()) {
            int[] pipe = Pipes.open(FLAGS);
            int readEnd = fds.add(pipe[0]);
            int writeEnd = fds.add(pipe[1]);
            assertNotEquals(readEnd, writeEnd);
            for (int fd : pipe) {
                assertNotEquals(0, FileIo.fcntl(fd, FileIo.F_GETFL, 0) & FileIo.O_NONBLOCK, "O_NONBLOCK");
                assertEquals(FileIo.FD_CLOEXEC, FileIo.fcntl(fd, FileIo.F_GETFD, 0) & FileIo.FD_CLOEXEC, "FD_CLOEXEC");
            }

            MemorySegment buffer = arena.allocate(100);
            assertEquals(-Errno.EAGAIN, FileIo.read(readEnd, buffer), "empty pipe");
            MemorySegment message = Loopback.pattern(arena, 100, 20);
            assertEquals(100, FileIo.write(writeEnd, message.address(), 100));
            assertEquals(-Errno.EBADF, FileIo.write(readEnd, message), "the read end is not writable");
            assertEquals(100, FileIo.read(readEnd, buffer.address(), 100));
            assertEquals(-1L, message.mismatch(buffer));

            fds.closeNow(writeEnd);
            assertEquals(0, FileIo.read(readEnd, buffer), "end of stream once the write end is closed");
        }
    }

    @Test
    void pipeCapacityIsReadAndSetThroughFcntl() throws Exception {
        try (FdScope fds = new FdScope()) {
            int[] pipe = Pipes.open(FLAGS);
            fds.add(pipe[0]);
            fds.add(pipe[1]);
            int initial = FileIo.fcntl(pipe[0], FileIo.F_GETPIPE_SZ, 0);
            assertTrue(initial > 0, "F_GETPIPE_SZ " + initial);

            int wanted = 1 << 17;
            int granted = FileIo.fcntl(pipe[1], FileIo.F_SETPIPE_SZ, wanted);
            assertTrue(granted >= wanted, "F_SETPIPE_SZ granted " + granted);
            assertEquals(granted, FileIo.fcntl(pipe[0], FileIo.F_GETPIPE_SZ, 0), "both ends share the buffer");

            // The kernel rounds a size up to a power-of-two number of pages.
            int odd = FileIo.fcntl(pipe[0], FileIo.F_SETPIPE_SZ, 70_000);
            assertTrue(odd >= 70_000 && Integer.bitCount(odd) == 1, "rounded to " + odd);
            assertEquals(odd, FileIo.fcntl(pipe[1], FileIo.F_GETPIPE_SZ, 0));

            assertEquals(-Errno.EBADF, FileIo.fcntl(Integer.MAX_VALUE, FileIo.F_GETPIPE_SZ, 0));
            int notAPipe = fds.add(EventFd.create(0, EventFd.EFD_NONBLOCK | EventFd.EFD_CLOEXEC));
            assertEquals(-Errno.EBADF, FileIo.fcntl(notAPipe, FileIo.F_GETPIPE_SZ, 0));
        }
    }

    @Test
    void spliceMovesSocketBytesThroughAPipeIntoAnotherSocket() throws Exception {
        try (FdScope fds = new FdScope(); Poller poller = new Poller(); Arena arena = Arena.ofConfined()) {
            int listener = Loopback.listen(fds, Loopback.IPV4_ANY_PORT);
            Loopback.Connection in = Loopback.connect(fds, listener);
            Loopback.Connection out = Loopback.connect(fds, listener);
            int[] pipe = Pipes.open(FLAGS);
            int pipeRead = fds.add(pipe[0]);
            int pipeWrite = fds.add(pipe[1]);
            int flags = Pipes.SPLICE_F_NONBLOCK | Pipes.SPLICE_F_MOVE;

            // in.client --TCP--> in.server --splice--> pipe --splice--> out.server --TCP--> out.client
            int size = 300_001;   // several pipe-fulls
            MemorySegment sent = Loopback.pattern(arena, size, 21);
            MemorySegment received = arena.allocate(size);
            poller.add(in.server(), Epoll.EPOLLIN | Epoll.EPOLLRDHUP);
            poller.add(out.client(), Epoll.EPOLLIN);
            long written = 0;
            long spliced = 0;
            long inPipe = 0;
            long read = 0;
            boolean endOfInput = false;
            long deadline = System.nanoTime() + Poller.TIMEOUT_MILLIS * 1_000_000;
            for (int round = 0; read < size; round++) {
                if (round >= MAX_ROUNDS || System.nanoTime() - deadline > 0) {
                    fail("splice stalled: written " + written + ", spliced in " + spliced
                            + ", in the pipe " + inPipe + ", read " + read);
                }
                boolean progress = false;
                if (written < size) {
                    long n = FileIo.write(in.client(), sent.address() + written, size - written);
                    if (n > 0) {
                        written += n;
                        progress = true;
                        if (written == size) {
                            assertEquals(0, Sockets.shutdown(in.client(), Sockets.SHUT_WR));
                        }
                    } else {
                        assertEquals(-Errno.EAGAIN, n, "write");
                    }
                }
                if (!endOfInput) {
                    long n = Pipes.splice(in.server(), pipeWrite, 1 << 16, flags);
                    if (n > 0) {
                        spliced += n;
                        inPipe += n;
                        progress = true;
                    } else if (n == 0) {
                        endOfInput = true;
                        assertEquals(size, spliced, "end of input after all bytes");
                    } else {
                        assertEquals(-Errno.EAGAIN, n, "splice socket to pipe");
                    }
                }
                if (inPipe > 0) {
                    long n = Pipes.splice(pipeRead, out.server(), inPipe, flags);
                    if (n > 0) {
                        inPipe -= n;
                        progress = true;
                    } else {
                        assertEquals(-Errno.EAGAIN, n, "splice pipe to socket");
                    }
                }
                long n = FileIo.read(out.client(), received.address() + read, size - read);
                if (n > 0) {
                    read += n;
                    progress = true;
                } else {
                    assertEquals(-Errno.EAGAIN, n, "read");
                }
                if (!progress) {
                    poller.poll(-1, 10);
                }
            }
            assertEquals(size, spliced);
            assertEquals(0, inPipe);
            assertEquals(-1L, sent.mismatch(received), "first differing byte");
            assertEquals(-Errno.EAGAIN, FileIo.read(pipeRead, arena.allocate(1)), "pipe drained");
        }
    }

    @Test
    void spliceNeedsAPipeOnOneSide() throws Exception {
        try (FdScope fds = new FdScope()) {
            Loopback.Connection connection = Loopback.connect(fds, Loopback.listen(fds, Loopback.IPV4_ANY_PORT));
            assertEquals(-Errno.EINVAL, Pipes.splice(connection.server(), connection.client(), 100,
                    Pipes.SPLICE_F_NONBLOCK));
            assertEquals(-Errno.EBADF, Pipes.splice(Integer.MAX_VALUE, connection.client(), 100,
                    Pipes.SPLICE_F_NONBLOCK));
        }
    }
}
