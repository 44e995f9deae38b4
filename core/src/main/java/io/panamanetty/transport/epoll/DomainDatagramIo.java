package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.IoVec;
import io.panamanetty.bindings.MsgHdr;
import io.panamanetty.bindings.ScmRights;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.bindings.UnixSockAddr;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One datagram at a time on a Unix domain datagram socket: {@code recvmsg} with room for the
 * sender's {@code sockaddr_un} and, when asked, for passed descriptors; {@code sendmsg} to a
 * recipient's address (or the connected peer), with descriptors when given. The message
 * header, iovec, address and control memory are the calling thread's (an event loop's), so
 * neither call allocates native memory. Event-loop confined.
 */
final class DomainDatagramIo {
    private static final int MOST_DESCRIPTORS = ScmRights.maxDescriptorsPerMessage();
    private static final ThreadLocal<DomainDatagramIo> PER_THREAD = ThreadLocal.withInitial(DomainDatagramIo::new);

    final MemorySegment msg;
    final MemorySegment iov;
    final MemorySegment name;
    final MemorySegment control;

    private DomainDatagramIo() {
        Arena arena = Arena.ofAuto();   // lives as long as the thread that uses it
        msg = arena.allocate(MsgHdr.MMSGHDR);
        iov = arena.allocate(IoVec.SIZE, 8);
        name = arena.allocate(UnixSockAddr.SOCKADDR_UN);
        control = arena.allocate(ScmRights.controlSpace(MOST_DESCRIPTORS), 8);
    }

    /** The calling thread's. */
    static DomainDatagramIo current() {
        return PER_THREAD.get();
    }

    /**
     * Receives one datagram into {@code room} bytes at {@code address}, with control room for
     * {@code descriptors} descriptors (0: none). {@code MSG_TRUNC} asks for the datagram's whole
     * length, so a longer one is told by a result above {@code room}.
     *
     * @return the datagram's length, or {@code -errno}
     */
    long receive(int fd, long address, int room, int descriptors) {
        IoVec.set(iov, 0, address, room);
        // CMSG_LEN, not CMSG_SPACE, so that an odd count is exact (see PassedDescriptors)
        int controlRoom = descriptors == 0 ? 0 : (int) MsgHdr.cmsgLength(Integer.BYTES * descriptors);
        MsgHdr.set(msg, 0, name.address(), (int) UnixSockAddr.SOCKADDR_UN.byteSize(), iov.address(), 1,
                descriptors == 0 ? 0 : control.address(), controlRoom);
        return ScmRights.recvmsg(fd, msg.address(), MsgHdr.MSG_TRUNC | ScmRights.MSG_CMSG_CLOEXEC);
    }

    /** The sender of the datagram last received, as a sun path (empty: unnamed). */
    byte[] sender() {
        return UnixSockAddr.read(name, MsgHdr.nameLength(msg, 0));
    }

    /** The control bytes the last receive filled in. */
    long controlLength() {
        return MsgHdr.controlLength(msg, 0);
    }

    /** True if the last receive's descriptors were cut ({@code MSG_CTRUNC}). */
    boolean controlTruncated() {
        return (MsgHdr.flags(msg, 0) & MsgHdr.MSG_CTRUNC) != 0;
    }

    /**
     * Sends {@code length} bytes at {@code address} as one datagram to {@code recipient} (a sun
     * path; null: the connected peer), passing {@code fds} (the first {@code fdCount}) with it.
     *
     * @return the bytes sent, or {@code -errno}
     */
    long send(int fd, long address, int length, byte[] recipient, int[] fds, int fdCount) {
        IoVec.set(iov, 0, address, length);
        int nameLength = recipient == null ? 0 : UnixSockAddr.write(name, recipient);
        int controlLength = fdCount == 0 ? 0 : ScmRights.putRights(control, fds, fdCount);
        MsgHdr.set(msg, 0, recipient == null ? 0 : name.address(), nameLength, iov.address(), 1,
                fdCount == 0 ? 0 : control.address(), controlLength);
        return ScmRights.sendmsg(fd, msg.address(), Sockets.MSG_NOSIGNAL);
    }
}
