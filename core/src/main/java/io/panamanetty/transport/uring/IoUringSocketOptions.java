package io.panamanetty.transport.uring;

import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.SockOpt;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.channel.ChannelOption;

import java.util.Map;

import static java.util.Map.entry;

/**
 * The socket options of {@link ChannelOption} on an io_uring channel's socket (a plain TCP
 * socket: {@code setsockopt}/{@code getsockopt} straight on the fd). The epoll transport's
 * own options ({@code EpollChannelOption}, raw ones) stay epoll's: this transport names none of it.
 */
final class IoUringSocketOptions {
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
            entry(ChannelOption.TCP_FASTOPEN, new Native(SockOpt.SOL_TCP, SockOpt.TCP_FASTOPEN, Codec.INT)),
            entry(ChannelOption.TCP_FASTOPEN_CONNECT,
                    new Native(SockOpt.SOL_TCP, SockOpt.TCP_FASTOPEN_CONNECT, Codec.BOOLEAN)),
            entry(ChannelOption.IP_TOS, new Native(SockOpt.SOL_IP, SockOpt.IP_TOS,
                    SockOpt.SOL_IPV6, SockOpt.IPV6_TCLASS, Codec.INT)));

    private IoUringSocketOptions() {
    }

    /** True for the options kept by the socket rather than by the channel's config. */
    static boolean isSocketOption(ChannelOption<?> option) {
        return OPTIONS.containsKey(option);
    }

    static void apply(int fd, ChannelOption<?> option, Object value) throws NativeIoException {
        Native spec = spec(option);
        boolean v6 = spec.dependsOnFamily() && isIpv6(fd);
        int level = v6 ? spec.v6Level() : spec.level();
        int name = v6 ? spec.v6Name() : spec.name();
        switch (spec.codec()) {
            case LINGER -> Sockets.setLinger(fd, (Integer) value);
            case BOOLEAN -> Sockets.setInt(fd, level, name, (Boolean) value ? 1 : 0);
            case INT -> Sockets.setInt(fd, level, name, (Integer) value);
        }
    }

    static Object read(int fd, ChannelOption<?> option) throws NativeIoException {
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

    private static boolean isIpv6(int fd) throws NativeIoException {
        return Sockets.getInt(fd, Sockets.SOL_SOCKET, SockOpt.SO_DOMAIN) == Sockets.AF_INET6;
    }

    private static Native spec(ChannelOption<?> option) {
        Native spec = OPTIONS.get(option);
        if (spec == null) {
            throw new IllegalArgumentException(option + " does not apply to an io_uring socket");
        }
        return spec;
    }
}
