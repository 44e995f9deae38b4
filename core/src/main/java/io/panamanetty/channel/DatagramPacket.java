package io.panamanetty.channel;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.IllegalReferenceCountException;
import io.panamanetty.buffer.ReferenceCounted;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One UDP datagram: its bytes, where it goes and where it came from. A
 * {@link DatagramChannel} fires one per datagram received, with the {@link #sender()} set
 * (and {@link #recipient()} the channel's local address); written, it is sent to its
 * {@link #recipient()} (or, with none, to the peer of a connected channel).
 *
 * <p>The packet's reference count is its content's: releasing the packet releases the
 * buffer, and the framework's ownership rule for buffers (a buffer a {@code channelRead}
 * neither passed on, released nor retained is released when it returns) applies to a
 * packet's content as to a plain buffer. An echo:
 * <pre>{@code
 * public void channelRead(ChannelHandlerContext ctx, Object msg) {
 *     ctx.write(((DatagramPacket) msg).turnAround());   // the packet and its buffer go back out
 * }
 * }</pre>
 *
 * <h2>Recycled packets</h2>
 * The packets a channel fires are recycled by its event loop, as pooled buffers are, so a
 * server that answers each datagram allocates no packet object: once the last reference of
 * a received packet is released <em>through the packet</em> on the loop's thread (by
 * {@link #release()}, by the ownership rule, or by the channel that sent it), the object
 * goes back to the loop and carries a later datagram. So a handler that keeps a received
 * packet keeps a reference to it ({@link #retain()}, or simply by not releasing it), and uses
 * no packet after its release; a released packet refuses use ({@link #content()} throws)
 * until it is reused. Handing the content on in a new packet
 * ({@code new DatagramPacket(in.content(), in.sender())}) is safe too; the old packet object
 * is then not reused but collected. Packets made with a constructor are never recycled.
 * {@code -Dio.panamanetty.allocator.recycle=false} turns recycling off, for packets as for
 * buffers.
 *
 * <p>A packet with a {@linkplain #segmentSize() segment size} stands for several datagrams of
 * that size (the last one may be shorter) in one buffer: written, the kernel cuts it
 * ({@code UDP_SEGMENT}, "GSO"), or the channel does where the kernel refuses; received with
 * {@link DatagramChannelOption#UDP_GRO} on, it is datagrams the kernel coalesced.
 * The stock {@code DatagramSegmentSplitter} handler turns one into single datagrams.
 */
public final class DatagramPacket implements ReferenceCounted {
    /** Null once a recycled packet is back in its pool. */
    private Buffer content;
    private InetSocketAddress recipient;
    private InetSocketAddress sender;
    private int segmentSize;
    /** The loop's pool a received packet returns to; null for a packet made with a constructor. */
    private final DatagramPacketPool pool;

    /**
     * A datagram to send to {@code recipient} (null: to the peer of a connected channel).
     * The content's reference passes to the packet.
     */
    public DatagramPacket(Buffer content, InetSocketAddress recipient) {
        this(content, recipient, null);
    }

    /** A datagram with both ends known, as a channel fires it. */
    public DatagramPacket(Buffer content, InetSocketAddress recipient, InetSocketAddress sender) {
        this(content, recipient, sender, 0);
    }

    /**
     * A packet of datagrams of {@code segmentSize} bytes each (0: one datagram), as a channel
     * fires it with {@code UDP_GRO} on.
     *
     * @throws IllegalArgumentException if {@code segmentSize} is negative or above 65,535
     */
    public DatagramPacket(Buffer content, InetSocketAddress recipient, InetSocketAddress sender, int segmentSize) {
        this(content, recipient, sender, segmentSize, null);
    }

    /** A packet of {@code pool}, which takes it back when its last reference is released. */
    DatagramPacket(Buffer content, InetSocketAddress recipient, InetSocketAddress sender, int segmentSize,
                   DatagramPacketPool pool) {
        this.pool = pool;
        reuse(content, recipient, sender, segmentSize);
    }

    /** Sets every field, for a new packet or one {@link #pool} reuses. */
    void reuse(Buffer content, InetSocketAddress recipient, InetSocketAddress sender, int segmentSize) {
        if (segmentSize < 0 || segmentSize > 65_535) {
            throw new IllegalArgumentException("segment size must be 0 to 65535: " + segmentSize);
        }
        this.content = Objects.requireNonNull(content, "content");
        this.recipient = recipient;
        this.sender = sender;
        this.segmentSize = segmentSize;
    }

    /**
     * Datagrams of {@code segmentSize} bytes (the last may be shorter) cut from {@code content}
     * and sent to {@code recipient}, in one send ({@code UDP_SEGMENT}) where the kernel can.
     *
     * @throws IllegalArgumentException if {@code segmentSize} is not 1 to 65,535
     */
    public static DatagramPacket segmented(Buffer content, int segmentSize, InetSocketAddress recipient) {
        if (segmentSize < 1) {
            throw new IllegalArgumentException("segment size must be 1 to 65535: " + segmentSize);
        }
        return new DatagramPacket(content, recipient, null, segmentSize);
    }

    /**
     * The datagram's bytes (its readable bytes are the datagram).
     *
     * @throws IllegalReferenceCountException if this received packet was released and recycled
     */
    public Buffer content() {
        return live();
    }

    private Buffer live() {
        Buffer buffer = content;
        if (buffer == null) {
            throw new IllegalReferenceCountException("this DatagramPacket was released and its object recycled"
                    + " by its event loop: a packet kept after its release");
        }
        return buffer;
    }

    /**
     * Turns this packet around to answer its sender with it: the recipient becomes the sender
     * (where the datagram came from) and the sender the recipient; the content, its reference
     * and the segment size stay. Returns this very packet, not a copy: an echo, or a server
     * that writes its answer into the request's buffer, then answers without a new object:
     * {@code ctx.write(packet.turnAround())}. The caller passes the packet on as it would a
     * new one, and does not use it after.
     *
     * @return this packet, now addressed to its former sender
     * @throws IllegalStateException if the packet has no sender (one made to be sent)
     */
    public DatagramPacket turnAround() {
        live();
        if (sender == null) {
            throw new IllegalStateException("a packet without a sender cannot be turned around: " + this);
        }
        InetSocketAddress from = sender;
        sender = recipient;
        recipient = from;
        return this;
    }

    /** Where the datagram goes (a received one: the channel's local address); may be null. */
    public InetSocketAddress recipient() {
        return recipient;
    }

    /** Where the datagram came from; null for one made to be sent. */
    public InetSocketAddress sender() {
        return sender;
    }

    /** The size of each datagram the content holds, or 0 if it is one datagram. */
    public int segmentSize() {
        return segmentSize;
    }

    /** A packet with the same addresses and segment size around {@code newContent} (whose reference passes to it). */
    public DatagramPacket replace(Buffer newContent) {
        return new DatagramPacket(newContent, recipient, sender, segmentSize);
    }

    /** {@return the content's reference count; 0 once this packet was released (and recycled)} */
    @Override
    public int refCnt() {
        Buffer buffer = content;
        return buffer == null ? 0 : buffer.refCnt();
    }

    @Override
    public DatagramPacket retain() {
        live().retain();
        return this;
    }

    /**
     * Releases a reference of the content; a received packet whose last reference this was
     * goes back to its loop for reuse (on the loop's thread).
     */
    @Override
    public boolean release() {
        boolean freed = live().release();
        if (freed && pool != null) {
            content = null;
            recipient = null;
            sender = null;
            segmentSize = 0;
            pool.recycle(this);
        }
        return freed;
    }

    @Override
    public DatagramPacket touch(Object hint) {
        live().touch(hint);
        return this;
    }

    @Override
    public String toString() {
        Buffer buffer = content;
        if (buffer == null) {
            return "DatagramPacket(released)";
        }
        return "DatagramPacket(" + buffer.readableBytes() + " B"
                + (segmentSize > 0 ? " in segments of " + segmentSize : "") + (sender != null ? ", from " + sender : "") + (recipient != null ? ", to " + recipient : "") + ")";
    }
}
