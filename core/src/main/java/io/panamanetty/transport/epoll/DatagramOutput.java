package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Datagrams;
import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.IoVec;
import io.panamanetty.bindings.Memory;
import io.panamanetty.bindings.MsgHdr;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.ReferenceCounted;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.DatagramPacket;
import io.panamanetty.channel.internal.DefaultChannelPipeline;
import io.panamanetty.channel.internal.OutboundMessages;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;

/**
 * The send side of an {@link EpollDatagramChannel}: queued datagrams (buffer, recipient,
 * promise, in ring arrays) leave in {@code sendmmsg} calls of up to {@code UIO_MAXIOV}
 * each, a spin limit per flush, EPOLLOUT only while the socket buffer is full, writability
 * from the water marks as on TCP. A datagram the kernel refuses alone fails its promise
 * and the rest go on; an ICMP error the kernel reports on the send (connected sockets) goes
 * to {@code exceptionCaught} and the send is tried again. Event-loop confined.
 */
final class DatagramOutput {
    /** UDP's largest payload over IPv4 (65,535 less the IP and UDP headers). */
    static final int MAX_IPV4_PAYLOAD = 65_507;
    /** UDP's largest payload over IPv6 without jumbograms. */
    static final int MAX_IPV6_PAYLOAD = 65_527;

    private final EpollDatagramChannel channel;
    private final DefaultChannelPipeline pipeline;
    private Buffer[] buffers = new Buffer[16];
    private InetSocketAddress[] recipients = new InetSocketAddress[16];
    private ChannelPromise[] promises = new ChannelPromise[16];
    private int head;
    private int size;
    private long pendingBytes;
    private long heldBytes;
    private volatile boolean writable = true;
    private boolean inFlush;
    /** The socket buffer was full: waiting for EPOLLOUT. */
    boolean waitingForWritable;

    private long memory;
    private MemorySegment vec;
    private long iovecs;
    private MemorySegment iovSegment;
    private long names;
    private MemorySegment namesSegment;

    DatagramOutput(EpollDatagramChannel channel, DefaultChannelPipeline pipeline) {
        this.channel = channel;
        this.pipeline = pipeline;
    }

