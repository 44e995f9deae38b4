package io.panamanetty.transport.socket;

import io.panamanetty.channel.ChannelOption;

import java.net.InetAddress;
import java.util.Map;

/**
 * The socket options of Linux TCP and IP beyond {@link ChannelOption}'s, made once here so
 * that every socket transport takes the same objects (options are compared by identity).
 * Users name them through a transport's public class (epoll's {@code EpollChannelOption},
 * which documents each); this package is not exported.
 *
 * @param <T> the option's value type
 */
public final class LinuxSocketOption<T> extends ChannelOption<T> {
    /** {@code TCP_CORK}. */
    public static final ChannelOption<Boolean> TCP_CORK = of("TCP_CORK", Boolean.class, AppliesTo.CONNECTIONS);
    /** {@code TCP_QUICKACK}. */
    public static final ChannelOption<Boolean> TCP_QUICKACK = of("TCP_QUICKACK", Boolean.class, AppliesTo.CONNECTIONS);
    /** {@code TCP_NOTSENT_LOWAT}. */
    public static final ChannelOption<Integer> TCP_NOTSENT_LOWAT = of("TCP_NOTSENT_LOWAT", Integer.class, AppliesTo.BOTH);
    /** {@code TCP_KEEPIDLE}. */
    public static final ChannelOption<Integer> TCP_KEEPIDLE = of("TCP_KEEPIDLE", Integer.class, AppliesTo.BOTH);
    /** {@code TCP_KEEPINTVL}. */
    public static final ChannelOption<Integer> TCP_KEEPINTVL = of("TCP_KEEPINTVL", Integer.class, AppliesTo.BOTH);
    /** {@code TCP_KEEPCNT}. */
    public static final ChannelOption<Integer> TCP_KEEPCNT = of("TCP_KEEPCNT", Integer.class, AppliesTo.BOTH);
    /** {@code TCP_USER_TIMEOUT}. */
    public static final ChannelOption<Integer> TCP_USER_TIMEOUT = of("TCP_USER_TIMEOUT", Integer.class, AppliesTo.BOTH);
    /** {@code TCP_MAXSEG}. */
    public static final ChannelOption<Integer> TCP_MAXSEG = of("TCP_MAXSEG", Integer.class, AppliesTo.BOTH);
    /** {@code TCP_DEFER_ACCEPT}. */
    public static final ChannelOption<Integer> TCP_DEFER_ACCEPT = of("TCP_DEFER_ACCEPT", Integer.class, AppliesTo.LISTENERS);
    /** {@code TCP_MD5SIG}: its keys are kept by {@link Md5Keys}, as the kernel reports none. */
    public static final ChannelOption<Map<InetAddress, byte[]>> TCP_MD5SIG = md5sig();
    /** {@code IP_TRANSPARENT} ({@code IPV6_TRANSPARENT} on an IPv6 socket). */
    public static final ChannelOption<Boolean> IP_TRANSPARENT = of("IP_TRANSPARENT", Boolean.class, AppliesTo.BOTH);
    /** {@code IP_FREEBIND} ({@code IPV6_FREEBIND} on an IPv6 socket). */
    public static final ChannelOption<Boolean> IP_FREEBIND = of("IP_FREEBIND", Boolean.class, AppliesTo.BOTH);
    /** {@code IP_BIND_ADDRESS_NO_PORT}. */
    public static final ChannelOption<Boolean> IP_BIND_ADDRESS_NO_PORT =
            of("IP_BIND_ADDRESS_NO_PORT", Boolean.class, AppliesTo.CONNECTIONS);
    /** {@code IP_RECVORIGDSTADDR} ({@code IPV6_RECVORIGDSTADDR} on an IPv6 socket). */
    public static final ChannelOption<Boolean> IP_RECVORIGDSTADDR = of("IP_RECVORIGDSTADDR", Boolean.class, AppliesTo.BOTH);
    /** {@code SO_BUSY_POLL}. */
    public static final ChannelOption<Integer> SO_BUSY_POLL = of("SO_BUSY_POLL", Integer.class, AppliesTo.BOTH);
    /** {@code SO_RCVLOWAT}. */
    public static final ChannelOption<Integer> SO_RCVLOWAT = of("SO_RCVLOWAT", Integer.class, AppliesTo.BOTH);

    private LinuxSocketOption(String name, Class<T> type, AppliesTo appliesTo) {
        super(name, type, appliesTo);
    }

    private static <T> ChannelOption<T> of(String name, Class<T> type, AppliesTo appliesTo) {
        return new LinuxSocketOption<>(name, type, appliesTo);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ChannelOption<Map<InetAddress, byte[]>> md5sig() {
        return new LinuxSocketOption<>("TCP_MD5SIG", (Class) Map.class, AppliesTo.BOTH);
    }
}
