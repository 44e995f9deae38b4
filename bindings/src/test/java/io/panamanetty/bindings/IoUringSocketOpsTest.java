package io.panamanetty.bindings;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The socket operations the io_uring transport is to use, on loopback TCP through
 * {@link IoUringRing}: connect, accept, send/recv, sendmsg/recvmsg, a linked timeout,
 * multishot poll, shutdown and close.
 */
@ExtendWith(NoFdLeaks.class)
@Timeout(60)
class IoUringSocketOpsTest {

    @BeforeAll
    static void ioUringWorks() {
        IoUringAvailable.require();
    }

    private static long sqe(IoUringRing ring, int opcode, int fd, long address, int length, long off, long userData) {
        long sqe = ring.nextSqe();
        assertTrue(sqe >= 0, "no free SQE");
        IoUringSqe.prepare(ring.sqes(), sqe, opcode, fd, address, length, off, userData);
        return sqe;
    }

    private static void linkedTimeout(IoUringRing ring, long previousSqe, MemorySegment timespec, long millis,
                                      long userData) {
        IoUringSqe.setFlags(ring.sqes(), previousSqe, IoUringSqe.IOSQE_IO_LINK);
        timespec.set(ValueLayout.JAVA_LONG, 0, millis / 1000);
        timespec.set(ValueLayout.JAVA_LONG, 8, millis % 1000 * 1_000_000L);
        sqe(ring, IoUringSqe.IORING_OP_LINK_TIMEOUT, -1, timespec.address(), 1, 0, userData);
    }

