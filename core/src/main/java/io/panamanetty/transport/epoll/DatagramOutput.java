package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Datagrams;
import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.IoVec;
import io.panamanetty.bindings.MsgHdr;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.ReferenceCounted;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.DatagramPacket;
import io.panamanetty.channel.internal.DefaultChannelPipeline;
import io.panamanetty.channel.internal.OutboundMessages;
import io.panamanetty.channel.internal.SafeLog;
import io.panamanetty.channel.internal.WaterMarkWritability;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The send side of an {@link EpollDatagramChannel}: queued datagrams (buffer, recipient,
 * promise, in ring arrays) leave in {@code sendmmsg} calls of up to {@code UIO_MAXIOV}
 * each, a spin limit per flush, EPOLLOUT only while the socket buffer is full, writability
 * from the water marks as on TCP. A datagram the kernel refuses alone fails its promise
 * and the rest go on; an ICMP error the kernel reports on the send (connected sockets) goes
 * to {@code exceptionCaught} and the send is tried again. A segmented packet goes as one
 * message with a {@code UDP_SEGMENT} cmsg (GSO); when the kernel refuses that and the first
 * segment goes plainly ({@link GsoRefusal}), the packet is cut into plain datagrams here, and
 * so are the socket's later ones if the refusal is the socket's for good. Runs of equal plain
 * datagrams to one recipient go as one such message each ({@link CoalescedRun}, the option
 * {@code UDP_SEGMENT_COALESCING}), each datagram still its own entry and promise. A sent or failed
 * datagram that was a packet's own content is released through the packet, so a received
 * packet written back goes back to its loop for reuse. Event-loop confined.
 */
final class DatagramOutput {
    /** The loop's native arrays of the calls (see {@link DatagramLoopCaches}), filled before each. */
    private MessageArrays arrays;
    private static final AtomicBoolean GSO_REFUSAL_LOGGED = new AtomicBoolean();

    private final EpollDatagramChannel channel;
    private final DefaultChannelPipeline pipeline;
    private Buffer[] buffers = new Buffer[16];
    /** The packet whose content each entry's buffer is, to release through; null for other messages. */
    private DatagramPacket[] packets = new DatagramPacket[16];
    private InetSocketAddress[] recipients = new InetSocketAddress[16];
    private ChannelPromise[] promises = new ChannelPromise[16];
    /** Each entry's GSO segment size; 0 for a plain datagram. */
    private int[] segmentSizes = new int[16];
    private int head;
    private int size;
    private long pendingBytes;
    private long heldBytes;
    private final WaterMarkWritability writability = new WaterMarkWritability();
    private boolean inFlush;
    boolean waitingForWritable;   // the socket buffer was full: waiting for EPOLLOUT
    /** The kernel refused a {@code UDP_SEGMENT} send on this socket: segmented datagrams are cut here instead. */
    private boolean gsoRefused;
    private boolean coalescingRefused;   // the kernel refused a coalesced run for good: each datagram on its own
    /** The largest datagram to coalesce: a path that refused a run of some size lowers it below that size. */
    private int coalesceLimit = CoalescedRun.MAX_BYTES;
    /** A coalesced message failed: the next call sends each datagram on its own, so each gets its own outcome. */
    private boolean plainOnce;
    private boolean peerErrorRetried;   // the head met an ICMP error and is tried once more: a second one fails it

    DatagramOutput(EpollDatagramChannel channel, DefaultChannelPipeline pipeline) {
        this.channel = channel;
        this.pipeline = pipeline;
    }

    boolean isWritable() {
        return writability.isWritable();
    }

    boolean isEmpty() {
        return size == 0;
    }

