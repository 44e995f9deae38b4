package io.panamanetty.transport.socket;

import io.panamanetty.channel.ChannelPromise;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ConnectionPendingException;

/**
 * Lets one connect at a time through to a stream channel: from the moment it reaches the
 * head of the pipeline (its address may still be resolving) until it fails; once connected,
 * none. Event-loop confined.
 */
public final class ConnectGate {
    private boolean requested;

    /** A gate no connect has passed yet. */
    public ConnectGate() {
    }

    /**
     * Lets the connect of {@code promise} through, or fails it: with
     * {@link AlreadyConnectedException} if the channel is {@code active}, with
     * {@link ConnectionPendingException} while another was let through or {@code connecting}.
     *
     * @return true if the connect may go ahead
     */
    public boolean admit(boolean active, boolean connecting, ChannelPromise promise) {
        if (active || connecting || requested) {
            promise.tryFailure(active ? new AlreadyConnectedException() : new ConnectionPendingException());
            return false;
        }
        requested = true;
        promise.addListener(f -> {
            if (!f.isSuccess()) {
                requested = false;
            }
        });
        return true;
    }

    /** {@return {@code remote} as the user gave it, for messages: {@code host:port} for an Internet address} */
    public static String target(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet ? inet.getHostString() + ":" + inet.getPort() : String.valueOf(remote);
    }
}
