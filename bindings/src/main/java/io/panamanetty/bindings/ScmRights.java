package io.panamanetty.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static io.panamanetty.bindings.Libc.C_INT;
import static io.panamanetty.bindings.Libc.C_LONG;

/**
 * Passing file descriptors over Unix domain sockets ({@code SCM_RIGHTS}, {@code unix(7)}):
 * one message header at a time, with the descriptors in a {@code SOL_SOCKET} control
 * message laid out as {@link MsgHdr#CMSGHDR} (whose {@code msghdr} is the first member of an
 * {@code mmsghdr}, so {@link MsgHdr#set} fills one for these calls too):
 * <pre>{@code
 * ssize_t sendmsg(int sockfd, const struct msghdr *msg, int flags);
 * ssize_t recvmsg(int sockfd, struct msghdr *msg, int flags);
 * int fcntl(int fd, F_DUPFD_CLOEXEC, 0);   // dup that keeps close-on-exec
 * }</pre>
 * A control message of {@code n} descriptors has {@code cmsg_len = CMSG_LEN(4n)} and takes
 * {@code CMSG_SPACE(4n)} bytes of the control buffer. At least one data byte must go with
 * them on a stream socket; the kernel takes at most {@link #SCM_MAX_FD} per message.
 */
public final class ScmRights {
    /** {@code cmsg_type} of a control message carrying descriptors, at level {@code SOL_SOCKET}. */
    public static final int SCM_RIGHTS = 1;
    /** A {@code recvmsg} flag: the received descriptors are close-on-exec. */
    public static final int MSG_CMSG_CLOEXEC = 0x40000000;
    /** {@code fcntl} command: duplicate onto the lowest free descriptor, close-on-exec. */
    public static final int F_DUPFD_CLOEXEC = 1030;
    /** {@code CMSG_LEN(sizeof(int))}: the {@code cmsg_len} of a message of one descriptor. */
    public static final long CMSG_LEN_ONE_FD = MsgHdr.cmsgLength(Integer.BYTES);
    /** {@code CMSG_SPACE(sizeof(int))}: the control bytes one descriptor takes. */
    public static final long CMSG_SPACE_ONE_FD = MsgHdr.space(Integer.BYTES);
    /** {@code CMSG_SPACE(3 * sizeof(int))}: an odd count, padded to {@code size_t}. */
    public static final long CMSG_SPACE_THREE_FDS = MsgHdr.space(3 * Integer.BYTES);
    /** {@code getsockopt(SOL_SOCKET)}: 1 if the socket is listening (with {@link SockOpt#SO_DOMAIN}, what a passed socket is). */
    public static final int SO_ACCEPTCONN = 30;
    /** The most descriptors the kernel takes in one message ({@code SCM_MAX_FD}, not in the user headers). */
    static final int SCM_MAX_FD = 253;

    private static final MethodHandle SENDMSG = Libc.withErrno("sendmsg",
            FunctionDescriptor.of(C_LONG, C_INT, C_LONG, C_INT));
    private static final MethodHandle RECVMSG = Libc.withErrno("recvmsg",
            FunctionDescriptor.of(C_LONG, C_INT, C_LONG, C_INT));

    private ScmRights() {
    }

    /** The most descriptors one message may carry. */
    public static int maxDescriptorsPerMessage() {
        return SCM_MAX_FD;
    }

    /** {@code CMSG_SPACE(count * sizeof(int))}: the control bytes a message of {@code count} descriptors needs. */
    public static int controlSpace(int count) {
        return (int) MsgHdr.space(count * Integer.BYTES);
    }

    /** {@code sendmsg(fd, msghdr, flags)}: the bytes sent, or {@code -errno}. */
    public static long sendmsg(int fd, long msghdr, int flags) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((long) SENDMSG.invokeExact(capture, fd, msghdr, flags), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code recvmsg(fd, msghdr, flags)}: the bytes received (0 at end of stream), or {@code -errno}. */
    public static long recvmsg(int fd, long msghdr, int flags) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((long) RECVMSG.invokeExact(capture, fd, msghdr, flags), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * Writes one {@code SOL_SOCKET}/{@code SCM_RIGHTS} control message carrying {@code fds}
     * at the start of {@code control}; returns the {@code msg_controllen} to pass
     * ({@code CMSG_SPACE}).
     */
    public static int putRights(MemorySegment control, int[] fds, int count) {
        if (count < 1 || count > SCM_MAX_FD) {
            throw new IllegalArgumentException("a message carries 1 to " + SCM_MAX_FD + " descriptors, not " + count);
        }
        int space = controlSpace(count);
        control.asSlice(0, space).fill((byte) 0);
        MsgHdr.putHeader(control, 0, Sockets.SOL_SOCKET, SCM_RIGHTS, count * Integer.BYTES);
        long data = MsgHdr.dataOffset(0);
        for (int i = 0; i < count; i++) {
            control.set(ValueLayout.JAVA_INT_UNALIGNED, data + (long) i * Integer.BYTES, fds[i]);
        }
        return space;
    }

    /** What {@link #forEachReceived} hands each received descriptor to. */
    public interface Receiver {
        /** A descriptor that arrived; the receiver owns it. */
        void received(int fd);
    }

    /**
     * Walks the {@code controlLength} bytes of control messages {@code recvmsg} filled in,
     * handing every descriptor of each {@code SCM_RIGHTS} message to {@code receiver}, in order.
     *
     * @return how many descriptors there were
     */
    public static int forEachReceived(MemorySegment control, long controlLength, Receiver receiver) {
        int count = 0;
        long header = MsgHdr.CMSGHDR.byteSize();
        long offset = 0;
        while (offset + header <= controlLength) {
            long length = MsgHdr.cmsgLength(control, offset);
            if (length < header || offset + length > controlLength) {
                break;   // malformed or cut: nothing more to trust
            }
            if (MsgHdr.cmsgLevel(control, offset) == Sockets.SOL_SOCKET
                    && MsgHdr.cmsgType(control, offset) == SCM_RIGHTS) {
                long data = MsgHdr.dataOffset(offset);
                int fds = (int) ((length - header) / Integer.BYTES);
                for (int i = 0; i < fds; i++) {
                    receiver.received(control.get(ValueLayout.JAVA_INT_UNALIGNED, data + (long) i * Integer.BYTES));
                    count++;
                }
            }
            offset += MsgHdr.align(length);
        }
        return count;
    }

    /**
     * A new descriptor for what {@code fd} refers to (the same open file description),
     * close-on-exec.
     *
     * @throws NativeIoException naming {@code fcntl(F_DUPFD_CLOEXEC)} and errno ({@code EBADF}, {@code EMFILE})
     */
    public static int duplicate(int fd) throws NativeIoException {
        int result = FileIo.fcntl(fd, F_DUPFD_CLOEXEC, 0);
        if (result < 0) {
            throw Errno.exception(-result, "fcntl", "F_DUPFD_CLOEXEC of fd " + fd);
        }
        return result;
    }
}
