package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Errno;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.ReferenceCounted;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.DatagramPacket;
import io.panamanetty.channel.DomainDatagramPacket;
import io.panamanetty.channel.DomainSocketAddress;
import io.panamanetty.channel.PassableDescriptor;
import io.panamanetty.channel.internal.DefaultChannelPipeline;
import io.panamanetty.channel.internal.OutboundBuffer;
import io.panamanetty.channel.internal.OutboundMessages;
import io.panamanetty.transport.socket.UnixAddresses;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetConnectedException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The output side of an {@link EpollDomainDatagramChannel}: datagrams queued in the order
 * written and sent one {@code sendmsg} each, with the channel's water marks deciding its
 * writability. A full socket ({@code EAGAIN}) waits for EPOLLOUT when connected; an
 * unconnected socket, whose readiness says nothing of the recipient's full queue, tries
 * again a millisecond later instead of spinning. A send the kernel refuses for that datagram
 * alone fails only its promise. Event-loop confined.
 */
final class DomainDatagramOutput {
    /**
     * One queued datagram: its bytes, where to (null: the peer), the descriptors it carries,
     * what to release once it is done (the packet, whose release closes its descriptors, or
     * the content and then the descriptors), and its promise.
     */
    private record Entry(Buffer content, byte[] recipient, List<PassableDescriptor> descriptors, ReferenceCounted owner,
                         ChannelPromise promise) {
    }

    private final EpollDomainDatagramChannel channel;
    private final DefaultChannelPipeline pipeline;
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    /** Only for the water marks: the queued bytes count as held bytes. */
    private final OutboundBuffer marks = new OutboundBuffer();
    private final int[] fds = new int[253];
    private boolean retryScheduled;
    /** A connected socket was full: waiting for EPOLLOUT. */
    boolean waitingForWritable;

    DomainDatagramOutput(EpollDomainDatagramChannel channel, DefaultChannelPipeline pipeline) {
        this.channel = channel;
        this.pipeline = pipeline;
    }

    boolean isWritable() {
        return marks.isWritable();
    }

    void adjustHeldBytes(long delta) {
        marks.adjustHeldBytes(delta);
        updateWritability();
    }

    void write(Object message, ChannelPromise promise) {
        if (!channel.isOpen()) {
            release(message);
            promise.tryFailure(new ClosedChannelException());
            return;
        }
        Entry entry;
        try {
            entry = entry(message, promise);
        } catch (RuntimeException e) {
            promise.tryFailure(e);
            return;
        }
        queue.add(entry);
        marks.adjustHeldBytes(entry.content.readableBytes());
        updateWritability();
    }

    private Entry entry(Object message, ChannelPromise promise) {
        if (message instanceof DomainDatagramPacket packet) {
            DomainSocketAddress to = packet.recipient();
            if (to == null && !channel.isConnected()) {
                packet.release();
                throw new NotYetConnectedException();
            }
            if (to != null && to.isUnnamed()) {
                packet.release();
                throw new IllegalArgumentException("an unnamed Unix socket cannot be sent to: " + packet);
            }
            return new Entry(packet.content(), to == null ? null : UnixAddresses.sunPath(to), packet.descriptors(),
                    packet, promise);
        }
        if (message instanceof DatagramPacket packet) {
            packet.release();
            throw new IllegalArgumentException("a Unix domain datagram channel sends DomainDatagramPackets, not the"
                    + " UDP " + packet);
        }
        if (message instanceof PassableDescriptor handle) {   // one NUL byte carries it to the peer
            if (!channel.isConnected()) {
                handle.release();
                throw new NotYetConnectedException();
            }
            Buffer nul = channel.config().allocator().copyOf(new byte[1]);
            return new Entry(nul, null, List.of(handle), null, promise);
        }
        if (!channel.isConnected()) {
            release(message);
            throw new NotYetConnectedException();
        }
        Buffer content = OutboundMessages.toBuffer(message, channel.config().allocator());
        return new Entry(content, null, List.of(), content, promise);
    }

    /** Sends what is queued, until the socket is full. */
    void flush() {
        if (waitingForWritable || retryScheduled || !channel.isActive()) {
            return;
        }
        DomainDatagramIo io = DomainDatagramIo.current();
        int spins = channel.config().writeSpinCount() * 16;   // datagrams are small: more per turn than TCP writes
        for (int i = 0; i < spins && !queue.isEmpty(); i++) {
            Entry entry = queue.peek();
            long n;
            try {
                n = io.send(channel.fd, entry.content.memoryAddress() + entry.content.readerIndex(),
                        entry.content.readableBytes(), entry.recipient, descriptors(entry), entry.descriptors.size());
            } catch (RuntimeException e) {   // a descriptor closed by its writer before it left
                finish(queue.poll(), e);
                continue;
            }
            if (n == -Errno.EAGAIN) {
                waitForRoom();
                break;
            }
            finish(queue.poll(), n < 0 ? Errno.exception((int) -n, "sendmsg", describe(entry)) : null);
            if (!channel.isOpen()) {
                return;
            }
        }
        if (!queue.isEmpty() && !waitingForWritable && !retryScheduled) {
            channel.eventLoop().execute(this::flush);   // the spin limit: let the other channels have a turn
        }
    }

    private int[] descriptors(Entry entry) {
        for (int i = 0; i < entry.descriptors.size(); i++) {
            fds[i] = entry.descriptors.get(i).fd();
        }
        return fds;
    }

    private String describe(Entry entry) {
        return "a datagram of " + entry.content.readableBytes() + " B to "
                + (entry.recipient == null ? "the peer " + channel.remoteAddress()
                : UnixAddresses.fromSunPath(entry.recipient));
    }

    private void waitForRoom() {
        if (channel.isConnected()) {
            waitingForWritable = true;
            channel.refreshInterest();
        } else {
            retryScheduled = true;
            channel.eventLoop().schedule(() -> {
                retryScheduled = false;
                flush();
            }, 1, TimeUnit.MILLISECONDS);
        }
    }

    private void finish(Entry entry, Exception failure) {
        marks.adjustHeldBytes(-entry.content.readableBytes());
        if (entry.owner == null) {   // a descriptor on its own, with the NUL byte made for it
            entry.content.release();
            release(entry.descriptors.get(0));   // our copy: the peer has its own
        } else {
            release(entry.owner);   // a packet's release closes the descriptors it carried
        }
        if (failure == null) {
            entry.promise.trySuccess();
        } else {
            entry.promise.tryFailure(failure instanceof IOException || failure instanceof RuntimeException
                    ? failure : new IOException(failure));
        }
        updateWritability();
    }

    /** EPOLLOUT arrived while waiting for it. */
    void socketWritable() {
        waitingForWritable = false;
        channel.refreshInterest();
        flush();
    }

    private void updateWritability() {
        if (channel.isOpen() && marks.updateWritability(channel.config())) {
            pipeline.fireChannelWritabilityChanged();
        }
    }

    /** The channel closed: every queued datagram fails. */
    void channelClosed() {
        if (queue.isEmpty()) {
            return;
        }
        ClosedChannelException closed = new ClosedChannelException();
        while (!queue.isEmpty()) {
            finish(queue.poll(), closed);
        }
    }

    private static void release(Object message) {
        if (message instanceof ReferenceCounted counted && counted.refCnt() > 0) {
            counted.release();
        }
    }
}
