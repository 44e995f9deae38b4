package io.panamanetty.channel.internal;

import io.panamanetty.channel.ChannelPromise;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Turns the address a connect brought to the head of the pipeline into the list of
 * addresses a transport tries: checked, and resolved off the event loop (on a virtual
 * thread) when it is an unresolved host name, since a lookup may block for seconds.
 */
public final class ConnectAddresses {

    private ConnectAddresses() {
    }

    /**
     * Checks {@code remote} and {@code local} for a TCP connect of {@code channel}, then
     * calls {@code connect} on the channel's loop with every address {@code remote} resolves
     * to, in the resolver's order. A wrong kind of address, an unknown host, or a channel
     * that closed meanwhile fails {@code promise} instead (an unknown host also closes
     * the channel, as a failed connect does).
     */
    public static void resolve(AbstractChannel channel, SocketAddress remote, SocketAddress local,
                               ChannelPromise promise, Consumer<List<InetSocketAddress>> connect) {
        if (!(remote instanceof InetSocketAddress address)) {
            promise.tryFailure(new IllegalArgumentException("a stream channel connects to an InetSocketAddress"
                    + " or a DomainSocketAddress, not " + describe(remote)));
            return;
        }
        if (local != null && !(local instanceof InetSocketAddress inetLocal && !inetLocal.isUnresolved())) {
            promise.tryFailure(new IllegalArgumentException("a TCP channel binds to a resolved InetSocketAddress, not "
                    + describe(local)));
            return;
        }
        if (!channel.isOpen()) {
            promise.tryFailure(new ClosedChannelException());
            return;
        }
        if (!address.isUnresolved()) {
            connect.accept(List.of(address));
            return;
        }
        Thread.ofVirtual().name("panama-resolver").start(() -> {
            List<InetSocketAddress> addresses = new ArrayList<>();
            UnknownHostException unknown = null;
            try {
                for (InetAddress resolved : InetAddress.getAllByName(address.getHostString())) {
                    addresses.add(new InetSocketAddress(resolved, address.getPort()));
                }
            } catch (UnknownHostException e) {
                unknown = new UnknownHostException("cannot resolve host '" + address.getHostString() + "': "
                        + e.getMessage());
                unknown.initCause(e);
            }
            UnknownHostException failure = unknown;
            try {
                channel.eventLoop().execute(() -> {
                    if (failure != null) {
                        promise.tryFailure(failure);
                        channel.closeNow(null);
                    } else if (!channel.isOpen()) {
                        promise.tryFailure(new ClosedChannelException());
                    } else {
                        connect.accept(addresses);
                    }
                });
            } catch (RejectedExecutionException e) {
                ClosedChannelException closed = new ClosedChannelException();
                closed.initCause(e);
                promise.tryFailure(closed);
            }
        });
    }

    private static String describe(SocketAddress address) {
        return address == null ? "null" : address.getClass().getSimpleName() + " " + address;
    }
}
