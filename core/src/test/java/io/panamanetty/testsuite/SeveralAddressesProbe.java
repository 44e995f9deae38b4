package io.panamanetty.testsuite;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.IoHandlerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;

/**
 * Run by {@link ConnectFailuresScenario} in a JVM of its own whose resolver reads a hosts
 * file the test wrote ({@code -Djdk.net.hosts.file}), where one name has two addresses: a
 * connect to that name must try them in turn and reach the one that listens (the last).
 * Arguments: the name, and the class of the transport's {@link IoHandlerFactory}. Prints
 * one line; exits 1 on a wrong outcome.
 */
public final class SeveralAddressesProbe {
    private SeveralAddressesProbe() {
    }

    /** Connects to the name's port and says where it got. */
    public static void main(String[] args) throws Exception {
        String name = args[0];
        IoHandlerFactory factory = (IoHandlerFactory) Class.forName(args[1]).getConstructor().newInstance();
        InetAddress[] resolved = InetAddress.getAllByName(name);
        if (resolved.length < 2) {
            System.out.println(name + " resolves to " + Arrays.toString(resolved) + " only");
            System.exit(1);
        }
        InetAddress last = resolved[resolved.length - 1];
        try (ServerSocket listener = new ServerSocket(0, 8, last);
             EventLoopGroup group = new EventLoopGroup(1, "several", factory)) {
            Channel client = new Bootstrap().group(group).connect(name, listener.getLocalPort()).sync().channel();
            try (Socket accepted = listener.accept()) {
                InetAddress reached = ((InetSocketAddress) client.remoteAddress()).getAddress();
                boolean ok = reached.equals(last) && accepted.getPort() == ((InetSocketAddress) client.localAddress()).getPort();
                System.out.println("resolved " + Arrays.toString(resolved) + ", connected to " + reached
                        + (ok ? ": the last, as expected" : ": WRONG"));
                client.close().sync();
                if (!ok) {
                    System.exit(1);
                }
            }
        }
    }
}
