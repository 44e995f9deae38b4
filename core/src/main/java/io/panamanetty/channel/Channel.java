package io.panamanetty.channel;

import java.net.SocketAddress;

/**
 * A connection, a listening socket or a datagram endpoint driven by one
 * {@link EventLoop}; the transport-neutral contract every channel kind keeps. A TCP
 * connection is a {@link StreamChannel} (half-closure), a listening socket a
 * {@link ServerChannel}.
 *
 * <p>Every method is safe to call from any thread; work that must happen on the
 * loop is handed to it. {@code write} sends: bytes written and not flushed leave at
 * the latest when the loop's current turn ends, all writes of one turn in one
 * {@code writev}; {@link #flush()} sends at once.
 *
 * <p>Messages accepted by {@code write}: {@code byte[]}, {@link java.nio.ByteBuffer},
 * {@link java.lang.foreign.MemorySegment}, {@link CharSequence} (sent as UTF-8) and
 * {@link io.panamanetty.buffer.Buffer} (sent without a copy; ownership passes to
 * the channel, which releases it once written or failed).
 */
public interface Channel {

    /** This channel's identity, unique within the JVM. */
    ChannelId id();

    /** The event loop that runs this channel's I/O and callbacks. */
    EventLoop eventLoop();

    /** The handlers of this channel. */
    ChannelPipeline pipeline();

    /** This channel's options. */
    ChannelConfig config();

    /** True until the channel is closed. */
    boolean isOpen();

    /** True while connected (or, for a listening channel, bound). */
    boolean isActive();

    /**
     * True while the bytes queued for writing are below the high water mark; false
     * from the moment they pass it until they drain below the low water mark.
     */
    boolean isWritable();

    /**
     * The local address, or null if not bound: an {@link java.net.InetSocketAddress} for
     * TCP and UDP, a {@link DomainSocketAddress} for a Unix domain socket.
     */
    SocketAddress localAddress();

    /** The peer's address, or null if not connected. */
    SocketAddress remoteAddress();

    /** Done when this channel has closed; never fails. */
    ChannelFuture closeFuture();

    /** Queues {@code message} for sending through the pipeline, starting at its tail. */
    ChannelFuture write(Object message);

    /** Sends everything queued now. */
    Channel flush();

    /** {@link #write} then {@link #flush}. */
    ChannelFuture writeAndFlush(Object message);

    /** Closes the channel; pending writes fail with {@link java.nio.channels.ClosedChannelException}. */
    ChannelFuture close();

    /** Asks for one more read (useful with auto-read off). */
    Channel read();

    /** The attribute of this channel for {@code key}, created empty on first use. */
    <T> Attribute<T> attr(AttributeKey<T> key);

    /** True if the attribute for {@code key} has been created. */
    <T> boolean hasAttr(AttributeKey<T> key);
}
