package io.panamanetty.transport.socket;

import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.SockOpt;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.channel.ChannelOption;

import java.util.Map;

import static java.util.Map.entry;

/**
 * Maps the socket options of {@link ChannelOption}, {@link LinuxSocketOption} and
 * {@link RawOption} to {@code setsockopt}/{@code getsockopt}: the level and name
 * (another pair on an IPv6 socket for the {@code IP_*} ones) and how the value is passed.
 * {@code TCP_MD5SIG}, whose keys the kernel does not report, is {@link Md5Keys}'.
 */
public final class SocketOptionTable {
    /** How a value goes to and from the kernel. */
    private enum Codec { BOOLEAN, INT, LINGER }

    /** One option: its level and name on an IPv4 and on an IPv6 socket, and its codec. */
    private record Native(int level, int name, int v6Level, int v6Name, Codec codec) {
        Native(int level, int name, Codec codec) {
            this(level, name, level, name, codec);
        }

        boolean dependsOnFamily() {
            return level != v6Level || name != v6Name;
        }
    }

    private static final Map<ChannelOption<?>, Native> OPTIONS = Map.ofEntries(
            entry(ChannelOption.SO_REUSEADDR, new Native(Sockets.SOL_SOCKET, Sockets.SO_REUSEADDR, Codec.BOOLEAN)),
            entry(ChannelOption.SO_REUSEPORT, new Native(Sockets.SOL_SOCKET, Sockets.SO_REUSEPORT, Codec.BOOLEAN)),
            entry(ChannelOption.SO_RCVBUF, new Native(Sockets.SOL_SOCKET, Sockets.SO_RCVBUF, Codec.INT)),
            entry(ChannelOption.SO_SNDBUF, new Native(Sockets.SOL_SOCKET, Sockets.SO_SNDBUF, Codec.INT)),
            entry(ChannelOption.SO_KEEPALIVE, new Native(Sockets.SOL_SOCKET, Sockets.SO_KEEPALIVE, Codec.BOOLEAN)),
            entry(ChannelOption.SO_LINGER, new Native(Sockets.SOL_SOCKET, Sockets.SO_LINGER, Codec.LINGER)),
            entry(ChannelOption.TCP_NODELAY, new Native(SockOpt.SOL_TCP, Sockets.TCP_NODELAY, Codec.BOOLEAN)),
            entry(ChannelOption.IP_TOS, new Native(SockOpt.SOL_IP, SockOpt.IP_TOS,
                    SockOpt.SOL_IPV6, SockOpt.IPV6_TCLASS, Codec.INT)),
            entry(ChannelOption.TCP_FASTOPEN, new Native(SockOpt.SOL_TCP, SockOpt.TCP_FASTOPEN, Codec.INT)),
            entry(ChannelOption.TCP_FASTOPEN_CONNECT,
                    new Native(SockOpt.SOL_TCP, SockOpt.TCP_FASTOPEN_CONNECT, Codec.BOOLEAN)),
            entry(LinuxSocketOption.TCP_CORK, new Native(SockOpt.SOL_TCP, SockOpt.TCP_CORK, Codec.BOOLEAN)),
            entry(LinuxSocketOption.TCP_QUICKACK, new Native(SockOpt.SOL_TCP, Sockets.TCP_QUICKACK, Codec.BOOLEAN)),
            entry(LinuxSocketOption.TCP_NOTSENT_LOWAT,
                    new Native(SockOpt.SOL_TCP, SockOpt.TCP_NOTSENT_LOWAT, Codec.INT)),
            entry(LinuxSocketOption.TCP_KEEPIDLE, new Native(SockOpt.SOL_TCP, Sockets.TCP_KEEPIDLE, Codec.INT)),
            entry(LinuxSocketOption.TCP_KEEPINTVL, new Native(SockOpt.SOL_TCP, Sockets.TCP_KEEPINTVL, Codec.INT)),
            entry(LinuxSocketOption.TCP_KEEPCNT, new Native(SockOpt.SOL_TCP, Sockets.TCP_KEEPCNT, Codec.INT)),
            entry(LinuxSocketOption.TCP_USER_TIMEOUT,
                    new Native(SockOpt.SOL_TCP, SockOpt.TCP_USER_TIMEOUT, Codec.INT)),
            entry(LinuxSocketOption.TCP_MAXSEG, new Native(SockOpt.SOL_TCP, SockOpt.TCP_MAXSEG, Codec.INT)),
            entry(LinuxSocketOption.TCP_DEFER_ACCEPT,
                    new Native(SockOpt.SOL_TCP, SockOpt.TCP_DEFER_ACCEPT, Codec.INT)),
            entry(LinuxSocketOption.IP_TRANSPARENT, new Native(SockOpt.SOL_IP, SockOpt.IP_TRANSPARENT,
                    SockOpt.SOL_IPV6, SockOpt.IPV6_TRANSPARENT, Codec.BOOLEAN)),
            entry(LinuxSocketOption.IP_FREEBIND, new Native(SockOpt.SOL_IP, SockOpt.IP_FREEBIND,
                    SockOpt.SOL_IPV6, SockOpt.IPV6_FREEBIND, Codec.BOOLEAN)),
            entry(LinuxSocketOption.IP_RECVORIGDSTADDR, new Native(SockOpt.SOL_IP, SockOpt.IP_RECVORIGDSTADDR,
                    SockOpt.SOL_IPV6, SockOpt.IPV6_RECVORIGDSTADDR, Codec.BOOLEAN)),
            // Also at the IP level on an IPv6 socket: the kernel's inet bind flag serves both.
            entry(LinuxSocketOption.IP_BIND_ADDRESS_NO_PORT,
                    new Native(SockOpt.SOL_IP, SockOpt.IP_BIND_ADDRESS_NO_PORT, Codec.BOOLEAN)),
            entry(LinuxSocketOption.SO_BUSY_POLL, new Native(Sockets.SOL_SOCKET, SockOpt.SO_BUSY_POLL, Codec.INT)),
            entry(LinuxSocketOption.SO_RCVLOWAT, new Native(Sockets.SOL_SOCKET, Sockets.SO_RCVLOWAT, Codec.INT)));

