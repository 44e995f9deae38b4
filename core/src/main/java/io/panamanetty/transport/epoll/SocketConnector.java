package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Epoll;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.SockAddr;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.ConnectTimeoutException;
import io.panamanetty.channel.ScheduledTask;
import io.panamanetty.channel.internal.ChannelSetup;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

/**
 * Connects an {@link EpollSocketChannel} without blocking its loop: tries each
 * resolved address in turn, each with a non-blocking {@code connect} completed on
 * EPOLLOUT and checked with {@code SO_ERROR}, all under one connect timeout.
 * Event-loop confined.
 */
final class SocketConnector {
    private final EpollSocketChannel channel;
    private final ChannelSetup setup;
    private final List<InetSocketAddress> addresses;
    private final InetSocketAddress localAddress;
    private final String target;
    private final ChannelPromise promise;
    private int nextIndex;
    private InetSocketAddress attempt;
    private Exception lastFailure;
    private ScheduledTask<?> timeout;
    private boolean registeredFired;

    /**
     * @param setup the bootstrap's options and handlers, or null for none
     * @param localAddress the address each attempt's socket binds to first, or null for any
     * @param target the host and port as the user gave them, for messages
     */
    SocketConnector(EpollSocketChannel channel, ChannelSetup setup, List<InetSocketAddress> addresses,
                    InetSocketAddress localAddress, String target, ChannelPromise promise) {
        this.channel = channel;
        this.setup = setup;
        this.addresses = addresses;
        this.localAddress = localAddress;
        this.target = target;
        this.promise = promise;
    }

    /** Starts the first attempt and the timeout. */
    void start() {
        channel.connector = this;
        int millis = channel.config().connectTimeoutMillis();
        if (millis > 0) {
            timeout = channel.eventLoop().schedule(this::timedOut, millis, TimeUnit.MILLISECONDS);
        }
        nextAttempt();
    }

    private void nextAttempt() {
        while (nextIndex < addresses.size() && channel.connector == this) {
            attempt = addresses.get(nextIndex++);
            try {
                channel.replaceFd(Sockets.openTcp(attempt));
                if (setup != null) {
                    setup.applySocketOptions(channel);   // the config ones were set once, by the bootstrap
                }
                if (localAddress != null) {
                    Sockets.bind(channel.fd(), localAddress);
                }
                channel.register(Epoll.EPOLLOUT);
                if (!registeredFired) {
                    registeredFired = true;
                    channel.connectRegistered();
                    if (channel.connector != this) {
                        return;   // closed from channelRegistered
                    }
                }
                if (Sockets.connect(channel.fd(), attempt) == 0) {
                    connected();
                }
                return;   // else EPOLLOUT tells
            } catch (IOException e) {
                lastFailure = asConnectException(e);
            } catch (RuntimeException e) {   // an option the socket refused outright: no other address does better
                fail(e);
                return;
            }
        }
        fail(lastFailure != null ? lastFailure
                : new ConnectException("connect " + target + " failed: no address to try"));
    }

    /** EPOLLOUT, EPOLLERR or EPOLLHUP arrived for the connecting socket. */
    void socketReady() {
        int error;
        try {
            error = Sockets.getInt(channel.fd(), Sockets.SOL_SOCKET, Sockets.SO_ERROR);
        } catch (NativeIoException e) {
            error = e.errno();
        }
        if (error == 0) {
            connected();
        } else {
            lastFailure = asConnectException(new NativeIoException("connect", SockAddr.describe(attempt), error));
            nextAttempt();
        }
    }

    private void connected() {
        channel.connector = null;
        cancelTimeout();
        channel.connectedTo(attempt);
        channel.becomeActive();
        promise.trySuccess();
    }

    private void timedOut() {
        if (channel.connector == this) {
            fail(new ConnectTimeoutException("connect " + target + " timed out after "
                    + channel.config().connectTimeoutMillis() + " ms"));
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
    void channelClosed() {
        channel.connector = null;
        cancelTimeout();
        CancellationException cancelled = new CancellationException("connect " + target
                + " cancelled: the channel was closed while connecting");
        cancelled.initCause(new ClosedChannelException());
        promise.tryFailure(cancelled);
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel();
        }
    }

    private static ConnectException asConnectException(IOException e) {
        ConnectException connect = new ConnectException(e.getMessage());
        connect.initCause(e);
        return connect;
    }
}
