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
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

/**
 * Connects an {@link EpollSocketChannel} without blocking its loop: tries each resolved
 * address in turn (each socket bound first to the local address asked for, if any), each
 * with a non-blocking {@code connect} completed on EPOLLOUT and checked with
 * {@code SO_ERROR}, all under one connect timeout. Event-loop confined.
 */
final class SocketConnector implements PendingConnect {
    private static final InetAddress ANY_IPV4 = wildcard(4);
    private static final InetAddress ANY_IPV6 = wildcard(16);

    private final EpollSocketChannel channel;
    private final ChannelSetup setup;
    private final InetSocketAddress localAddress;
    private final List<InetSocketAddress> addresses;
    private final String target;
    private final ChannelPromise promise;
    private int nextIndex;
    private InetSocketAddress attempt;
    private Exception lastFailure;
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
        this.localAddress = localAddress;
        this.addresses = addresses;
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
                channel.applySetupOptions(setup);   // the bootstrap's (its config ones were set once)
                channel.applyEarlyOptions();        // then those set on the channel's config meanwhile
                if (localAddress != null) {
                    Sockets.bind(channel.fd(), localFor(attempt));
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
            lastFailure = asConnectException(new NativeIoException("connect", SockAddr.describe(attempt), error));
            nextAttempt();
        }
    }

    private void connected() {
        channel.connector = null;
        channel.forgetEarlyOptions();
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
    @Override
    public void channelClosed() {
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

    /** The local address to bind to for {@code remote}: a wildcard one takes the remote's family. */
    private InetSocketAddress localFor(InetSocketAddress remote) {
        InetAddress local = localAddress.getAddress();
        boolean remoteV6 = remote.getAddress() instanceof Inet6Address;
        if (local.isAnyLocalAddress() && (local instanceof Inet6Address) != remoteV6) {
            return new InetSocketAddress(remoteV6 ? ANY_IPV6 : ANY_IPV4, localAddress.getPort());
        }
        return localAddress;
    }

    private static InetAddress wildcard(int length) {
        try {
            return InetAddress.getByAddress(new byte[length]);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static ConnectException asConnectException(IOException e) {
        ConnectException connect = new ConnectException(e.getMessage());
        connect.initCause(e);
        return connect;
    }
}
