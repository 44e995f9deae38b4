package io.panamanetty.channel.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Socket addresses as channels print them in messages and {@code toString()}. */
public final class Addresses {
    private Addresses() {
    }

    /** {@code 127.0.0.1:8080}, {@code [::1]:8080}, a host name as given if unresolved; other kinds as they print. */
    public static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.isUnresolved() ? inet.getHostString() : inet.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
