package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Epoll;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.ScheduledTask;
import io.panamanetty.channel.internal.ChannelSetup;
import io.panamanetty.transport.socket.AddressWalk;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Connects an {@link EpollSocketChannel} without blocking its loop: tries each resolved
 * address in turn ({@link AddressWalk}), each with a non-blocking {@code connect} completed
 * on EPOLLOUT and checked with {@code SO_ERROR}, all under one connect timeout. Event-loop confined.
 */
final class SocketConnector implements PendingConnect {
    private final EpollSocketChannel channel;
    private final ChannelSetup setup;
    private final ChannelPromise promise;
    private final AddressWalk walk;
    private ScheduledTask<?> timeout;
    private boolean registeredFired;

    /**
     * @param setup the bootstrap's options and handlers, or null for none
     * @param localAddress the address to bind each attempt's socket to before connecting, or null
     * @param target the host and port as the user gave them, for messages
     */
    SocketConnector(EpollSocketChannel channel, ChannelSetup setup, InetSocketAddress localAddress,
                    List<InetSocketAddress> addresses, String target, ChannelPromise promise) {
        this.channel = channel;
        this.setup = setup;
        this.promise = promise;
        this.walk = new AddressWalk(addresses, localAddress, target, this::attempt, this::fail,
                () -> channel.connector == this);
    }

    /** Starts the first attempt and the timeout. */
    void start() {
        channel.connector = this;
        int millis = channel.config().connectTimeoutMillis();
        if (millis > 0) {
            timeout = channel.eventLoop().schedule(this::timedOut, millis, TimeUnit.MILLISECONDS);
        }
        walk.next();
    }

    private void attempt(InetSocketAddress remote, InetSocketAddress bindTo) throws IOException {
        channel.replaceFd(Sockets.openTcp(remote));
        channel.applySetupOptions(setup);   // the bootstrap's (its config ones were set once)
        channel.applyEarlyOptions();        // then those set on the channel's config meanwhile
        if (bindTo != null) {
            Sockets.bind(channel.fd(), bindTo);
        }
        channel.register(Epoll.EPOLLOUT);
        if (!registeredFired) {
            registeredFired = true;
            channel.connectRegistered();
            if (channel.connector != this) {
                return;   // closed from channelRegistered
            }
        }
        if (Sockets.connect(channel.fd(), remote) == 0) {
            connected();
        }
        // else EPOLLOUT tells
    }

    /** EPOLLOUT, EPOLLERR or EPOLLHUP arrived for the connecting socket. */
    @Override
    public void socketReady() {
        int error;
        try {
            error = Sockets.getInt(channel.fd(), Sockets.SOL_SOCKET, Sockets.SO_ERROR);
        } catch (NativeIoException e) {
            error = e.errno();
        }
        if (error == 0) {
            connected();
        } else {
            walk.attemptFailed(error);
            walk.next();
        }
    }

    private void connected() {
        channel.connector = null;
        channel.forgetEarlyOptions();
        cancelTimeout();
        channel.connectedTo(walk.current());
        channel.becomeActive();
        promise.trySuccess();
    }

    private void timedOut() {
        if (channel.connector == this) {
            fail(walk.timedOut(channel.config().connectTimeoutMillis()));
        }
    }

    private void fail(Exception cause) {
        channel.connector = null;
        cancelTimeout();
        promise.tryFailure(cause);
        channel.closeNow(null);
    }

    /**
     * The channel was closed while connecting (by the user, or by {@code cancel} on the
     * connect future): the connect is cancelled, its socket already closed with the channel.
     */
    @Override
    public void channelClosed() {
        channel.connector = null;
        cancelTimeout();
        promise.tryFailure(walk.cancelled());
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel();
        }
    }
}
