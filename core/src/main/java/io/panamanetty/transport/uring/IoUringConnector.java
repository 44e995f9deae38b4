package io.panamanetty.transport.uring;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.IoUringSqe;
import io.panamanetty.bindings.SockAddr;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.internal.ChannelSetup;
import io.panamanetty.transport.socket.AddressWalk;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Connects an {@link IoUringSocketChannel}: each resolved address in turn ({@link AddressWalk})
 * gets a socket of its own and an {@code IORING_OP_CONNECT}, linked to an
 * {@code IORING_OP_LINK_TIMEOUT} of what is left of the connect timeout (the timeout cancels
 * the connect: {@code -ECANCELED}, reported as a {@code ConnectTimeoutException}). A failed attempt's socket leaves the ring
 * and is closed once its operations are quiet. Event-loop confined.
 */
final class IoUringConnector {
    static final int OP_CONNECT = 4;
    static final int OP_CONNECT_TIMEOUT = 5;
    private static final long SOCKADDR_BYTES = SockAddr.SOCKADDR_STORAGE.byteSize();

    private final IoUringSocketChannel channel;
    private final ChannelSetup setup;
    private final ChannelPromise promise;
    private final AddressWalk walk;
    /** The sockaddr, then the {@code __kernel_timespec}, for the kernel to read as it submits. */
    private final MemorySegment memory = Arena.ofAuto().allocate(SOCKADDR_BYTES + 16, 8);
    private long deadline;
    private boolean registeredFired;

    IoUringConnector(IoUringSocketChannel channel, ChannelSetup setup, InetSocketAddress localAddress,
                     List<InetSocketAddress> addresses, String target, ChannelPromise promise) {
        this.channel = channel;
        this.setup = setup;
        this.promise = promise;
        this.walk = new AddressWalk(addresses, localAddress, target, this::attempt, this::fail,
                () -> channel.connector == this);
    }

    void start() {
        channel.connector = this;
        channel.connectMemory = memory;
        int millis = channel.config().connectTimeoutMillis();
        deadline = millis > 0 ? System.nanoTime() + millis * 1_000_000L : 0;
        walk.next();
    }

    private void attempt(InetSocketAddress remote, InetSocketAddress bindTo) throws IOException {
        channel.replaceFd(IoUringSockets.blocking(Sockets.openTcp(remote)));
        channel.socketOptions.applySetupOptions(setup);   // the bootstrap's
        channel.socketOptions.applyEarly();               // then those set on the channel's config meanwhile
        if (bindTo != null) {
            Sockets.bind(channel.fd, bindTo);
        }
        channel.register();
        if (!registeredFired) {
            registeredFired = true;
            channel.connectRegistered();
            if (channel.connector != this) {
                return;   // closed from channelRegistered
            }
        }
        submitConnect(remote);
    }

    private void submitConnect(InetSocketAddress remote) {
        int length = SockAddr.write(memory, remote);
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
            fail(walk.timedOut(channel.config().connectTimeoutMillis()));
        } else {
            Exception failure = walk.attemptFailed(-res);
            if (deadline != 0 && System.nanoTime() >= deadline) {
                fail(failure);
            } else {
                walk.next();
            }
        }
    }

    private void connected() {
        channel.connector = null;
        channel.socketOptions.forgetEarly();
        channel.connectedTo(walk.current());
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
        promise.tryFailure(walk.cancelled());
    }
}