    void write(Object message, ChannelPromise promise) {
        if (!channel.isOpen()) {
            if (message instanceof ReferenceCounted counted) {
                counted.release();
            }
            promise.tryFailure(new ClosedChannelException());
            return;
        }
        Buffer buffer;
        InetSocketAddress recipient;
        int segmentSize = 0;
        DatagramPacket owner = null;
        try {
            if (message instanceof DatagramPacket packet) {
                recipient = packet.recipient();
                segmentSize = packet.segmentSize();
                Buffer content = packet.content();
                buffer = OutboundMessages.toBuffer(content, channel.config().allocator());
                owner = buffer == content ? packet : null;
            } else {
                recipient = null;
                buffer = OutboundMessages.toBuffer(message, channel.config().allocator());
            }
        } catch (RuntimeException e) {
            if (message instanceof DatagramPacket packet && packet.refCnt() > 0) {
                packet.release();
            }
            promise.tryFailure(e);
            return;
        }
        String refusal = DatagramLimits.refusal(channel, buffer.readableBytes(), recipient);
        if (refusal != null) {
            release(buffer, owner);
            promise.tryFailure(new IllegalArgumentException(refusal));
            return;
        }
        if (segmentSize >= buffer.readableBytes()) {
            segmentSize = 0;   // one segment: a plain datagram
        }
        if (segmentSize > 0 && gsoRefused) {
            addSplit(buffer, recipient, segmentSize, 0, promise);
        } else {
            add(buffer, owner, recipient, segmentSize, promise);
        }
        if (writability.peek() && updateWritability()) {
            pipeline.fireChannelWritabilityChanged();
        }
    }

    /** Releases a queued datagram's buffer: through {@code owner}, the packet it is the content of, if any. */
    private static void release(Buffer buffer, DatagramPacket owner) {
        if (owner != null) {
            owner.release();
        } else {
            buffer.release();
        }
    }

    private void add(Buffer buffer, DatagramPacket owner, InetSocketAddress recipient, int segmentSize,
                     ChannelPromise promise) {
        if (size == buffers.length) {
            grow();
        }
        put((head + size) & (buffers.length - 1), buffer, owner, recipient, segmentSize, promise);
        size++;
    }

    private void put(int index, Buffer buffer, DatagramPacket owner, InetSocketAddress recipient, int segmentSize,
                     ChannelPromise promise) {
        buffers[index] = buffer;
        packets[index] = owner;
        recipients[index] = recipient;
        segmentSizes[index] = segmentSize;
        promises[index] = promise;
        pendingBytes += buffer.readableBytes();
    }

    /**
     * Queues the datagrams of a segmented one as plain datagrams (slices of {@code buffer},
     * whose reference this takes), from byte {@code skip} on (the segments before it went
     * already). The promise succeeds once the last has gone, and fails with the first that fails.
     */
    private void addSplit(Buffer buffer, InetSocketAddress recipient, int segmentSize, int skip,
                          ChannelPromise promise) {
        int length = buffer.readableBytes();
        int count = (length - skip + segmentSize - 1) / segmentSize;
        Buffer[] slices = new Buffer[count];
        ChannelPromise[] parts = new ChannelPromise[count];
        for (int i = 0; i < count; i++) {
            int offset = skip + i * segmentSize;
            slices[i] = buffer.retainedSlice(buffer.readerIndex() + offset, Math.min(segmentSize, length - offset));
            ChannelPromise part = channel.newPromise();
            boolean last = i == count - 1;
            part.addListener(f -> {
                if (!f.isSuccess()) {
                    promise.tryFailure(f.cause());
                } else if (last) {
                    promise.trySuccess();
                }
            });
            parts[i] = part;
        }
        buffer.release();
        for (int i = 0; i < count; i++) {
            add(slices[i], null, recipient, 0, parts[i]);
        }
    }

    private void grow() {
        int capacity = buffers.length;
        Buffer[] newBuffers = new Buffer[capacity * 2];
        DatagramPacket[] newPackets = new DatagramPacket[capacity * 2];
        InetSocketAddress[] newRecipients = new InetSocketAddress[capacity * 2];
        ChannelPromise[] newPromises = new ChannelPromise[capacity * 2];
        int[] newSegmentSizes = new int[capacity * 2];
        for (int i = 0; i < size; i++) {
            int from = (head + i) & (capacity - 1);
            newBuffers[i] = buffers[from];
            newPackets[i] = packets[from];
            newRecipients[i] = recipients[from];
            newPromises[i] = promises[from];
            newSegmentSizes[i] = segmentSizes[from];
        }
        buffers = newBuffers;
        packets = newPackets;
        recipients = newRecipients;
        promises = newPromises;
        segmentSizes = newSegmentSizes;
        head = 0;
    }

