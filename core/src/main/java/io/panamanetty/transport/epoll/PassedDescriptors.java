package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.FileIo;
import io.panamanetty.bindings.IoVec;
import io.panamanetty.bindings.MsgHdr;
import io.panamanetty.bindings.ScmRights;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.channel.DescriptorsTruncatedException;
import io.panamanetty.channel.internal.DefaultChannelPipeline;
import io.panamanetty.channel.internal.SafeLog;
import io.panamanetty.file.FileDescriptorHandle;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Descriptors over a Unix domain socket ({@code SCM_RIGHTS}): {@link #send} passes one
 * with a NUL data byte ({@code sendmsg}); {@link #receive} reads bytes and the descriptors
 * that came with them ({@code recvmsg} with {@code MSG_CMSG_CLOEXEC}), firing each as a
 * {@link FileDescriptorHandle} before the caller fires the bytes. The message header, its
 * iovec and a control buffer for the kernel's most descriptors are scratch memory of the
 * calling thread (an event loop's), so neither call allocates. Event-loop confined.
 */
final class PassedDescriptors {
    private static final int MOST = ScmRights.maxDescriptorsPerMessage();
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** One thread's message memory. */
    private static final class Scratch {
        final MemorySegment msg;
        final MemorySegment iov;
        final MemorySegment control;
        final MemorySegment nul;
        final MemorySegment sendControl;
        /** What a receive collected; apart from what a send uses, as a handler may send while they are fired. */
        final int[] fds = new int[MOST];
        final int[] sendFds = new int[1];
        int received;

        Scratch() {
            Arena arena = Arena.ofAuto();   // lives as long as the thread that uses it
            msg = arena.allocate(MsgHdr.MMSGHDR);
            iov = arena.allocate(IoVec.SIZE, 8);
            control = arena.allocate(ScmRights.controlSpace(MOST), 8);
            nul = arena.allocate(1);
            sendControl = arena.allocate(ScmRights.controlSpace(1), 8);
        }
    }

    private PassedDescriptors() {
    }

    /**
     * Passes {@code fd} over {@code socket} with one NUL byte.
     *
     * @return 1 once sent, or {@code -errno} ({@code -EAGAIN}: the socket is full)
     */
    static long send(int socket, int fd) {
        Scratch scratch = SCRATCH.get();
        scratch.sendFds[0] = fd;
        int space = ScmRights.putRights(scratch.sendControl, scratch.sendFds, 1);
        IoVec.set(scratch.iov, 0, scratch.nul.address(), 1);
        MsgHdr.set(scratch.msg, 0, 0, 0, scratch.iov.address(), 1, scratch.sendControl.address(), space);
        return ScmRights.sendmsg(socket, scratch.msg.address(), Sockets.MSG_NOSIGNAL);
    }

    /**
     * Reads up to {@code room} bytes at {@code address} from {@code channel}'s socket with
     * room for {@code most} descriptors, and fires each descriptor that came with them as a
     * {@link FileDescriptorHandle}. If the kernel cut the descriptors ({@code MSG_CTRUNC}),
     * those that arrived are closed instead and a {@link DescriptorsTruncatedException} is
     * fired to {@code exceptionCaught}. Descriptors left when a handler closes the channel
     * are closed; the caller checks whether it is still open before using the bytes.
     *
     * @return the bytes read, 0 at the end of the stream, or {@code -errno}
     */
    static long receive(EpollSocketChannel channel, DefaultChannelPipeline pipeline, long address, int room,
                        int most) {
        Scratch scratch = SCRATCH.get();
        // CMSG_LEN, not CMSG_SPACE: the kernel takes as many descriptors as the length holds, and
        // CMSG_SPACE's padding would hold one more than asked for when that is odd
        int controlRoom = (int) MsgHdr.cmsgLength(Integer.BYTES * most);
        IoVec.set(scratch.iov, 0, address, room);
        MsgHdr.set(scratch.msg, 0, 0, 0, scratch.iov.address(), 1, scratch.control.address(), controlRoom);
        long n = ScmRights.recvmsg(channel.fd, scratch.msg.address(), ScmRights.MSG_CMSG_CLOEXEC);
        if (n < 0) {
            return n;
        }
        long controlLength = MsgHdr.controlLength(scratch.msg, 0);
        if (controlLength == 0) {
            return n;
        }
        scratch.received = 0;
        ScmRights.forEachReceived(scratch.control, controlLength, fd -> scratch.fds[scratch.received++] = fd);
        int count = scratch.received;
        if ((MsgHdr.flags(scratch.msg, 0) & MsgHdr.MSG_CTRUNC) != 0) {
            closeAll(scratch.fds, 0, count);
            pipeline.fireExceptionCaught(new DescriptorsTruncatedException(count, most));
            return n;
        }
        for (int i = 0; i < count; i++) {
            if (!channel.isOpen()) {   // closed by a handler: nobody takes the rest
                closeAll(scratch.fds, i, count);
                break;
            }
            pipeline.fireChannelRead(FileDescriptorHandle.adopt(scratch.fds[i]));
        }
        return n;
    }

    private static void closeAll(int[] fds, int from, int to) {
        for (int i = from; i < to; i++) {
            int result = FileIo.close(fds[i]);
            if (result < 0) {
                int fd = fds[i];
                SafeLog.debug(PassedDescriptors.class, () -> "close of received fd " + fd + ": "
                        + Errno.symbol(-result));
            }
        }
    }
}
