package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.IoVec;
import io.panamanetty.buffer.Buffer;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * Finds the runs of queued datagrams that can leave as one {@code UDP_SEGMENT} message: in
 * queue order, plain datagrams (not segmented by the application) to the same recipient
 * (null, the connected peer, is a recipient too), each as long as the first but the last, which
 * may be shorter; at most {@link #MAX_DATAGRAMS} of them and {@link #MAX_BYTES} in all. The
 * kernel cuts such a message at the first's size, so the receiver sees exactly the datagrams
 * as queued. The iovecs of the run's datagrams point at each one's own content: nothing is
 * copied. Stateless.
 */
final class CoalescedRun {
    /** The most datagrams a run takes: what every kernel with {@code UDP_SEGMENT} cuts one message into. */
    static final int MAX_DATAGRAMS = GsoRefusal.MAX_SEGMENTS_EVERYWHERE;
    /**
     * The most bytes of a run: UDP's largest payload over IPv4, which is below IPv6's (the
     * message's one UDP header must give the length of all).
     */
    static final int MAX_BYTES = DatagramLimits.MAX_IPV4_PAYLOAD;

    private CoalescedRun() {
    }

    /**
     * The length of the run that starts at queue entry {@code first} (its iovec set already at
     * {@code first}) among {@code entries} entries from the ring's {@code head}; sets the iovecs
     * of the run's other datagrams at the entries' positions. 1 if the first stands alone.
     *
     * @param limit the largest datagram size to coalesce (a path's refusal lowers it)
     */
    static int length(Buffer[] buffers, InetSocketAddress[] recipients, int[] segmentSizes, int head, int first,
                      int entries, int limit, MemorySegment iovecs) {
        int mask = buffers.length - 1;
        int index = (head + first) & mask;
        int size = buffers[index].readableBytes();
        if (segmentSizes[index] != 0 || size == 0 || size > limit) {
            return 1;
        }
        InetSocketAddress recipient = recipients[index];
        int total = size;
        int run = 1;
        while (first + run < entries && run < MAX_DATAGRAMS) {
            int next = (head + first + run) & mask;
            Buffer buffer = buffers[next];
            int length = buffer.readableBytes();
            if (segmentSizes[next] != 0 || length == 0 || length > size || total + length > MAX_BYTES
                    || !sameRecipient(recipient, recipients[next])) {
                break;
            }
            IoVec.set(iovecs, first + run, buffer.memoryAddress() + buffer.readerIndex(), length);
            total += length;
            run++;
            if (length < size) {
                break;   // a shorter one is the run's last
            }
        }
        return run;
    }

    private static boolean sameRecipient(InetSocketAddress a, InetSocketAddress b) {
        return a == b || (a != null && a.equals(b));
    }
}
