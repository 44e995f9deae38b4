package io.panamanetty.bindings;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Operations through {@link IoUringRing} on real descriptors: sockets, pipes, timers, other rings. */
@ExtendWith(NoFdLeaks.class)
@Timeout(60)
class IoUringOperationsTest {

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

    private static int[] socketPair(FdScope fds, Arena arena) {
        MemorySegment pair = arena.allocate(ValueLayout.JAVA_INT, 2);
        assertEquals(0, Sockets.socketpair(Sockets.AF_UNIX,
                Sockets.SOCK_STREAM | Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC, 0, pair));
        return new int[] {fds.add(pair.get(ValueLayout.JAVA_INT, 0)), fds.add(pair.get(ValueLayout.JAVA_INT, 4))};
    }

    @Test
    void writeAndReadThroughTheRing() throws Exception {
        try (FdScope fds = new FdScope(); Arena arena = Arena.ofConfined();
             IoUringRing ring = IoUringRing.open(8, 0, IoUring.IORING_SETUP_SINGLE_ISSUER)) {
            int[] pair = socketPair(fds, arena);
            MemorySegment sent = Loopback.pattern(arena, 3000, 18);
            MemorySegment received = arena.allocate(3000);
            // A read posted before the data exists waits inside the kernel (no EAGAIN).
            sqe(ring, IoUringSqe.IORING_OP_READ, pair[1], received.address(), 3000, -1, 1);
            ring.submit();
            sqe(ring, IoUringSqe.IORING_OP_WRITE, pair[0], sent.address(), 3000, -1, 2);
            List<Completions.Cqe> done = new Completions().await(ring, 2);
            assertEquals(Set.of(new Completions.Cqe(1, 3000, 0), new Completions.Cqe(2, 3000, 0)),
                    new HashSet<>(done));
            assertEquals(-1, sent.mismatch(received));
        }
    }