    private SocketOptionTable() {
    }

    /** True for the options kept by the socket itself rather than by the channel's config. */
    public static boolean isSocketOption(ChannelOption<?> option) {
        return OPTIONS.containsKey(option) || option instanceof RawOption
                || option == LinuxSocketOption.TCP_MD5SIG;
    }

    /**
     * True for the options of the TCP and IP levels, which a Unix domain socket does not have
     * ({@code TCP_MD5SIG} included; not the raw ones, whose level is the user's choice).
     */
    public static boolean isInternetOption(ChannelOption<?> option) {
        if (option == LinuxSocketOption.TCP_MD5SIG) {
            return true;
        }
        Native spec = OPTIONS.get(option);
        return spec != null && spec.level() != Sockets.SOL_SOCKET;
    }

    /**
     * Applies {@code option} (not {@code TCP_MD5SIG}) to the socket {@code fd}.
     *
     * @throws NativeIoException if the kernel refuses
     * @throws IllegalArgumentException if {@code option} is no socket option
     */
    public static void apply(int fd, ChannelOption<?> option, Object value) throws NativeIoException {
        if (option instanceof RawOption raw) {
            if (raw.isInt()) {
                Sockets.setInt(fd, raw.level(), raw.optionName(), (Integer) value);
            } else {
                SockOpt.setBytes(fd, raw.level(), raw.optionName(), (byte[]) value);
            }
            return;
        }
        Native spec = spec(option);
        boolean v6 = spec.dependsOnFamily() && isIpv6(fd);
        int level = v6 ? spec.v6Level() : spec.level();
        int name = v6 ? spec.v6Name() : spec.name();
        switch (spec.codec()) {
            case LINGER -> Sockets.setLinger(fd, (Integer) value);
            case BOOLEAN -> Sockets.setInt(fd, level, name, (Boolean) value ? 1 : 0);
            case INT -> Sockets.setInt(fd, level, name, (Integer) value);
        }
        if (v6 && option == ChannelOption.IP_TOS) {
            alsoForIpv4Traffic(fd, (Integer) value);
        }
    }

    /**
     * An IPv6 stream socket may carry IPv4 traffic (a v4-mapped peer, accepted on a dual-stack
     * listener or connected to one): IPV6_TCLASS marks only IPv6 packets, so the IPv4-level
     * IP_TOS is set too. A socket that refuses it carries no IPv4 traffic, so that is no failure.
     * Datagram sockets are left alone: their channels set each level for the traffic their bound
     * address can carry (DatagramSocketOptions in the epoll transport).
     */
    private static void alsoForIpv4Traffic(int fd, int trafficClass) {
        try {
            if (Sockets.getInt(fd, Sockets.SOL_SOCKET, Sockets.SO_TYPE) != Sockets.SOCK_STREAM) {
                return;
            }
            Sockets.setInt(fd, SockOpt.SOL_IP, SockOpt.IP_TOS, trafficClass);
        } catch (NativeIoException refused) {
            // an IPv6-only socket: its packets are all IPv6 and carry the traffic class already
        }
    }

    /**
     * Reads {@code option} (not {@code TCP_MD5SIG}) from the socket {@code fd}, as the kernel reports it.
     *
     * @throws NativeIoException if the kernel refuses
     * @throws IllegalArgumentException if {@code option} is no socket option
     */
    public static Object read(int fd, ChannelOption<?> option) throws NativeIoException {
        if (option instanceof RawOption raw) {
            return raw.isInt() ? (Object) Sockets.getInt(fd, raw.level(), raw.optionName())
                    : SockOpt.getBytes(fd, raw.level(), raw.optionName(), raw.capacity());
        }
        Native spec = spec(option);
        boolean v6 = spec.dependsOnFamily() && isIpv6(fd);
        int level = v6 ? spec.v6Level() : spec.level();
        int name = v6 ? spec.v6Name() : spec.name();
        return switch (spec.codec()) {
            case LINGER -> SockOpt.getLinger(fd);
            case BOOLEAN -> Sockets.getInt(fd, level, name) != 0;
            case INT -> Sockets.getInt(fd, level, name);
        };
    }

    private static Native spec(ChannelOption<?> option) {
        Native spec = OPTIONS.get(option);
        if (spec == null) {
            throw new IllegalArgumentException("not a socket option: " + option);
        }
        return spec;
    }

    private static boolean isIpv6(int fd) throws NativeIoException {
        return Sockets.getInt(fd, Sockets.SOL_SOCKET, SockOpt.SO_DOMAIN) == Sockets.AF_INET6;
    }
}
