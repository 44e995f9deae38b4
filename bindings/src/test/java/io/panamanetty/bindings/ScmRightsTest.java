package io.panamanetty.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SCM_RIGHTS over a real AF_UNIX stream pair: a file descriptor sent, read through on the far side; MSG_CTRUNC. */
@ExtendWith(NoFdLeaks.class)
@Timeout(60)
class ScmRightsTest {

    private static int[] streamPair(FdScope fds, Arena arena) {
        MemorySegment pair = arena.allocate(ValueLayout.JAVA_INT, 2);
        assertEquals(0, Sockets.socketpair(Sockets.AF_UNIX,
                Sockets.SOCK_STREAM | Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC, 0, pair));
        return new int[] {fds.add(pair.get(ValueLayout.JAVA_INT, 0)), fds.add(pair.get(ValueLayout.JAVA_INT, 4))};
    }

    /** One msghdr (an mmsghdr's first member) with one iovec over {@code data} and {@code control}. */
    private static MemorySegment header(Arena arena, MemorySegment data, MemorySegment control, int controlLength) {
        MemorySegment iov = arena.allocate(IoVec.SIZE);
        IoVec.set(iov, 0, data.address(), data.byteSize());
        MemorySegment msg = arena.allocate(MsgHdr.MMSGHDR);
        MsgHdr.set(msg, 0, 0, 0, iov.address(), 1, control == null ? 0 : control.address(), controlLength);
        return msg;
    }

    private static long send(Arena arena, int socket, byte payload, int... fds) {
        MemorySegment control = arena.allocate(ScmRights.controlSpace(fds.length), 8);
        int space = ScmRights.putRights(control, fds, fds.length);
        MemorySegment data = arena.allocate(1);
        data.set(ValueLayout.JAVA_BYTE, 0, payload);
        return ScmRights.sendmsg(socket, header(arena, data, control, space).address(), Sockets.MSG_NOSIGNAL);
    }

    @Test
    void aFileDescriptorSentIsReadOnTheFarSide(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("passed.txt"), "read through a passed descriptor");
        try (FdScope fds = new FdScope(); Arena arena = Arena.ofConfined()) {
            int[] pair = streamPair(fds, arena);
            int opened = fds.add(RegularFiles.openForReading(file));
            assertEquals(1, send(arena, pair[0], (byte) 'x', opened));
            fds.closeNow(opened);   // in flight, the kernel holds the file open

            MemorySegment data = arena.allocate(16);
            MemorySegment control = arena.allocate(ScmRights.controlSpace(4), 8);
            MemorySegment msg = header(arena, data, control, ScmRights.controlSpace(4));
            assertEquals(1, ScmRights.recvmsg(pair[1], msg.address(), ScmRights.MSG_CMSG_CLOEXEC));
            assertEquals('x', data.get(ValueLayout.JAVA_BYTE, 0));
            assertEquals(0, MsgHdr.flags(msg, 0) & MsgHdr.MSG_CTRUNC);
            List<Integer> received = new ArrayList<>();
            assertEquals(1, ScmRights.forEachReceived(control, MsgHdr.controlLength(msg, 0), received::add));
            int fd = fds.add(received.get(0));
            assertEquals(1, FileIo.fcntl(fd, FileIo.F_GETFD, 0) & 1, "MSG_CMSG_CLOEXEC: FD_CLOEXEC is set");

            MemorySegment contents = arena.allocate(100);
            long n = RegularFiles.pread(fd, contents.address(), 100, 0);
            assertEquals("read through a passed descriptor",
                    new String(contents.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII));

            int copy = fds.add(ScmRights.duplicate(fd));
            assertNotEquals(fd, copy);
            assertEquals(1, FileIo.fcntl(copy, FileIo.F_GETFD, 0) & 1, "the duplicate is close-on-exec");
        }
    }

    @Test
    void moreDescriptorsThanTheControlBufferHoldsSetMsgCtrunc() throws Exception {
        try (FdScope fds = new FdScope(); Arena arena = Arena.ofConfined()) {
            int[] pair = streamPair(fds, arena);
            int[] carried = streamPair(fds, arena);
            assertEquals(1, send(arena, pair[0], (byte) 1, carried[0], carried[1], carried[0], carried[1], carried[0]));

            MemorySegment data = arena.allocate(16);
            int room = ScmRights.controlSpace(2);
            MemorySegment control = arena.allocate(room, 8);
            MemorySegment msg = header(arena, data, control, room);
            assertEquals(1, ScmRights.recvmsg(pair[1], msg.address(), ScmRights.MSG_CMSG_CLOEXEC));
            assertEquals(MsgHdr.MSG_CTRUNC, MsgHdr.flags(msg, 0) & MsgHdr.MSG_CTRUNC);
            List<Integer> received = new ArrayList<>();
            int count = ScmRights.forEachReceived(control, MsgHdr.controlLength(msg, 0), received::add);
            assertEquals(2, count, "the kernel delivers what fits and closes the rest");
            received.forEach(fds::add);
        }
    }

    @Test
    void controlArithmeticAndLimits() {
        assertEquals(20, ScmRights.CMSG_LEN_ONE_FD);
        assertEquals(24, ScmRights.CMSG_SPACE_ONE_FD);
        assertEquals(32, ScmRights.CMSG_SPACE_THREE_FDS);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment control = arena.allocate(64, 8);
            assertThrows(IllegalArgumentException.class, () -> ScmRights.putRights(control, new int[0], 0));
        }
        NativeIoException e = assertThrows(NativeIoException.class, () -> ScmRights.duplicate(-1));
        assertTrue(e.getMessage().contains("fcntl") && e.getMessage().contains("EBADF"), e.getMessage());
    }
}