    /** Adds {@code delta} to the bytes handlers hold; writability changes at once, its event in a later task. */
    void adjustHeldBytes(long delta) {
        heldBytes = Math.max(0, heldBytes + delta);
        if (channel.isOpen() && writability.updateLater(pendingBytes + heldBytes, channel.config())) {
            channel.eventLoop().execute(() -> {
                if (channel.isOpen() && writability.announce()) {
                    pipeline.fireChannelWritabilityChanged();
                }
            });
        }
    }

    /** Follows the queued and held bytes against the water marks; true if an event is owed now. */
    private boolean updateWritability() {
        return writability.update(pendingBytes + heldBytes, channel.config());
    }

    /** EPOLLOUT arrived while waiting for it. */
    void socketWritable() {
        waitingForWritable = false;
        channel.refreshInterest();
        flush();
    }

    void flush() {
        if (inFlush || !channel.isActive() || waitingForWritable || size == 0) {
            return;   // inFlush: a promise's listener flushed; the running flush goes on
        }
        inFlush = true;
        try {
            flushQueued();
        } finally {
            inFlush = false;
        }
    }

    private void flushQueued() {
        if (arrays == null) {
            arrays = channel.io().datagrams.sendArrays();
        }
        int spins = channel.config().writeSpinCount();
        for (int i = 0; i < spins && size > 0 && channel.isOpen() && !waitingForWritable; i++) {
            int count = describe();
            int sent = Datagrams.sendmmsg(channel.fd, arrays.memory, count, 0);
            channel.sendCalls++;
            if (sent == -Errno.EAGAIN) {
                waitForWritable();
                break;
            }
            if (sent < 0) {
                sendFailed(-sent);
                continue;
            }
            int datagrams = 0;   // read before a promise's listener can flush another channel through the arrays
            for (int m = 0; m < sent; m++) {
                datagrams += arrays.runs[m];
            }
            peerErrorRetried = false;
            channel.messagesSent += sent;
            channel.datagramsSent += datagrams;
            removeSent(datagrams);
        }
        if (size > 0 && !waitingForWritable && channel.isOpen()) {
            channel.eventLoop().execute(this::flush);   // spin limit: let the other channels have a turn
        }
        if (channel.isOpen() && !writability.peek() && updateWritability()) {
            pipeline.fireChannelWritabilityChanged();
        }
    }

    private void waitForWritable() {
        channel.sendWaits++;
        waitingForWritable = true;
        channel.refreshInterest();
    }

    /**
     * Fills the {@code mmsghdr} array from the head of the queue, a run of equal datagrams to
     * one recipient in one message ({@link CoalescedRun}) while coalescing is on; returns the
     * message count. {@link MessageArrays#runs} says how many datagrams each message carries.
     */
    private int describe() {
        int entries = Math.min(size, Datagrams.UIO_MAXIOV);
        int mask = buffers.length - 1;
        boolean coalesce = !coalescingRefused && !plainOnce && channel.config().udpSegmentCoalescing();
        plainOnce = false;
        DatagramAddresses addresses = channel.addresses();
        int message = 0;
        for (int i = 0; i < entries; message++) {
            int index = (head + i) & mask;
            Buffer buffer = buffers[index];
            IoVec.set(arrays.iovSegment, i, buffer.memoryAddress() + buffer.readerIndex(), buffer.readableBytes());
            int run = coalesce ? CoalescedRun.length(buffers, recipients, segmentSizes, head, i, entries,
                    coalesceLimit, arrays.iovSegment) : 1;
            InetSocketAddress recipient = recipients[index];
            long name = 0;
            int nameLength = 0;
            if (recipient != null) {
                long offset = (long) message * DatagramAddresses.SLOT_SIZE;
                nameLength = addresses.encode(recipient, arrays.namesSegment, offset);
                name = arrays.names + offset;
            }
            int segmentSize = run > 1 ? buffer.readableBytes() : segmentSizes[index];
            long control = 0;
            int controlLength = 0;
            if (segmentSize > 0) {   // one cmsg: UDP_SEGMENT, a uint16_t
                long offset = (long) message * MessageArrays.CONTROL_SLOT_SIZE;
                MsgHdr.putHeader(arrays.controlsSegment, offset, Datagrams.SOL_UDP, Datagrams.UDP_SEGMENT, 2);
                arrays.controlsSegment.set(ValueLayout.JAVA_SHORT, MsgHdr.dataOffset(offset), (short) segmentSize);
                control = arrays.controls + offset;
                controlLength = (int) MsgHdr.space(2);
            }
            MsgHdr.set(arrays.vec, message, name, nameLength, arrays.iovecs + (long) i * IoVec.SIZE, run, control,
                    controlLength);
            arrays.runs[message] = run;
            i += run;
        }
        return message;
    }

