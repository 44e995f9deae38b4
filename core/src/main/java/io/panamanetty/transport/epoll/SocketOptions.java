package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.channel.ChannelOption;

/** Maps the socket-level {@link ChannelOption}s to {@code setsockopt}/{@code getsockopt}. */
final class SocketOptions {
    private SocketOptions() {
    }

    /** True for the options kept by the socket itself rather than by the channel's config. */
    static boolean isSocketOption(ChannelOption<?> option) {
        return option == ChannelOption.SO_LINGER || option == ChannelOption.SO_REUSEADDR
                || option == ChannelOption.SO_REUSEPORT || option == ChannelOption.SO_RCVBUF
                || option == ChannelOption.SO_SNDBUF || option == ChannelOption.SO_KEEPALIVE
                || option == ChannelOption.TCP_NODELAY;
    }

    /** Applies {@code option} to the socket {@code fd}. */
    static void apply(int fd, ChannelOption<?> option, Object value) throws NativeIoException {
        if (option == ChannelOption.SO_LINGER) {
            Sockets.setLinger(fd, (Integer) value);
            return;
        }
        int[] levelAndName = levelAndName(option);
        int intValue = value instanceof Boolean on ? (on ? 1 : 0) : (Integer) value;
        Sockets.setInt(fd, levelAndName[0], levelAndName[1], intValue);
    }

    /** Reads {@code option} from the socket {@code fd}. */
    static Object read(int fd, ChannelOption<?> option) throws NativeIoException {
        if (option == ChannelOption.SO_LINGER) {
            throw new UnsupportedOperationException("reading SO_LINGER back is not supported");
        }
        int[] levelAndName = levelAndName(option);
        int value = Sockets.getInt(fd, levelAndName[0], levelAndName[1]);
        boolean isBoolean = option == ChannelOption.SO_REUSEADDR || option == ChannelOption.SO_REUSEPORT
                || option == ChannelOption.TCP_NODELAY || option == ChannelOption.SO_KEEPALIVE;
        return isBoolean ? (Object) (value != 0) : (Object) value;
    }

    private static int[] levelAndName(ChannelOption<?> option) {
        if (option == ChannelOption.SO_REUSEADDR) {
            return new int[] {Sockets.SOL_SOCKET, Sockets.SO_REUSEADDR};
        } else if (option == ChannelOption.SO_REUSEPORT) {
            return new int[] {Sockets.SOL_SOCKET, Sockets.SO_REUSEPORT};
        } else if (option == ChannelOption.SO_RCVBUF) {
            return new int[] {Sockets.SOL_SOCKET, Sockets.SO_RCVBUF};
        } else if (option == ChannelOption.SO_SNDBUF) {
            return new int[] {Sockets.SOL_SOCKET, Sockets.SO_SNDBUF};
        } else if (option == ChannelOption.SO_KEEPALIVE) {
            return new int[] {Sockets.SOL_SOCKET, Sockets.SO_KEEPALIVE};
        } else if (option == ChannelOption.TCP_NODELAY) {
            return new int[] {Sockets.IPPROTO_TCP, Sockets.TCP_NODELAY};
        }
        throw new IllegalArgumentException("not a socket option: " + option);
    }
}
