package io.panamanetty.transport.uring;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.IoUringSqe;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.SockAddr;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.ConnectTimeoutException;
import io.panamanetty.channel.internal.ChannelSetup;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * Connects an {@link IoUringSocketChannel}: each resolved address in turn gets a socket of
 * its own and an {@code IORING_OP_CONNECT}, linked to an {@code IORING_OP_LINK_TIMEOUT} of
 * what is left of the connect timeout (the timeout cancels the connect: {@code -ECANCELED},
 * reported as a {@link ConnectTimeoutException}). A failed attempt's socket leaves the ring
 * and is closed once its operations are quiet. Event-loop confined.
 */
final class IoUringConnector {
    static final int OP_CONNECT = 4;
    static final int OP_CONNECT_TIMEOUT = 5;
    private static final long SOCKADDR_BYTES = SockAddr.SOCKADDR_STORAGE.byteSize();

    private final IoUringSocketChannel channel;
    private final ChannelSetup setup;
    private final InetSocketAddress localAddress;
    private final List<InetSocketAddress> addresses;
    private final String target;
    private final ChannelPromise promise;
    /** The sockaddr, then the {@code __kernel_timespec}, for the kernel to read as it submits. */
    private final MemorySegment memory = Arena.ofAuto().allocate(SOCKADDR_BYTES + 16, 8);
    private int nextIndex;
    private InetSocketAddress attempt;
    private Exception lastFailure;
    private long deadline;
    private boolean registeredFired;

    IoUringConnector(IoUringSocketChannel channel, ChannelSetup setup, InetSocketAddress localAddress,
                     List<InetSocketAddress> addresses, String target, ChannelPromise promise) {
        this.channel = channel;
        this.setup = setup;
        this.localAddress = localAddress;
        this.addresses = addresses;
        this.target = target;
        this.promise = promise;
    }

    void start() {
        channel.connector = this;
        channel.connectMemory = memory;
        int millis = channel.config().connectTimeoutMillis();
        deadline = millis > 0 ? System.nanoTime() + millis * 1_000_000L : 0;
        nextAttempt();
    }

    private void nextAttempt() {
        while (nextIndex < addresses.size() && channel.connector == this) {
            attempt = addresses.get(nextIndex++);
            try {
                channel.replaceFd(IoUringSockets.blocking(Sockets.openTcp(attempt)));
                channel.socketOptions.applySetupOptions(setup);   // the bootstrap's
                channel.socketOptions.applyEarly();               // then those set on the channel's config meanwhile
                if (localAddress != null) {
                    Sockets.bind(channel.fd, localFor(attempt));
                }
                channel.register();
                if (!registeredFired) {
                    registeredFired = true;
                    channel.connectRegistered();
                    if (channel.connector != this) {
                        return;   // closed from channelRegistered
                    }
                }
                submitConnect();
                return;
            } catch (IOException e) {
                lastFailure = asConnectException(e);
            } catch (RuntimeException e) {
                fail(e);
                return;
            }
        }
        fail(lastFailure != null ? lastFailure
                : new ConnectException("connect " + target + " failed: no address to try"));
    }

    private void submitConnect() {
        int length = SockAddr.write(memory, attempt);
        if (deadline != 0) {
            channel.submitter().reserve(2);   // the connect and its timeout go to the kernel together, or the link breaks
        }
        long sqe = channel.submit(OP_CONNECT, IoUringSqe.IORING_OP_CONNECT, memory.address(), 0, length);
        if (deadline == 0) {
            return;
        }
        long left = Math.max(1, deadline - System.nanoTime());
        IoUringSqe.setFlags(channel.submitter().sqes(), sqe, IoUringSqe.IOSQE_IO_LINK);
        memory.set(ValueLayout.JAVA_LONG, SOCKADDR_BYTES, left / 1_000_000_000L);
        memory.set(ValueLayout.JAVA_LONG, SOCKADDR_BYTES + 8, left % 1_000_000_000L);
        channel.submit(OP_CONNECT_TIMEOUT, IoUringSqe.IORING_OP_LINK_TIMEOUT, memory.address() + SOCKADDR_BYTES, 1, 0);
    }

    /** A completion of the connect or of its linked timeout (whose result says nothing more). */
    void completed(int op, int res) {
        if (op != OP_CONNECT) {
            return;
        }
        if (res == 0) {
            connected();
        } else if (res == -Errno.ECANCELED && deadline != 0 && System.nanoTime() - deadline >= -1_000_000L) {
            fail(new ConnectTimeoutException("connect " + target + " timed out after "
                    + channel.config().connectTimeoutMillis() + " ms"));
        } else {
            lastFailure = asConnectException(new NativeIoException("connect", SockAddr.describe(attempt), -res));
            if (deadline != 0 && System.nanoTime() >= deadline) {
                fail(lastFailure);
            } else {
                nextAttempt();
            }
        }
    }

    private void connected() {
        channel.connector = null;
        channel.socketOptions.forgetEarly();
        channel.connectedTo(attempt);
        channel.becomeActive();
        promise.trySuccess();
    }

    private void fail(Exception cause) {
        channel.connector = null;
        promise.tryFailure(cause);
        channel.closeNow(null);
    }

    /** The channel was closed while connecting: the connect is cancelled with it. */
    void channelClosed() {
        channel.connector = null;
        CancellationException cancelled = new CancellationException("connect " + target
                + " cancelled: the channel was closed while connecting");
        cancelled.initCause(new ClosedChannelException());
        promise.tryFailure(cancelled);
    }

    private InetSocketAddress localFor(InetSocketAddress remote) throws UnknownHostException {
        InetAddress local = localAddress.getAddress();
        boolean remoteV6 = remote.getAddress() instanceof Inet6Address;
        if (local.isAnyLocalAddress() && (local instanceof Inet6Address) != remoteV6) {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[remoteV6 ? 16 : 4]), localAddress.getPort());
        }
        return localAddress;
    }

    private static ConnectException asConnectException(IOException e) {
        ConnectException connect = new ConnectException(e.getMessage());
        connect.initCause(e);
        return connect;
    }
}