    /**
     * The head datagram could not be sent: an ICMP error reported late (connected socket) goes to
     * {@code exceptionCaught} and the datagram is tried once more (the report is taken by the call);
     * a second one in a row, or any other failure, fails that datagram's promise.
     */
    private void sendFailed(int errno) {
        if (arrays.runs[0] > 1) {
            runFailed(errno, arrays.runs[0]);
            return;
        }
        int index = head;
        Buffer buffer = buffers[index];
        InetSocketAddress recipient = recipients[index];
        int segmentSize = segmentSizes[index];
        if (segmentSize > 0 && (errno == Errno.EINVAL || errno == Errno.EIO || errno == Errno.EMSGSIZE)) {
            int plain = GsoRefusal.sendFirstSegment(channel.fd, arrays, channel.addresses(), buffer, recipient,
                    segmentSize);
            if (plain == -Errno.EAGAIN) {
                waitForWritable();   // the socket is full: try the whole again once it is not
                return;
            }
            if (plain >= 0) {   // GSO's refusal: the payload goes plainly
                channel.sendCalls++;
                channel.messagesSent++;
                channel.datagramsSent++;
                gsoFallback(errno, GsoRefusal.refusesEveryDatagram(channel.fd, errno, buffer.readableBytes(),
                        segmentSize));
                return;
            }
            errno = -plain;   // the datagram's own failure: its promise fails with what the plain send said
        }
        String target = recipient != null ? recipient.toString() : String.valueOf(channel.remoteAddress());
        IOException failure = Errno.exception(errno, "sendmmsg", "datagram of " + buffer.readableBytes()
                + " bytes to " + target + " from " + channel);
        if (EpollDatagramChannel.isPeerError(errno) && channel.isConnected() && !peerErrorRetried) {
            peerErrorRetried = true;   // an ICMP report is taken by this call: try once more, then fail it
            pipeline.fireExceptionCaught(failure);
            return;
        }
        peerErrorRetried = false;   // a route that stays unreachable fails each datagram in turn, never spins
        ChannelPromise promise = promises[index];
        DatagramPacket owner = packets[index];
        removeHead();
        release(buffer, owner);
        promise.tryFailure(failure);
    }

    /**
     * A coalesced run of {@code run} datagrams failed. EINVAL, EIO or EMSGSIZE (6.18's answer to a
     * segment over the MTU) may be GSO's refusal: if the head then goes plainly, GSO is to blame (for
     * good, or for this size). An ICMP error is reported and the run tried once more; anything else
     * has the datagrams tried one by one.
     */
    private void runFailed(int errno, int run) {
        Buffer buffer = buffers[head];
        int size = buffer.readableBytes();
        if (errno == Errno.EINVAL || errno == Errno.EIO || errno == Errno.EMSGSIZE) {
            int plain = GsoRefusal.sendFirstSegment(channel.fd, arrays, channel.addresses(), buffer, recipients[head],
                    size);
            if (plain == -Errno.EAGAIN) {
                waitForWritable();
                return;
            }
            if (plain >= 0) {
                channel.sendCalls++;
                channel.messagesSent++;
                channel.datagramsSent++;
                if (GsoRefusal.refusesEveryDatagram(channel.fd, errno, size * run, size)) {
                    coalescingRefused = gsoRefused = true;   // and cut what the application segments
                    GsoRefusal.logCoalescingRefused(channel, errno);
                } else {
                    coalesceLimit = Math.min(coalesceLimit, size - 1);   // a path's limit, maybe its MTU
                }
                removeSent(1);
                return;
            }
        }
        if (EpollDatagramChannel.isPeerError(errno) && channel.isConnected() && !peerErrorRetried) {
            peerErrorRetried = true;
            pipeline.fireExceptionCaught(Errno.exception(errno, "sendmmsg", run + " datagrams of " + size
                    + " bytes to " + channel.remoteAddress() + " from " + channel));
            return;
        }
        plainOnce = true;
    }

