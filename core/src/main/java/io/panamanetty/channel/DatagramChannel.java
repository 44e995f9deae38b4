package io.panamanetty.channel;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;

/**
 * A UDP socket: it reads and writes {@link DatagramPacket}s, each one datagram. Made by
 * {@code new Bootstrap().channel(DatagramChannel.class)}, then {@code bind(host, port)} for
 * a server or {@code connect(host, port)} for a client talking to one peer.
 *
 * <p>Bound, it is {@linkplain #isActive() active}: inbound packets carry their sender, and a
 * written packet goes to its recipient. {@linkplain #isConnected() Connected} (to one peer),
 * it receives only that peer's datagrams, and a plain message ({@code byte[]}, a
 * {@link io.panamanetty.buffer.Buffer}, ...) or a packet without a recipient is sent to
 * the peer. ICMP errors that the kernel reports on a connected socket ({@code ECONNREFUSED}
 * when nothing listens on the peer's port) reach {@code exceptionCaught}; the channel stays open.
 * A datagram longer than {@link DatagramChannelOption#MAX_DATAGRAM_SIZE} is dropped and
 * reported the same way, never cut.
 *
 * <p>Writes are queued and sent as on TCP (by the end of the loop's turn, or at
 * {@code flush}), with the same water marks and writability. A write that the kernel
 * refuses for that datagram alone (too large, no route, a recipient the channel cannot
 * reach) fails its own promise; the channel keeps working.
 */
public interface DatagramChannel extends Channel {

    @Override
    DatagramChannelConfig config();

    @Override
    InetSocketAddress localAddress();

    /** The peer of a connected channel, else null. */
    @Override
    InetSocketAddress remoteAddress();

    /** True while connected to one peer. */
    boolean isConnected();

    /**
     * Connects the (bound) channel to {@code remote}, a resolved address: from then on only
     * its datagrams arrive, and plain messages go to it.
     */
    ChannelFuture connect(InetSocketAddress remote);

    /**
     * Undoes {@link #connect}: datagrams from anyone arrive again. The kernel keeps the local
     * port only if the channel was bound to that port by number: one that got its port from
     * the kernel (bound to port 0, or not bound before connecting) gives it up here.
     */
    ChannelFuture disconnect();

    /** Joins the multicast {@code group} on the interface the kernel chooses. */
    ChannelFuture joinGroup(InetAddress group);

    /** Joins the multicast {@code group} on {@code networkInterface}. */
    ChannelFuture joinGroup(InetAddress group, NetworkInterface networkInterface);

    /** Joins the multicast {@code group} on {@code networkInterface}, for datagrams from {@code source} only. */
    ChannelFuture joinGroup(InetAddress group, NetworkInterface networkInterface, InetAddress source);

    /** Leaves {@code group}, joined on the interface the kernel chose. */
    ChannelFuture leaveGroup(InetAddress group);

    /** Leaves {@code group} on {@code networkInterface}. */
    ChannelFuture leaveGroup(InetAddress group, NetworkInterface networkInterface);

    /** Leaves the source-specific membership of {@code group} for {@code source} on {@code networkInterface}. */
    ChannelFuture leaveGroup(InetAddress group, NetworkInterface networkInterface, InetAddress source);
}
