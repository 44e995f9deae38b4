package io.panamanetty.bindings;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ProvidedBufferRing}: receives take its buffers, run out of them, and resume once they come back. */
@ExtendWith(NoFdLeaks.class)
@Timeout(60)
class ProvidedBufferRingTest {
    private static final long RECV = 500;

    @BeforeAll
    static void ioUringWorks() {
        IoUringAvailable.require();
    }

    private static void multishotRecv(IoUringRing ring, int fd, ProvidedBufferRing buffers) {
        long sqe = ring.nextSqe();
        IoUringSqe.prepare(ring.sqes(), sqe, IoUringSqe.IORING_OP_RECV, fd, 0, 0, 0, RECV);
        IoUringSqe.setFlags(ring.sqes(), sqe, IoUringSqe.IOSQE_BUFFER_SELECT);
        IoUringSqe.setBufGroup(ring.sqes(), sqe, buffers.groupId());
        IoUringSqe.setIoprio(ring.sqes(), sqe, IoUringSqe.IORING_RECV_MULTISHOT);
    }

    private static void send(Arena arena, int fd, String text) {
        MemorySegment bytes = arena.allocateFrom(text, StandardCharsets.US_ASCII);
        assertEquals(text.length(), FileIo.write(fd, bytes.address(), text.length()));
    }

    private static String text(ProvidedBufferRing buffers, Completions.Cqe cqe) {
        assertTrue((cqe.flags() & IoUringCqe.IORING_CQE_F_BUFFER) != 0, "a provided buffer: " + cqe);
        return new String(buffers.buffer(IoUringCqe.bufferId(cqe.flags()), cqe.res()).toArray(ValueLayout.JAVA_BYTE),
                StandardCharsets.US_ASCII);
    }

    @Test
    void receivesRunOutOfBuffersAndResumeWhenTheyAreRecycled() throws Exception {
        try (FdScope fds = new FdScope(); Arena arena = Arena.ofConfined();
             IoUringRing ring = IoUringRing.open(8, 0, IoUring.IORING_SETUP_SINGLE_ISSUER);
             ProvidedBufferRing buffers = ProvidedBufferRing.register(ring, 3, 2, 64)) {
            MemorySegment pair = arena.allocate(ValueLayout.JAVA_INT, 2);
            assertEquals(0, Sockets.socketpair(Sockets.AF_UNIX,
                    Sockets.SOCK_STREAM | Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC, 0, pair));
            int writer = fds.add(pair.get(ValueLayout.JAVA_INT, 0));
            int reader = fds.add(pair.get(ValueLayout.JAVA_INT, 4));
            multishotRecv(ring, reader, buffers);
            ring.submit();
            Completions completions = new Completions();

            send(arena, writer, "one");
            Completions.Cqe first = completions.await(ring, 1).get(0);
            assertEquals("one", text(buffers, first));
            send(arena, writer, "two");
            Completions.Cqe second = completions.await(ring, 2).get(1);
            assertEquals("two", text(buffers, second));
            assertNotEquals(IoUringCqe.bufferId(first.flags()), IoUringCqe.bufferId(second.flags()));

            send(arena, writer, "three");   // no buffer left: the multishot receive ends
            Completions.Cqe exhausted = completions.await(ring, 3).get(2);
            assertEquals(-Errno.ENOBUFS, exhausted.res());
            assertFalse(exhausted.more());

            buffers.recycle(IoUringCqe.bufferId(first.flags()));
            buffers.recycle(IoUringCqe.bufferId(second.flags()));
            buffers.publish();
            multishotRecv(ring, reader, buffers);
            Completions.Cqe resumed = completions.await(ring, 4).get(3);
            assertEquals("three", text(buffers, resumed), "the bytes waited in the socket");
            assertTrue(resumed.more());

            fds.closeNow(writer);   // end of stream ends the receive before the buffers go
            Completions.Cqe end = completions.await(ring, 5).get(4);
            assertEquals(0, end.res());
            assertFalse(end.more());
        }
    }

