package io.panamanetty.channel;

import java.net.NetworkInterface;

/**
 * The options of {@link DatagramChannel}s, beside the ones of {@link ChannelOption} that
 * apply to them too ({@code SO_REUSEADDR}, {@code SO_REUSEPORT}, {@code SO_RCVBUF},
 * {@code SO_SNDBUF}, {@code IP_TOS} (the traffic class on IPv6), auto-read, water marks,
 * {@code MAX_MESSAGES_PER_READ}: the receive calls per wake-up).
 */
public final class DatagramChannelOption {
    /**
     * The largest datagram the channel receives, in bytes (default 65,535: any UDP datagram).
     * A longer one is dropped and reported to {@code exceptionCaught}, never cut.
     */
    public static final ChannelOption<Integer> MAX_DATAGRAM_SIZE = ChannelOption.define("MAX_DATAGRAM_SIZE",
            Integer.class);
    /** Datagrams received per {@code recvmmsg} call (default 16, at most 1024). */
    public static final ChannelOption<Integer> DATAGRAMS_PER_RECEIVE = ChannelOption.define("DATAGRAMS_PER_RECEIVE",
            Integer.class);
    /** Allow sending to broadcast addresses (default off). */
    public static final ChannelOption<Boolean> SO_BROADCAST = ChannelOption.define("SO_BROADCAST", Boolean.class);
    /** Deliver the channel's own multicast datagrams back to this host's members (default on). */
    public static final ChannelOption<Boolean> IP_MULTICAST_LOOP = ChannelOption.define("IP_MULTICAST_LOOP",
            Boolean.class);
    /** The time-to-live of outgoing IPv4 multicast datagrams (default 1: this network only). */
    public static final ChannelOption<Integer> IP_MULTICAST_TTL = ChannelOption.define("IP_MULTICAST_TTL",
            Integer.class);
    /** The hop limit of outgoing IPv6 multicast datagrams (default 1). */
    public static final ChannelOption<Integer> IPV6_MULTICAST_HOPS = ChannelOption.define("IPV6_MULTICAST_HOPS",
            Integer.class);
    /** The interface outgoing multicast datagrams leave by (default: the kernel's choice by route). */
    public static final ChannelOption<NetworkInterface> IP_MULTICAST_IF = ChannelOption.define("IP_MULTICAST_IF",
            NetworkInterface.class);

    /**
     * Receive datagrams the kernel coalesced ({@code UDP_GRO}, default off): one packet, its
     * {@link DatagramPacket#segmentSize()} the size of each datagram in it.
     */
    public static final ChannelOption<Boolean> UDP_GRO = ChannelOption.define("UDP_GRO", Boolean.class);

    /**
     * Send runs of equal datagrams as one message each ({@code UDP_SEGMENT}, segmentation
     * offload), default on. When one flush's writes hold consecutive datagrams to the same
     * recipient of the same size (the last of a run may be shorter), the run, up to 64
     * datagrams and 65,507 bytes, goes to the kernel as one message that it cuts into those
     * datagrams again: a receiver sees every datagram as written, and the send costs one pass
     * through the kernel's UDP and IP layers instead of one a datagram, which is most of a
     * datagram's cost. On by default because it measured so: a loopback echo of 32-byte and
     * 1,200-byte datagrams (8 clients, 32 in flight each) took 30-40 % less server CPU per
     * datagram and echoed 15-32 % more datagrams per second than with it off, in the
     * same interleaved runs. Each datagram keeps its own promise. Packets the application
     * segmented itself are left as they are. When the kernel refuses segmentation for the
     * socket ({@code SO_NO_CHECK}, a path without checksum offload) the channel stops
     * coalescing on it and sends each datagram on its own; when it refuses one size (a segment
     * larger than the path's MTU) only smaller datagrams are coalesced after it. Off: every
     * datagram is a message of its own.
     */
    public static final ChannelOption<Boolean> UDP_SEGMENT_COALESCING = ChannelOption.define("UDP_SEGMENT_COALESCING",
            Boolean.class);

    private DatagramChannelOption() {
    }
}