    boolean isWritable() {
        return writable;
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
        try {
            if (message instanceof DatagramPacket packet) {
                recipient = packet.recipient();
                buffer = OutboundMessages.toBuffer(packet.content(), channel.config().allocator());
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
        String refusal = refusal(buffer.readableBytes(), recipient);
        if (refusal != null) {
            buffer.release();
            promise.tryFailure(new IllegalArgumentException(refusal));
            return;
        }
        add(buffer, recipient, promise);
        if (writable && updateWritability()) {
            pipeline.fireChannelWritabilityChanged();
        }
    }

    /** Why a datagram cannot be sent, or null if it can. */
    private String refusal(int length, InetSocketAddress recipient) {
        if (recipient == null && !channel.isConnected()) {
            return "a datagram to " + channel + ", which is not connected, needs a recipient:"
                    + " write a DatagramPacket(content, recipient)";
        }
        if (recipient != null && recipient.isUnresolved()) {
            return "the recipient " + recipient + " is unresolved: resolve it first";
        }
        if (recipient != null && channel.family() == io.panamanetty.bindings.Sockets.AF_INET
                && recipient.getAddress() instanceof Inet6Address) {
            return "an IPv4 channel cannot send to the IPv6 address " + recipient
                    + ": bind the channel to an IPv6 address (\"::\" for both)";
        }
        boolean v6 = (recipient != null ? recipient.getAddress() : ((InetSocketAddress) channel.remoteAddress())
                .getAddress()) instanceof Inet6Address;
        int max = v6 ? MAX_IPV6_PAYLOAD : MAX_IPV4_PAYLOAD;
        if (length > max) {
            return "a datagram of " + length + " bytes is larger than UDP allows over " + (v6 ? "IPv6" : "IPv4")
                    + " (" + max + " bytes)";
        }
        return null;
    }

    private void add(Buffer buffer, InetSocketAddress recipient, ChannelPromise promise) {
        if (size == buffers.length) {
            grow();
        }
        int index = (head + size) & (buffers.length - 1);
        buffers[index] = buffer;
        recipients[index] = recipient;
        promises[index] = promise;
        size++;
        pendingBytes += buffer.readableBytes();
    }

    private void grow() {
        int capacity = buffers.length;
        Buffer[] newBuffers = new Buffer[capacity * 2];
        InetSocketAddress[] newRecipients = new InetSocketAddress[capacity * 2];
        ChannelPromise[] newPromises = new ChannelPromise[capacity * 2];
        for (int i = 0; i < size; i++) {
            int from = (head + i) & (capacity - 1);
            newBuffers[i] = buffers[from];
            newRecipients[i] = recipients[from];
            newPromises[i] = promises[from];
        }
        buffers = newBuffers;
        recipients = newRecipients;
        promises = newPromises;
        head = 0;
    }

    /** Adds {@code delta} to the bytes handlers hold; writability changes at once, its event in a later task. */
    void adjustHeldBytes(long delta) {
        heldBytes = Math.max(0, heldBytes + delta);
        if (channel.isOpen() && updateWritability()) {
            channel.eventLoop().execute(() -> {
                if (channel.isOpen()) {
                    pipeline.fireChannelWritabilityChanged();
                }
            });
        }
    }

    private boolean updateWritability() {
        long total = pendingBytes + heldBytes;
        boolean flip = writable ? total > channel.config().writeBufferHighWaterMark()
                : total < channel.config().writeBufferLowWaterMark();
        if (flip) {
            writable = !writable;
        }
        return flip;
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
        if (memory == 0) {
            allocateArrays();
        }
        int spins = channel.config().writeSpinCount();
        for (int i = 0; i < spins && size > 0 && channel.isOpen(); i++) {
            int count = describe();
            int sent = Datagrams.sendmmsg(channel.fd, memory, count, 0);
            channel.sendCalls++;
            if (sent == -Errno.EAGAIN) {
                waitingForWritable = true;
                channel.refreshInterest();
                break;
            }
            if (sent < 0) {
                sendFailed(-sent);
                continue;
            }
            channel.datagramsSent += sent;
            removeSent(sent);
        }
        if (size > 0 && !waitingForWritable && channel.isOpen()) {
            channel.eventLoop().execute(this::flush);   // spin limit: let the other channels have a turn
        }
        if (channel.isOpen() && !writable && updateWritability()) {
            pipeline.fireChannelWritabilityChanged();
        }
    }

    /** Fills the {@code mmsghdr} array from the head of the queue; returns the count. */
    private int describe() {
        int count = Math.min(size, Datagrams.UIO_MAXIOV);
        int mask = buffers.length - 1;
        DatagramAddresses addresses = channel.addresses();
        for (int i = 0; i < count; i++) {
            int index = (head + i) & mask;
            Buffer buffer = buffers[index];
            IoVec.set(iovSegment, i, buffer.memoryAddress() + buffer.readerIndex(), buffer.readableBytes());
            InetSocketAddress recipient = recipients[index];
            long name = 0;
            int nameLength = 0;
            if (recipient != null) {
                long offset = (long) i * DatagramAddresses.SLOT_SIZE;
                nameLength = addresses.encode(recipient, namesSegment, offset);
                name = names + offset;
            }
            MsgHdr.set(vec, i, name, nameLength, iovecs + i * IoVec.SIZE, 1, 0, 0);
        }
        return count;
    }

    /**
     * The head datagram could not be sent: an ICMP error reported late (connected socket)
     * goes to {@code exceptionCaught} and the datagram is tried again; any other failure is
     * that datagram's, which fails its promise.
     */
    private void sendFailed(int errno) {
        int index = head;
        Buffer buffer = buffers[index];
        InetSocketAddress recipient = recipients[index];
        String target = recipient != null ? recipient.toString() : String.valueOf(channel.remoteAddress());
        IOException failure = Errno.exception(errno, "sendmmsg", "datagram of " + buffer.readableBytes()
                + " bytes to " + target + " from " + channel);
        if (EpollDatagramChannel.isPeerError(errno) && channel.isConnected()) {
            pipeline.fireExceptionCaught(failure);
            return;
        }
        ChannelPromise promise = promises[index];
        removeHead();
        buffer.release();
        promise.tryFailure(failure);
    }

    private void removeSent(int sent) {
        for (int i = 0; i < sent && size > 0; i++) {
            Buffer buffer = buffers[head];
            ChannelPromise promise = promises[head];
            removeHead();
            buffer.release();
            promise.trySuccess();
        }
    }

    private void removeHead() {
        pendingBytes -= buffers[head].readableBytes();
        buffers[head] = null;
        recipients[head] = null;
        promises[head] = null;
        head = (head + 1) & (buffers.length - 1);
        size--;
    }

    private void allocateArrays() {
        int count = Datagrams.UIO_MAXIOV;
        long vecBytes = MsgHdr.arraySize(count);
        long iovBytes = count * IoVec.SIZE;
        long nameBytes = (long) count * DatagramAddresses.SLOT_SIZE;
        memory = Memory.malloc(vecBytes + iovBytes + nameBytes);
        vec = Memory.segment(memory, vecBytes);
        iovecs = memory + vecBytes;
        iovSegment = Memory.segment(iovecs, iovBytes);
        names = iovecs + iovBytes;
        namesSegment = Memory.segment(names, nameBytes);
    }

    /** The channel closed: queued datagrams fail, the arrays are freed. */
    void channelClosed() {
        if (size > 0) {
            ClosedChannelException closed = new ClosedChannelException();
            while (size > 0) {
                Buffer buffer = buffers[head];
                ChannelPromise promise = promises[head];
                removeHead();
                buffer.release();
                promise.tryFailure(closed);
            }
        }
        pendingBytes = 0;
        if (memory != 0) {
            Memory.free(memory);
            memory = 0;
        }
    }
}
