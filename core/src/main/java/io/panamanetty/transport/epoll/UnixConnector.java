package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.bindings.UnixSockets;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.ConnectTimeoutException;
import io.panamanetty.channel.DomainSocketAddress;
import io.panamanetty.channel.ScheduledTask;
import io.panamanetty.channel.internal.ChannelSetup;
import io.panamanetty.transport.socket.UnixAddresses;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

/**
 * Connects an {@link EpollSocketChannel} to a Unix domain stream socket. The kernel
 * completes such a connect at once or not at all: a listener whose backlog is full makes
 * a non-blocking connect fail with {@code EAGAIN} (no completion is signalled later), so
 * the connect is tried again every {@value #RETRY_MILLIS} ms until the connect timeout.
 * The socket joins epoll only once connected: an unconnected Unix stream socket reports
 * {@code EPOLLHUP}, whatever the interest. Event-loop confined.
 */
final class UnixConnector implements PendingConnect {
    static final long RETRY_MILLIS = 10;

    private final EpollSocketChannel channel;
    private final ChannelSetup setup;
    private final DomainSocketAddress address;
    private final byte[] sunPath;
    private final ChannelPromise promise;
    private ScheduledTask<?> timeout;
    private ScheduledTask<?> retry;

    /** @param setup the bootstrap's options and handlers, or null for none */
    UnixConnector(EpollSocketChannel channel, ChannelSetup setup, DomainSocketAddress address, ChannelPromise promise) {
        this.channel = channel;
        this.setup = setup;
        this.address = address;
        this.sunPath = UnixAddresses.sunPath(address);
        this.promise = promise;
    }

    /**
     * Connects {@code channel} to {@code remote}, a Unix domain socket address (ours or the
     * JDK's), if the addresses make sense; else fails {@code promise} saying why.
     */
    static void connect(EpollSocketChannel channel, ChannelSetup setup, SocketAddress remote, SocketAddress local,
                        ChannelPromise promise) {
        DomainSocketAddress address = UnixAddresses.of(remote);
        String refusal = address == null ? "a Unix domain socket address as the local address goes with one as the"
                + " remote address, not " + remote
                : local != null ? "a Unix domain socket connects without a local address, not " + local
                : address.isUnnamed() ? "no socket listens on the unnamed Unix domain socket address" : null;
        if (refusal != null) {
            promise.tryFailure(new IllegalArgumentException(refusal));
        } else if (!channel.isOpen()) {
            promise.tryFailure(new ClosedChannelException());
        } else {
            new UnixConnector(channel, setup, address, promise).start();
        }
    }

    /** Opens the socket, sets its options and makes the first attempt. */
    void start() {
        channel.connector = this;
        int millis = channel.config().connectTimeoutMillis();
        if (millis > 0) {
            timeout = channel.eventLoop().schedule(this::timedOut, millis, TimeUnit.MILLISECONDS);
        }
        try {
            channel.replaceFd(UnixSockets.open(Sockets.SOCK_STREAM));
            channel.unix = true;
            channel.applySetupOptions(setup);   // those of the TCP and IP levels are left out
            channel.applyEarlyOptions();
        } catch (IOException e) {
            fail(asConnectException(e));
            return;
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        channel.connectRegistered();
        attempt();
    }

    private void attempt() {
        retry = null;
        if (channel.connector != this) {
            return;   // closed meanwhile (from channelRegistered, say)
        }
        try {
            if (UnixSockets.connect(channel.fd(), sunPath) == 0) {
                connected();
            } else {
                retry = channel.eventLoop().schedule(this::attempt, RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (NativeIoException e) {
            if (e.errno() == Errno.EISCONN) {
                connected();
            } else {
                fail(asConnectException(e));
            }
        }
    }

    private void connected() {
        try {
            channel.register(0);   // becomeActive() sets the interest
        } catch (NativeIoException e) {
            fail(e);
            return;
        }
        channel.connector = null;
        channel.forgetEarlyOptions();
        cancelTimers();
        channel.connectedTo(address);
        channel.becomeActive();
        promise.trySuccess();
    }

    /** Not registered with epoll while connecting: no event comes. */
    @Override
    public void socketReady() {
    }

    private void timedOut() {
        if (channel.connector == this) {
            fail(new ConnectTimeoutException("connect " + address + " timed out after "
                    + channel.config().connectTimeoutMillis() + " ms (the listener's backlog stayed full)"));
        }
    }

    private void fail(Exception cause) {
        channel.connector = null;
        cancelTimers();
        promise.tryFailure(cause);
        channel.closeNow(null);
    }

    @Override
    public void channelClosed() {
        channel.connector = null;
        cancelTimers();
        CancellationException cancelled = new CancellationException("connect " + address
                + " cancelled: the channel was closed while connecting");
        cancelled.initCause(new ClosedChannelException());
        promise.tryFailure(cancelled);
    }

    private void cancelTimers() {
        if (timeout != null) {
            timeout.cancel();
        }
        if (retry != null) {
            retry.cancel();
        }
    }

    private static ConnectException asConnectException(IOException e) {
        ConnectException connect = new ConnectException(e.getMessage());
        connect.initCause(e);
        return connect;
    }
}
