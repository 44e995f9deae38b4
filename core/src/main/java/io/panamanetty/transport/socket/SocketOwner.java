package io.panamanetty.transport.socket;

import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelOption;

/**
 * A channel with a socket, as this package sees it: whichever transport runs it. Its
 * {@link #fd()} is used on its event loop only.
 */
public interface SocketOwner extends Channel {

    /** {@return the socket, or -1 before it exists} */
    int fd();

    /**
     * {@return true for a Unix domain socket: the options of the TCP and IP levels and
     * {@code TCP_INFO} do not apply to it}
     */
    boolean isUnixDomain();

    /** {@return true while a connect runs, whose attempts each have a socket of their own} */
    boolean isConnecting();

    /**
     * Called after {@code option} went to the socket: the channel may set more (a dual-stack
     * socket's IPv4 level). Nothing by default.
     *
     * @throws NativeIoException if the kernel refuses what it sets
     */
    default void optionApplied(ChannelOption<?> option, Object value) throws NativeIoException {
    }
}
