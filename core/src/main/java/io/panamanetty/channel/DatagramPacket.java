package io.panamanetty.channel;

import io.panamanetty.buffer.Buffer;
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
 *     DatagramPacket in = (DatagramPacket) msg;
 *     ctx.write(new DatagramPacket(in.content(), in.sender()));   // the buffer goes back out
 * }
 * }</pre>
 *
 * <p>A packet with a {@linkplain #segmentSize() segment size} stands for several datagrams of
 * that size (the last one may be shorter) in one buffer: written, the kernel cuts it
 * ({@code UDP_SEGMENT}, "GSO"), or the channel does where the kernel refuses; received with
 * {@link DatagramChannelOption#UDP_GRO} on, it is datagrams the kernel coalesced.
 * The stock {@code DatagramSegmentSplitter} handler turns one into single datagrams.
 */
public final class DatagramPacket implements ReferenceCounted {
    private final Buffer content;
    private final InetSocketAddress recipient;
    private final InetSocketAddress sender;
    private final int segmentSize;

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

    /** The datagram's bytes (its readable bytes are the datagram). */
    public Buffer content() {
        return content;
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

    @Override
    public int refCnt() {
        return content.refCnt();
    }

    @Override
    public DatagramPacket retain() {
        content.retain();
        return this;
    }

    @Override
    public boolean release() {
        return content.release();
    }

    @Override
    public DatagramPacket touch(Object hint) {
        content.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return "DatagramPacket(" + content.readableBytes() + " B"
                + (segmentSize > 0 ? " in segments of " + segmentSize : "") + (sender != null ? ", from " + sender : "") + (recipient != null ? ", to " + recipient : "") + ")";
    }
}
