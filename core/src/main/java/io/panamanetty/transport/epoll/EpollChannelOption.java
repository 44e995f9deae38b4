package io.panamanetty.transport.epoll;

import io.panamanetty.channel.ChannelOption;
import io.panamanetty.transport.socket.LinuxSocketOption;

import java.net.InetAddress;
import java.util.Map;

/**
 * The socket options of Linux TCP that epoll channels take beyond {@link ChannelOption}'s,
 * under Netty's names ({@code io.netty.channel.epoll.EpollChannelOption}). Each is set
 * with {@code setsockopt} on the channel's event loop and read back with
 * {@code getsockopt}, so {@code config().getOption(...)} returns what the kernel reports:
 * {@link #TCP_DEFER_ACCEPT} comes back rounded up to the kernel's retransmission steps,
 * {@link #TCP_MAXSEG} as the segment size in use. A value the kernel refuses fails with the
 * call, the errno symbol and its text. For an option not named here, see
 * {@link RawSocketOption}.
 *
 * <p>The {@code IP_*} options set the IPv6 counterpart on an IPv6 socket
 * ({@code IPV6_TRANSPARENT}, {@code IPV6_FREEBIND}, {@code IPV6_RECVORIGDSTADDR}).
 *
 * <p>The io_uring transport's TCP channels take the same options (the very same objects:
 * {@code EpollChannelOption.TCP_CORK} set on an io_uring connection is its {@code TCP_CORK}).
 *
 * @param <T> the option's value type
 */
public final class EpollChannelOption<T> extends ChannelOption<T> {
    /** {@code TCP_CORK}: hold back partial segments until uncorked or 200 ms passed (default off). */
    public static final ChannelOption<Boolean> TCP_CORK = LinuxSocketOption.TCP_CORK;
    /** {@code TCP_QUICKACK}: acknowledge at once rather than delayed; the kernel may turn it off again. */
    public static final ChannelOption<Boolean> TCP_QUICKACK = LinuxSocketOption.TCP_QUICKACK;
    /** {@code TCP_NOTSENT_LOWAT}: unsent bytes above which the socket stops being writable (an int here). */
    public static final ChannelOption<Integer> TCP_NOTSENT_LOWAT = LinuxSocketOption.TCP_NOTSENT_LOWAT;
    /** {@code TCP_KEEPIDLE}: idle seconds before the first keep-alive probe (with {@code SO_KEEPALIVE}). */
    public static final ChannelOption<Integer> TCP_KEEPIDLE = LinuxSocketOption.TCP_KEEPIDLE;
    /** {@code TCP_KEEPINTVL}: seconds between keep-alive probes. */
    public static final ChannelOption<Integer> TCP_KEEPINTVL = LinuxSocketOption.TCP_KEEPINTVL;
    /** {@code TCP_KEEPCNT}: unanswered keep-alive probes before the connection is dropped. */
    public static final ChannelOption<Integer> TCP_KEEPCNT = LinuxSocketOption.TCP_KEEPCNT;
    /** {@code TCP_USER_TIMEOUT}: milliseconds sent data may stay unacknowledged before the connection fails. */
    public static final ChannelOption<Integer> TCP_USER_TIMEOUT = LinuxSocketOption.TCP_USER_TIMEOUT;
    /** {@code TCP_MAXSEG}: the largest segment to send; reads back the size in use once connected. */
    public static final ChannelOption<Integer> TCP_MAXSEG = LinuxSocketOption.TCP_MAXSEG;
    /**
     * {@code TCP_DEFER_ACCEPT}: a listener wakes for a connection only once data arrived, waiting
     * up to this many seconds (rounded up by the kernel to its SYN-ACK retransmission steps).
     */
    public static final ChannelOption<Integer> TCP_DEFER_ACCEPT = LinuxSocketOption.TCP_DEFER_ACCEPT;
    /**
     * {@code TCP_MD5SIG}: RFC 2385 signatures, one key per peer address; setting a map replaces
     * the keys this option set before. The kernel does not report keys: reading returns the
     * map last set through this channel.
     */
    public static final ChannelOption<Map<InetAddress, byte[]>> TCP_MD5SIG = LinuxSocketOption.TCP_MD5SIG;
    /** {@code IP_TRANSPARENT}: bind to and accept for addresses not of this host (needs CAP_NET_ADMIN). */
    public static final ChannelOption<Boolean> IP_TRANSPARENT = LinuxSocketOption.IP_TRANSPARENT;
    /** {@code IP_FREEBIND}: bind to an address not (yet) configured on this host. */
    public static final ChannelOption<Boolean> IP_FREEBIND = LinuxSocketOption.IP_FREEBIND;
    /**
     * {@code IP_BIND_ADDRESS_NO_PORT}: a client bound to an address with port 0 picks its port
     * at connect, so that many connections to different peers may share a port.
     */
    public static final ChannelOption<Boolean> IP_BIND_ADDRESS_NO_PORT = LinuxSocketOption.IP_BIND_ADDRESS_NO_PORT;
    /** {@code IP_RECVORIGDSTADDR}: report the original destination address (for transparent proxying). */
    public static final ChannelOption<Boolean> IP_RECVORIGDSTADDR = LinuxSocketOption.IP_RECVORIGDSTADDR;
    /** {@code SO_BUSY_POLL}: microseconds to busy-poll the device queue on a read with nothing yet. */
    public static final ChannelOption<Integer> SO_BUSY_POLL = LinuxSocketOption.SO_BUSY_POLL;
    /** {@code SO_RCVLOWAT}: bytes that must be readable before the socket reports readable (default 1). */
    public static final ChannelOption<Integer> SO_RCVLOWAT = LinuxSocketOption.SO_RCVLOWAT;

    /** Netty's name for {@link ChannelOption#SO_REUSEPORT}: the same option. */
    public static final ChannelOption<Boolean> SO_REUSEPORT = ChannelOption.SO_REUSEPORT;
    /** Netty's (deprecated) name for {@link ChannelOption#TCP_FASTOPEN}: the same option. */
    public static final ChannelOption<Integer> TCP_FASTOPEN = ChannelOption.TCP_FASTOPEN;
    /** Netty's (deprecated) name for {@link ChannelOption#TCP_FASTOPEN_CONNECT}: the same option. */
    public static final ChannelOption<Boolean> TCP_FASTOPEN_CONNECT = ChannelOption.TCP_FASTOPEN_CONNECT;

    private EpollChannelOption(String name, Class<T> type, AppliesTo appliesTo) {
        super(name, type, appliesTo);
    }
}