    @Test
    void writevAndReadvThroughTheRingOnAPipe() throws Exception {
        try (FdScope fds = new FdScope(); Arena arena = Arena.ofConfined();
             IoUringRing ring = IoUringRing.open(8, 0, 0)) {
            MemorySegment pipe = arena.allocate(ValueLayout.JAVA_INT, 2);
            assertEquals(0, Pipes.pipe2(pipe, FileIo.O_CLOEXEC));
            int readEnd = fds.add(pipe.get(ValueLayout.JAVA_INT, 0));
            int writeEnd = fds.add(pipe.get(ValueLayout.JAVA_INT, 4));
            MemorySegment hello = arena.allocateFrom("hello, ", StandardCharsets.US_ASCII);
            MemorySegment word = arena.allocateFrom("ring", StandardCharsets.US_ASCII);
            MemorySegment out = arena.allocate(IoVec.SIZE * 2, 8);
            IoVec.set(out, 0, hello.address(), 7);
            IoVec.set(out, 1, word.address(), 4);
            sqe(ring, IoUringSqe.IORING_OP_WRITEV, writeEnd, out.address(), 2, -1, 7);
            MemorySegment first = arena.allocate(5);
            MemorySegment second = arena.allocate(6);
            MemorySegment in = arena.allocate(IoVec.SIZE * 2, 8);
            IoVec.set(in, 0, first.address(), 5);
            IoVec.set(in, 1, second.address(), 6);
            sqe(ring, IoUringSqe.IORING_OP_READV, readEnd, in.address(), 2, -1, 8);
            Completions completions = new Completions();
            completions.await(ring, 2);
            assertEquals(List.of(new Completions.Cqe(7, 11, 0)), completions.of(7));
            assertEquals(List.of(new Completions.Cqe(8, 11, 0)), completions.of(8));
            assertEquals("hello", new String(first.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII));
            assertEquals(", ring", new String(second.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void multishotAcceptPostsOneCompletionPerConnection() throws Exception {
        try (FdScope fds = new FdScope(); IoUringRing ring = IoUringRing.open(8, 0, 0)) {
            int listener = Loopback.listen(fds, Loopback.IPV4_ANY_PORT);
            InetSocketAddress target = Sockets.localAddress(listener);
            long accept = sqe(ring, IoUringSqe.IORING_OP_ACCEPT, listener, 0, 0, 0, 100);
            IoUringSqe.setIoprio(ring.sqes(), accept, IoUringSqe.IORING_ACCEPT_MULTISHOT);
            IoUringSqe.setOpFlags(ring.sqes(), accept, Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC);
            ring.submit();
            for (int i = 0; i < 3; i++) {
                int client = fds.add(Sockets.openTcp(target));
                int started = Sockets.connect(client, target);
                assertTrue(started == 0 || started == -Errno.EINPROGRESS, "connect: " + started);
            }
            Completions completions = new Completions();
            for (Completions.Cqe accepted : completions.await(ring, 3)) {
                assertEquals(100, accepted.userData());
                assertTrue(accepted.res() >= 0, "accept: " + Errno.symbol(-accepted.res()));
                assertTrue(accepted.more(), "the accept stays armed (IORING_CQE_F_MORE)");
                fds.add(accepted.res());
                int flags = FileIo.fcntl(accepted.res(), FileIo.F_GETFL, 0);
                assertTrue((flags & FileIo.O_NONBLOCK) != 0, "accepted with SOCK_NONBLOCK");
            }
            // Cancelling it ends the multishot: -ECANCELED without F_MORE; the cancel itself succeeds.
            sqe(ring, IoUringSqe.IORING_OP_ASYNC_CANCEL, -1, 100, 0, 0, 101);
            completions.await(ring, 5);
            assertEquals(List.of(new Completions.Cqe(101, 0, 0)), completions.of(101));
            Completions.Cqe last = completions.of(100).getLast();
            assertEquals(-Errno.ECANCELED, last.res());
            assertFalse(last.more());
        }
    }

    @Test
    void receivesTakeBuffersFromARegisteredBufferRing() throws Exception {
        final int entries = 8;
        final int size = 256;
        final int group = 7;
        try (FdScope fds = new FdScope(); Arena arena = Arena.ofConfined();
             IoUringRing ring = IoUringRing.open(8, 0, IoUring.IORING_SETUP_SINGLE_ISSUER)) {
            int[] pair = socketPair(fds, arena);
            long ringBytes = entries * IoUringBufRing.IO_URING_BUF.byteSize();
            long ringAddress = MemoryMap.map(ringBytes, MemoryMap.PROT_READ | MemoryMap.PROT_WRITE,
                    MemoryMap.MAP_PRIVATE | MemoryMap.MAP_ANONYMOUS, -1, 0);
            assertTrue(ringAddress > 0, "mmap: " + ringAddress);
            try {
                MemorySegment buffers = arena.allocate((long) entries * size, 64);
                MemorySegment bufRing = Memory.segment(ringAddress, ringBytes);
                for (int id = 0; id < entries; id++) {
                    IoUringBufRing.setBuffer(bufRing, id, buffers.address() + (long) id * size, size, id);
                }
                IoUringBufRing.publishTail(bufRing, entries);
                MemorySegment reg = arena.allocate(IoUringBufRing.IO_URING_BUF_REG);
                IoUringBufRing.prepareRegistration(reg, ringAddress, entries, group);
                assertEquals(0, IoUring.register(ring.fd(), IoUring.IORING_REGISTER_PBUF_RING, reg.address(), 1));

                // A multishot receive: each message lands in a buffer of the group, named in the CQE.
                long recv = sqe(ring, IoUringSqe.IORING_OP_RECV, pair[1], 0, 0, 0, 200);
                IoUringSqe.setFlags(ring.sqes(), recv, IoUringSqe.IOSQE_BUFFER_SELECT);
                IoUringSqe.setBufGroup(ring.sqes(), recv, group);
                IoUringSqe.setIoprio(ring.sqes(), recv, IoUringSqe.IORING_RECV_MULTISHOT);
                ring.submit();
                Completions completions = new Completions();
                Set<Integer> used = new HashSet<>();
                String[] messages = {"first", "second message", "third"};
                for (int i = 0; i < messages.length; i++) {
                    MemorySegment text = arena.allocateFrom(messages[i], StandardCharsets.US_ASCII);
                    assertEquals(messages[i].length(), FileIo.write(pair[0], text.address(), messages[i].length()));
                    Completions.Cqe cqe = completions.await(ring, i + 1).get(i);
                    assertEquals(messages[i].length(), cqe.res(), "recv: " + cqe);
                    assertTrue((cqe.flags() & IoUringCqe.IORING_CQE_F_BUFFER) != 0, "a provided buffer");
                    assertTrue(cqe.more(), "the receive stays armed");
                    int id = IoUringCqe.bufferId(cqe.flags());
                    assertTrue(used.add(id), "buffer " + id + " used twice");
                    byte[] got = buffers.asSlice((long) id * size, cqe.res()).toArray(ValueLayout.JAVA_BYTE);
                    assertEquals(messages[i], new String(got, StandardCharsets.US_ASCII));
                }
                fds.closeNow(pair[0]);   // end of stream ends the multishot receive
                Completions.Cqe end = completions.await(ring, 4).get(3);
                assertEquals(0, end.res());
                assertFalse(end.more());
                assertEquals(0, IoUring.register(ring.fd(), IoUring.IORING_UNREGISTER_PBUF_RING, reg.address(), 1));
            } finally {
                assertEquals(0, MemoryMap.unmap(ringAddress, ringBytes));
            }
        }
    }

    @Test
    void aTimeoutExpiresWithEtime() throws Exception {
        try (Arena arena = Arena.ofConfined(); IoUringRing ring = IoUringRing.open(4, 0, 0)) {
            MemorySegment timespec = arena.allocate(TimerFd.TIMESPEC);
            timespec.set(ValueLayout.JAVA_LONG, 8, 1_000_000L);   // 1 ms
            sqe(ring, IoUringSqe.IORING_OP_TIMEOUT, -1, timespec.address(), 1, 0, 300);
            assertEquals(List.of(new Completions.Cqe(300, -Errno.ETIME, 0)), new Completions().await(ring, 1));
        }
    }

    @Test
    void aTimeoutIsMovedEarlierByAnUpdate() throws Exception {
        try (Arena arena = Arena.ofConfined(); IoUringRing ring = IoUringRing.open(4, 0, 0)) {
            MemorySegment hour = arena.allocate(TimerFd.TIMESPEC);
            hour.set(ValueLayout.JAVA_LONG, 0, 3600);
            sqe(ring, IoUringSqe.IORING_OP_TIMEOUT, -1, hour.address(), 1, 0, 310);
            assertEquals(1, ring.submit());
            MemorySegment soon = arena.allocate(TimerFd.TIMESPEC);
            soon.set(ValueLayout.JAVA_LONG, 8, 1_000_000L);
            // TIMEOUT_REMOVE with IORING_TIMEOUT_UPDATE: addr names the timeout, addr2 (off) the new time
            long update = sqe(ring, IoUringSqe.IORING_OP_TIMEOUT_REMOVE, -1, 310, 0, soon.address(), 311);
            IoUringSqe.setOpFlags(ring.sqes(), update, IoUringSqe.IORING_TIMEOUT_UPDATE);
            Completions completions = new Completions();
            completions.await(ring, 2);
            assertEquals(List.of(new Completions.Cqe(311, 0, 0)), completions.of(311), "updated");
            assertEquals(List.of(new Completions.Cqe(310, -Errno.ETIME, 0)), completions.of(310),
                    "the hour-long timeout fired after a millisecond");
        }
    }

    @Test
    void msgRingPostsACompletionOnAnotherRing() throws Exception {
        int flags = IoUring.IORING_SETUP_SINGLE_ISSUER | IoUring.IORING_SETUP_DEFER_TASKRUN;
        try (IoUringRing sender = IoUringRing.open(4, 0, 0); IoUringRing target = IoUringRing.open(4, 0, flags)) {
            sqe(sender, IoUringSqe.IORING_OP_MSG_RING, target.fd(), IoUringSqe.IORING_MSG_DATA, 1234, 77, 400);
            assertEquals(List.of(new Completions.Cqe(400, 0, 0)), new Completions().await(sender, 1));
            assertEquals(List.of(new Completions.Cqe(77, 1234, 0)), new Completions().await(target, 1));
        }
    }
}