    /**
     * The kernel refused {@code UDP_SEGMENT} for the head datagram, whose first segment then
     * went plainly: the rest of it is cut here. If the socket refuses GSO for good
     * ({@code everyDatagram}: {@code EINVAL} with {@code SO_NO_CHECK}, or {@code EIO} from a
     * path without checksum offload), so are its queued and later segmented datagrams.
     */
    private void gsoFallback(int errno, boolean everyDatagram) {
        if (!everyDatagram) {
            SafeLog.debug(DatagramOutput.class, () -> "UDP_SEGMENT refused (" + Errno.symbol(errno) + ") for a"
                    + " datagram of " + buffers[head].readableBytes() + " bytes in segments of " + segmentSizes[head]
                    + " on " + channel + "; that one is sent cut");
        } else if (!gsoRefused) {
            gsoRefused = coalescingRefused = true;
            if (!GSO_REFUSAL_LOGGED.getAndSet(true)) {
                SafeLog.warning(DatagramOutput.class, () -> "sendmmsg with UDP_SEGMENT on " + channel + " failed: "
                        + Errno.symbol(errno) + " (" + Errno.strerror(errno) + "); segmented datagrams are sent one"
                        + " by one instead (logged once)", null);
            }
        }
        int count = size;   // queued in order again: the head cut, and the other segmented ones if GSO is off for good
        Buffer[] queuedBuffers = new Buffer[count];
        DatagramPacket[] queuedPackets = new DatagramPacket[count];
        InetSocketAddress[] queuedRecipients = new InetSocketAddress[count];
        int[] queuedSegmentSizes = new int[count];
        ChannelPromise[] queuedPromises = new ChannelPromise[count];
        for (int i = 0; i < count; i++) {
            queuedBuffers[i] = buffers[head];
            queuedPackets[i] = packets[head];
            queuedRecipients[i] = recipients[head];
            queuedSegmentSizes[i] = segmentSizes[head];
            queuedPromises[i] = promises[head];
            removeHead();
        }
        for (int i = 0; i < count; i++) {
            if (i == 0 || (queuedSegmentSizes[i] > 0 && everyDatagram)) {   // the head: its first segment went
                addSplit(queuedBuffers[i], queuedRecipients[i], queuedSegmentSizes[i], i == 0 ? queuedSegmentSizes[i]
                        : 0, queuedPromises[i]);
            } else {
                add(queuedBuffers[i], queuedPackets[i], queuedRecipients[i], queuedSegmentSizes[i], queuedPromises[i]);
            }
        }
    }

    private void removeSent(int sent) {
        for (int i = 0; i < sent && size > 0; i++) {
            Buffer buffer = buffers[head];
            DatagramPacket owner = packets[head];
            ChannelPromise promise = promises[head];
            removeHead();
            release(buffer, owner);
            promise.trySuccess();
        }
    }

    private void removeHead() {
        pendingBytes -= buffers[head].readableBytes();
        buffers[head] = null;
        packets[head] = null;
        recipients[head] = null;
        promises[head] = null;
        segmentSizes[head] = 0;
        head = (head + 1) & (buffers.length - 1);
        size--;
    }

    /** The channel closed: queued datagrams fail; the arrays are the loop's. */
    void channelClosed() {
        ClosedChannelException closed = size > 0 ? new ClosedChannelException() : null;
        while (size > 0) {
            Buffer buffer = buffers[head];
            DatagramPacket owner = packets[head];
            ChannelPromise promise = promises[head];
            removeHead();
            release(buffer, owner);
            promise.tryFailure(closed);
        }
        pendingBytes = 0;
        arrays = null;
    }
}
