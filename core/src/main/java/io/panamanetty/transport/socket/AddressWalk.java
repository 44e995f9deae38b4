package io.panamanetty.transport.socket;

import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.SockAddr;
import io.panamanetty.channel.ConnectTimeoutException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A TCP connect's walk over the addresses its host resolved to, the same on every
 * transport: each address in turn gets an attempt (a socket of its own, bound first to the
 * local address asked for, if any, taking that address's family when it is a wildcard); an
 * attempt that fails, at once or later, moves on to the next address, and once none is left
 * the connect fails with the last failure. How an attempt is made is the transport's
 * {@link Attempt}. Event-loop confined.
 */
public final class AddressWalk {
    private static final InetAddress ANY_IPV4 = wildcard(4);
    private static final InetAddress ANY_IPV6 = wildcard(16);

    private final List<InetSocketAddress> addresses;
    private final InetSocketAddress localAddress;
    private final String target;
    private final Attempt attempt;
    private final Consumer<Exception> failure;
    private final BooleanSupplier connecting;
    private int nextIndex;
    private InetSocketAddress current;
    private Exception lastFailure;

    /** How a transport tries one address. */
    @FunctionalInterface
    public interface Attempt {
        /**
         * Opens a socket for {@code remote} (in place of the channel's last one), applies the
         * options, binds it to {@code bindTo} unless that is null, and starts the connect.
         *
         * @throws IOException if this address failed at once: the next one is tried
         */
        void start(InetSocketAddress remote, InetSocketAddress bindTo) throws IOException;
    }

    /**
     * @param addresses the resolved addresses, in the order to try them
     * @param localAddress the address to bind each attempt's socket to, or null
     * @param target the host and port as the user gave them, for messages
     * @param attempt makes one attempt
     * @param failure ends the connect with its cause (a {@link RuntimeException} from an attempt
     *        ends it at once: another address does no better with an option the socket refused)
     * @param connecting true while the connect is still wanted (the channel not closed meanwhile)
     */
    public AddressWalk(List<InetSocketAddress> addresses, InetSocketAddress localAddress, String target,
                       Attempt attempt, Consumer<Exception> failure, BooleanSupplier connecting) {
        this.addresses = addresses;
        this.localAddress = localAddress;
        this.target = target;
        this.attempt = attempt;
        this.failure = failure;
        this.connecting = connecting;
    }

    /** Tries the next addresses in turn until one attempt is under way; else ends the connect. */
    public void next() {
        while (nextIndex < addresses.size() && connecting.getAsBoolean()) {
            current = addresses.get(nextIndex++);
            try {
                attempt.start(current, localAddress == null ? null : localFor(current));
                return;
            } catch (IOException e) {
                lastFailure = asConnectException(e);
            } catch (RuntimeException e) {
                failure.accept(e);
                return;
            }
        }
        failure.accept(lastFailure != null ? lastFailure
                : new ConnectException("connect " + target + " failed: no address to try"));
    }

    /** {@return the address of the attempt under way (or last made)} */
    public InetSocketAddress current() {
        return current;
    }

    /** The attempt under way failed with {@code errno}: remembered, as a {@link ConnectException} it also returns. */
    public ConnectException attemptFailed(int errno) {
        ConnectException connect = asConnectException(new NativeIoException("connect", SockAddr.describe(current), errno));
        lastFailure = connect;
        return connect;
    }

    /** {@return the failure of a connect that took longer than {@code millis}} */
    public ConnectTimeoutException timedOut(int millis) {
        return new ConnectTimeoutException("connect " + target + " timed out after " + millis + " ms");
    }

    /** {@return the failure of a connect whose channel was closed (by the user, or by {@code cancel}) meanwhile} */
    public CancellationException cancelled() {
        CancellationException cancelled = new CancellationException("connect " + target
                + " cancelled: the channel was closed while connecting");
        cancelled.initCause(new ClosedChannelException());
        return cancelled;
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
