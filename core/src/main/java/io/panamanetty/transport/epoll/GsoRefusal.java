package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Datagrams;
import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.IoVec;
import io.panamanetty.bindings.MsgHdr;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.internal.SafeLog;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells the kernel's refusal of segmentation offload from a datagram's own failure. A
 * {@code sendmmsg} with {@code UDP_SEGMENT} that fails with {@code EINVAL} or {@code EIO} is
 * GSO's refusal only if the same payload goes plainly: {@link #sendFirstSegment} sends its
 * first segment as a datagram of its own. If that fails too, the error is the datagram's (a
 * recipient on port 0 is {@code EINVAL} either way) and GSO is not to blame. Once GSO is to
 * blame, {@link #refusesEveryDatagram} says whether the socket refuses it for good ({@code EIO}:
 * no checksum offload on the path; {@code EINVAL} with {@code SO_NO_CHECK} set) or only this
 * datagram's shape (more segments than some kernels take). Event-loop confined.
 */
final class GsoRefusal {
    /** What every kernel with {@code UDP_SEGMENT} takes in one send ({@code UDP_MAX_SEGMENTS}: 64, now 128). */
    static final int MAX_SEGMENTS_EVERYWHERE = 64;

    private static final AtomicBoolean COALESCING_REFUSAL_LOGGED = new AtomicBoolean();

    private GsoRefusal() {
    }

    /**
     * Sends the first {@code segmentSize} bytes of {@code buffer} to {@code recipient} (null: the
     * connected peer) as one plain datagram, through message 0 of {@code arrays}.
     *
     * @return 1 if it went, or {@code -errno}
     */
    static int sendFirstSegment(int fd, MessageArrays arrays, DatagramAddresses addresses, Buffer buffer,
                                InetSocketAddress recipient, int segmentSize) {
        IoVec.set(arrays.iovSegment, 0, buffer.memoryAddress() + buffer.readerIndex(),
                Math.min(segmentSize, buffer.readableBytes()));
        long name = 0;
        int nameLength = 0;
        if (recipient != null) {
            nameLength = addresses.encode(recipient, arrays.namesSegment, 0);
            name = arrays.names;
        }
        MsgHdr.set(arrays.vec, 0, name, nameLength, arrays.iovecs, 1, 0, 0);
        return Datagrams.sendmmsg(fd, arrays.memory, 1, 0);
    }

    /**
     * Whether GSO's refusal ({@code errno}) of a datagram of {@code length} bytes in segments of
     * {@code segmentSize} holds for every segmented datagram of socket {@code fd}.
     */
    static boolean refusesEveryDatagram(int fd, int errno, int length, int segmentSize) {
        if (errno == Errno.EIO) {
            return true;   // no checksum offload for the route (or IPsec): the same for the next one
        }
        if (errno == Errno.EMSGSIZE) {
            return false;   // a segment larger than the path's MTU: smaller ones may go
        }
        if ((length + segmentSize - 1) / segmentSize > MAX_SEGMENTS_EVERYWHERE) {
            return false;   // too many segments for this kernel, maybe: smaller datagrams may still go
        }
        try {
            return Sockets.getInt(fd, Sockets.SOL_SOCKET, Datagrams.SO_NO_CHECK) != 0;
        } catch (NativeIoException e) {
            return true;
        }
    }

    /** Logs, once a process, that a socket refused coalesced datagrams for good ({@code errno}). */
    static void logCoalescingRefused(EpollDatagramChannel channel, int errno) {
        if (!COALESCING_REFUSAL_LOGGED.getAndSet(true)) {
            SafeLog.warning(GsoRefusal.class, () -> "sendmmsg of coalesced datagrams (UDP_SEGMENT) on " + channel
                    + " failed: " + Errno.symbol(errno) + " (" + Errno.strerror(errno) + "); its datagrams are sent"
                    + " one by one from now on (logged once)", null);
        }
    }
}