    @Test
    void lentBuffersReceiveWhereTheCallerSaysAndMayMoveFromUseToUse() throws Exception {
        try (FdScope fds = new FdScope(); Arena arena = Arena.ofConfined();
             IoUringRing ring = IoUringRing.open(8, 0, IoUring.IORING_SETUP_SINGLE_ISSUER);
             ProvidedBufferRing buffers = ProvidedBufferRing.registerEmpty(ring, 4, 1, 64)) {
            assertThrows(IllegalStateException.class, () -> buffers.address(0), "no buffers of its own");
            MemorySegment pair = arena.allocate(ValueLayout.JAVA_INT, 2);
            assertEquals(0, Sockets.socketpair(Sockets.AF_UNIX,
                    Sockets.SOCK_STREAM | Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC, 0, pair));
            int writer = fds.add(pair.get(ValueLayout.JAVA_INT, 0));
            int reader = fds.add(pair.get(ValueLayout.JAVA_INT, 4));
            Completions completions = new Completions();
            multishotRecv(ring, reader, buffers);
            ring.submit();
            send(arena, writer, "early");   // nothing lent yet
            Completions.Cqe none = completions.await(ring, 1).get(0);
            assertEquals(-Errno.ENOBUFS, none.res());

            MemorySegment first = arena.allocate(64);
            MemorySegment second = arena.allocate(64);
            buffers.provide(0, first.address());
            buffers.publish();
            multishotRecv(ring, reader, buffers);
            Completions.Cqe one = completions.await(ring, 2).get(1);
            assertEquals(0, IoUringCqe.bufferId(one.flags()));
            assertEquals("early", ascii(first, one.res()), "received into the first lent memory");

            buffers.provide(0, second.address());   // the same id, other memory
            buffers.publish();
            send(arena, writer, "later");
            Completions.Cqe two = completions.await(ring, 3).get(2);
            assertTrue(two.res() == 5 && IoUringCqe.bufferId(two.flags()) == 0, "received: " + two);
            assertEquals("later", ascii(second, two.res()), "received into the second");
            assertEquals("early", ascii(first, 5), "the first, handed on, untouched");
            assertThrows(IllegalArgumentException.class, () -> buffers.provide(0, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> buffers.provide(1, second.address()));
            fds.closeNow(writer);   // the end of stream, with no buffer lent: the receive ends
            Completions.Cqe last = completions.await(ring, 4).get(3);
            assertTrue(last.res() == 0 || last.res() == -Errno.ENOBUFS, "ended: " + last);
            assertFalse(last.more());
        }
    }

    private static String ascii(MemorySegment memory, int length) {
        return new String(memory.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII);
    }

    @Test
    void badSizesAreRefusedAndClosingUnmapsTheBuffers() throws Exception {
        try (IoUringRing ring = IoUringRing.open(4, 0, 0)) {
            assertThrows(IllegalArgumentException.class, () -> ProvidedBufferRing.register(ring, 1, 3, 64));
            assertThrows(IllegalArgumentException.class, () -> ProvidedBufferRing.register(ring, 1, 1 << 16, 64));
            ProvidedBufferRing buffers = ProvidedBufferRing.register(ring, 1, 16, 4096);
            long first = buffers.address(0);
            long last = buffers.address(15) + 4095;
            assertTrue(mapped(first) && mapped(last), "the buffers are mapped");
            NativeIoException inUse = assertThrows(NativeIoException.class,
                    () -> ProvidedBufferRing.register(ring, 1, 16, 4096));
            assertEquals(Errno.EEXIST, inUse.errno());
            assertEquals(16, buffers.entries());
            buffers.close();
            buffers.close();
            assertThrows(IllegalStateException.class, () -> buffers.recycle(0));
            // (not a count of /proc/self/maps lines: the JVM's own threads map and unmap meanwhile)
            assertFalse(mapped(first) || mapped(last), "the buffers' mapping is gone");
            ProvidedBufferRing.register(ring, 1, 16, 4096).close();   // the group id is free again
        }
    }

    /** Whether a mapping of this process covers {@code address} ({@code /proc/self/maps}). */
    private static boolean mapped(long address) throws IOException {
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.anyMatch(line -> {
                String[] range = line.substring(0, line.indexOf(' ')).split("-");
                long start = Long.parseUnsignedLong(range[0], 16);
                long end = Long.parseUnsignedLong(range[1], 16);
                return Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0;
            });
        }
    }
}