    @Test
    void connectAcceptSendReceiveShutdownAndCloseThroughTheRing() throws Exception {
        try (FdScope fds = new FdScope(); Arena arena = Arena.ofConfined();
             IoUringRing ring = IoUringRing.open(16, 0, IoUring.IORING_SETUP_SINGLE_ISSUER)) {
            int listener = Loopback.listen(fds, Loopback.IPV4_ANY_PORT);
            InetSocketAddress target = Sockets.localAddress(listener);
            MemorySegment address = arena.allocate(SockAddr.SOCKADDR_STORAGE);
            int addressLength = SockAddr.write(address, target);
            MemorySegment timespec = arena.allocate(TimerFd.TIMESPEC);

            // accept (peer address filled in) and connect with a linked timeout
            MemorySegment peer = arena.allocate(SockAddr.SOCKADDR_STORAGE);
            MemorySegment peerLength = arena.allocate(ValueLayout.JAVA_INT);
            peerLength.set(ValueLayout.JAVA_INT, 0, (int) SockAddr.SOCKADDR_STORAGE.byteSize());
            long accept = sqe(ring, IoUringSqe.IORING_OP_ACCEPT, listener, peer.address(), 0, peerLength.address(), 1);
            IoUringSqe.setOpFlags(ring.sqes(), accept, Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC);
            int client = fds.add(Sockets.openTcp(target));
            long connect = sqe(ring, IoUringSqe.IORING_OP_CONNECT, client, address.address(), 0, addressLength, 2);
            linkedTimeout(ring, connect, timespec, 10_000, 3);
            Completions completions = new Completions();
            completions.await(ring, 3);
            int server = completions.of(1).get(0).res();
            assertTrue(server >= 0, "accept: " + completions.reaped);
            fds.add(server);
            assertEquals(List.of(new Completions.Cqe(2, 0, 0)), completions.of(2), "connected");
            assertEquals(List.of(new Completions.Cqe(3, -Errno.ECANCELED, 0)), completions.of(3),
                    "the linked timeout is cancelled by the connect's success");
            assertTrue(peerLength.get(ValueLayout.JAVA_INT, 0) > 0, "accept wrote the peer's address length");
            assertEquals(Sockets.localAddress(client), SockAddr.read(peer));

            // send / recv
            MemorySegment out = Loopback.pattern(arena, 1000, 5);
            MemorySegment in = arena.allocate(1000);
            sqe(ring, IoUringSqe.IORING_OP_SEND, client, out.address(), 1000, 0, 4);
            long recv = sqe(ring, IoUringSqe.IORING_OP_RECV, server, in.address(), 1000, 0, 5);
            IoUringSqe.setOpFlags(ring.sqes(), recv, Sockets.MSG_WAITALL);
            completions = new Completions();
            completions.await(ring, 2);
            assertEquals(List.of(new Completions.Cqe(4, 1000, 0)), completions.of(4));
            assertEquals(1000, completions.of(5).get(0).res());
            assertEquals(-1, out.mismatch(in));

            // sendmsg / recvmsg, two iovecs each way
            MemorySegment iovOut = arena.allocate(IoVec.SIZE * 2, 8);
            IoVec.set(iovOut, 0, out.address(), 300);
            IoVec.set(iovOut, 1, out.address() + 300, 200);
            MemorySegment msgOut = arena.allocate(MsgHdr.arraySize(1), 8);
            MsgHdr.set(msgOut, 0, 0, 0, iovOut.address(), 2, 0, 0);
            MemorySegment back = arena.allocate(500);
            MemorySegment iovIn = arena.allocate(IoVec.SIZE * 2, 8);
            IoVec.set(iovIn, 0, back.address(), 250);
            IoVec.set(iovIn, 1, back.address() + 250, 250);
            MemorySegment msgIn = arena.allocate(MsgHdr.arraySize(1), 8);
            MsgHdr.set(msgIn, 0, 0, 0, iovIn.address(), 2, 0, 0);
            sqe(ring, IoUringSqe.IORING_OP_SENDMSG, server, msgOut.address(), 1, 0, 6);
            long recvmsg = sqe(ring, IoUringSqe.IORING_OP_RECVMSG, client, msgIn.address(), 1, 0, 7);
            IoUringSqe.setOpFlags(ring.sqes(), recvmsg, Sockets.MSG_WAITALL);
            completions = new Completions();
            completions.await(ring, 2);
            assertEquals(List.of(new Completions.Cqe(6, 500, 0)), completions.of(6));
            assertEquals(500, completions.of(7).get(0).res());
            assertEquals(-1, out.asSlice(0, 500).mismatch(back));

            // a receive with nothing to come, bounded by a linked timeout
            long idle = sqe(ring, IoUringSqe.IORING_OP_RECV, server, in.address(), 100, 0, 8);
            linkedTimeout(ring, idle, timespec, 20, 9);
            completions = new Completions();
            completions.await(ring, 2);
            assertEquals(List.of(new Completions.Cqe(8, -Errno.ECANCELED, 0)), completions.of(8));
            assertEquals(List.of(new Completions.Cqe(9, -Errno.ETIME, 0)), completions.of(9));

            // multishot poll sees the socket readable; shutdown(SHUT_WR) of the peer ends in EOF
            long poll = sqe(ring, IoUringSqe.IORING_OP_POLL_ADD, server, 0, IoUringSqe.IORING_POLL_ADD_MULTI, 0, 10);
            IoUringSqe.setOpFlags(ring.sqes(), poll, Epoll.EPOLLIN | Epoll.EPOLLRDHUP);
            sqe(ring, IoUringSqe.IORING_OP_SHUTDOWN, client, 0, Sockets.SHUT_WR, 0, 11);
            completions = new Completions();
            completions.await(ring, 2);
            assertEquals(List.of(new Completions.Cqe(11, 0, 0)), completions.of(11));
            Completions.Cqe readable = completions.of(10).get(0);
            assertTrue((readable.res() & Epoll.EPOLLRDHUP) != 0, "poll: " + readable);
            assertTrue(readable.more(), "multishot poll stays armed");
            sqe(ring, IoUringSqe.IORING_OP_RECV, server, in.address(), 100, 0, 12);
            sqe(ring, IoUringSqe.IORING_OP_ASYNC_CANCEL, -1, 10, 0, 0, 13);
            completions.await(ring, 5);
            assertEquals(0, completions.of(12).get(0).res(), "end of stream");
            Completions.Cqe pollEnd = completions.of(10).getLast();
            assertEquals(-Errno.ECANCELED, pollEnd.res());
            assertFalse(pollEnd.more());

            // close through the ring
            fds.closeNow(listener);
            MemorySegment pipe = arena.allocate(ValueLayout.JAVA_INT, 2);
            assertEquals(0, Pipes.pipe2(pipe, FileIo.O_CLOEXEC));
            int readEnd = fds.add(pipe.get(ValueLayout.JAVA_INT, 0));
            int writeEnd = pipe.get(ValueLayout.JAVA_INT, 4);
            sqe(ring, IoUringSqe.IORING_OP_CLOSE, writeEnd, 0, 0, 0, 14);
            assertEquals(List.of(new Completions.Cqe(14, 0, 0)), new Completions().await(ring, 1));
            assertEquals(0, FileIo.read(readEnd, in), "the write end is closed: end of stream");
        }
    }
}
