package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Datagrams;
import io.panamanetty.bindings.Epoll;
import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.Memory;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.SockAddr;
import io.panamanetty.bindings.SockOpt;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.DatagramChannel;
import io.panamanetty.channel.DatagramChannelConfig;
import io.panamanetty.channel.DatagramChannelOption;
import io.panamanetty.channel.DatagramControlTruncatedException;
import io.panamanetty.channel.DatagramTooLargeException;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.internal.ChannelSetup;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.NetworkInterface;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.ClosedChannelException;

/**
 * A UDP socket on epoll: batched receives ({@link DatagramReceiver}) and sends
 * ({@link DatagramOutput}), connect and disconnect, multicast membership. Errors the
 * kernel reports for a peer (ICMP: {@code ECONNREFUSED}, unreachable) and datagrams too
 * large for the receive size go to {@code exceptionCaught}; the channel stays open.
 * Event-loop confined except where noted; the counters are read by tests.
 */
final class EpollDatagramChannel extends AbstractEpollChannel implements DatagramChannel {
    private final Config config = new Config(this);
    private final DatagramReceiver receiver = new DatagramReceiver();
    private final DatagramOutput output = new DatagramOutput(this, pipeline);
    private DatagramAddresses addresses;
    private int family = Sockets.AF_INET;
    /** An IPv6 socket that carries IPv4 too ({@code IPV6_V6ONLY} off: bound to {@code ::}, or not bound). */
    private boolean dualStack;
    /** {@code UDP_GRO} is on: a datagram may stand for several, its segment size in a control message. */
    private boolean gro;
    private volatile boolean connected;
    /** A small native block for the address of connect and disconnect. */
    private long addressScratch;

    /** {@code recvmmsg} calls that returned datagrams, and the datagrams they returned. */
    long receiveCalls;
    long datagramsReceived;
    /** {@code sendmmsg} calls made, their messages sent and the datagrams in those (a coalesced run: one message). */
    long sendCalls;
    long messagesSent;
    long datagramsSent;
    /** Datagrams whose control data the kernel cut ({@code MSG_CTRUNC}), each reported. */
    long controlTruncations;
    /** Times the socket buffer was full ({@code EAGAIN}) and the output waited for EPOLLOUT. */
    long sendWaits;

    EpollDatagramChannel(EventLoop loop) {
        super(loop);
    }

    /** The options of an epoll UDP socket: socket options go to its fd. */
    private static final class Config extends DatagramChannelConfig {
        private final EpollDatagramChannel channel;

        Config(EpollDatagramChannel channel) {
            this.channel = channel;
        }

        @Override
        protected void autoReadChanged(boolean on) {
            channel.autoReadChanged(on);
        }

        @Override
        protected void setTransportOption(ChannelOption<?> option, Object value) throws IOException {
            if (DatagramSocketOptions.isDatagramSocketOption(option)) {
                channel.onLoop(() -> {   // on the loop: never an fd a close on the loop has just let go
                    if (!channel.open) {
                        throw Errno.exception(Errno.EBADF, "setsockopt", option + " on closed " + channel);
                    }
                    if (channel.fd < 0) {
                        throw new IllegalStateException(option + " set before the datagram socket exists:"
                                + " give it to the bootstrap, Bootstrap.option(" + option + ", ...)");
                    }
                    DatagramSocketOptions.apply(channel.fd, channel.family, channel.dualStack, option, value);
                    if (option == DatagramChannelOption.UDP_GRO) {
                        channel.gro = (Boolean) value;
                    }
                    return null;
                });
            } else {
                channel.applySocketOption(option, value);
            }
        }

        @Override
        protected Object getTransportOption(ChannelOption<?> option) throws IOException {
            if (DatagramSocketOptions.isDatagramSocketOption(option)) {
                return channel.onLoop(() -> {
                    if (channel.fd < 0 || !channel.open) {
                        throw Errno.exception(Errno.EBADF, "getsockopt", option + " on closed " + channel);
                    }
                    return DatagramSocketOptions.read(channel.fd, channel.family, option);
                });
            }
            return channel.readSocketOption(option);
        }
    }

    /**
     * A dual-stack socket's IPv4 traffic takes its TOS byte from {@code IP_TOS}, not from the
     * traffic class {@code IPV6_TCLASS} sets: set both.
     */
    @Override
    public void optionApplied(ChannelOption<?> option, Object value) throws NativeIoException {
        if (option == ChannelOption.IP_TOS && dualStack) {
            Sockets.setInt(fd, Sockets.IPPROTO_IP, SockOpt.IP_TOS, (Integer) value);
        }
    }

    @Override
    public DatagramChannelConfig config() {
        return config;
    }

    @Override
    public boolean isWritable() {
        return open && output.isWritable();
    }

    @Override
    public boolean isConnected() {
        return open && connected;
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) localAddress;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) remoteAddress;
    }

    /** The socket's address family. */
    int family() {
        return family;
    }

    DatagramAddresses addresses() {
        return addresses;
    }

    // ------------------------------------------------------- becoming active

    /**
     * The bootstrap's bind reached the head of the pipeline (as a handler left it): opens the
     * socket with the bootstrap's options, binds it and goes active; on the loop.
     */
    @Override
    protected void bindNow(SocketAddress localAddress, ChannelPromise promise) {
        if (!(localAddress instanceof InetSocketAddress local) || local.isUnresolved()) {
            promise.tryFailure(new IllegalArgumentException("a datagram channel binds to a resolved"
                    + " InetSocketAddress, not " + localAddress));
            return;
        }
        if (fd >= 0 || !open) {
            promise.tryFailure(open ? new AlreadyBoundException() : new ClosedChannelException());
            return;
        }
        open(setup(), local, null, promise);
    }

    /** Opens, binds and (optionally) connects the socket, then registers and goes active; on the loop. */
    private void open(ChannelSetup setup, InetSocketAddress local, InetSocketAddress remote, ChannelPromise promise) {
        try {
            InetSocketAddress familyOf = local != null ? local : remote;
            family = SockAddr.family(familyOf);
            fd = Datagrams.openUdp(family);
            addresses = io().datagrams.addresses(family);   // the loop's: shared by its channels
            addressScratch = Memory.malloc(DatagramAddresses.SLOT_SIZE);
            if (family == Sockets.AF_INET6 && (local == null || local.getAddress().isAnyLocalAddress())) {
                Sockets.setInt(fd, Sockets.IPPROTO_IPV6, Sockets.IPV6_V6ONLY, 0);   // dual stack
                dualStack = true;
            }
            applySetupOptions(setup);
            applyEarlyOptions();   // set through the config before the socket existed
            forgetEarlyOptions();
            if (local != null) {
                Sockets.bind(fd, local);
            }
            if (remote != null) {
                connectSocket(remote);
            }
            cacheLocalAddress();
            register(config.isAutoRead() ? Epoll.EPOLLIN : 0);
        } catch (IOException | RuntimeException e) {
            promise.tryFailure(e);
            closeNow(null);
            return;
        }
        fireRegistered();
        active = true;
        pipeline.fireChannelActive();
        promise.trySuccess();
        output.flush();   // what was written before the socket was ready
    }

    private void connectSocket(InetSocketAddress remote) throws NativeIoException {
        MemorySegment name = Memory.segment(addressScratch, DatagramAddresses.SLOT_SIZE);
        int length = Datagrams.writeAddress(name, 0, remote, family);
        int result = Sockets.connect(fd, name, length);
        if (result < 0) {
            throw Errno.exception(-result, "connect", SockAddr.describe(remote));
        }
        remoteAddress = remote;
        connected = true;
    }

    @Override
    public ChannelFuture connect(InetSocketAddress remote) {
        return pipeline.connect(remote, null, newPromise());   // through the handlers, as on TCP
    }

    /**
     * A connect reached the head of the pipeline: the socket's peer is set (no packet is sent).
     * The bootstrap's connect opens the socket first (bound to {@code localAddress} if given).
     */
    @Override
    protected void connectNow(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
        if (!(remoteAddress instanceof InetSocketAddress remote) || remote.isUnresolved()) {
            promise.tryFailure(new IllegalArgumentException("a datagram channel connects to a resolved"
                    + " InetSocketAddress, not " + remoteAddress));
            return;
        }
        if (fd < 0 && open && loop.inEventLoop()) {   // the bootstrap's: no socket yet
            if (localAddress != null && (!(localAddress instanceof InetSocketAddress local) || local.isUnresolved())) {
                promise.tryFailure(new IllegalArgumentException("a datagram channel binds to a resolved"
                        + " InetSocketAddress, not " + localAddress));
                return;
            }
            open(setup(), (InetSocketAddress) localAddress, remote, promise);
            return;
        }
        onLoop(promise, () -> {
            connectSocket(remote);
            cacheLocalAddress();
        });
    }

    @Override
    public ChannelFuture disconnect() {
        return pipeline.disconnect(newPromise());
    }

    /** A disconnect reached the head: the socket forgets its peer and stays open. */
    @Override
    protected void disconnectNow(ChannelPromise promise) {
        onLoop(promise, () -> {
            MemorySegment name = Memory.segment(addressScratch, DatagramAddresses.SLOT_SIZE).fill((byte) 0);
            name.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 0, (short) Sockets.AF_UNSPEC);
            int result = Sockets.connect(fd, name, (int) SockAddr.SOCKADDR_IN.byteSize());
            if (result < 0 && result != -Errno.EAFNOSUPPORT) {   // some kernels answer AF_UNSPEC so, and disconnect
                throw Errno.exception(-result, "connect", "AF_UNSPEC (disconnect) on " + this);
            }
            connected = false;
            remoteAddress = null;
            cacheLocalAddress();
        });
    }

    /** An action on the socket that may fail. */
    private interface SocketAction {
        void run() throws IOException;
    }

    /** Runs {@code action} on the loop, completing {@code promise} with its outcome. */
    private void onLoop(ChannelPromise promise, SocketAction action) {
        Runnable task = () -> {
            if (!open || fd < 0) {
                promise.tryFailure(new ClosedChannelException());
                return;
            }
            try {
                action.run();
                promise.trySuccess();
            } catch (IOException | RuntimeException e) {
                promise.tryFailure(e);
            }
        };
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    // ------------------------------------------------------------ multicast

    @Override
    public ChannelFuture joinGroup(InetAddress group) {
        return membership(group, null, null, true);
    }

    @Override
    public ChannelFuture joinGroup(InetAddress group, NetworkInterface networkInterface) {
        return membership(group, networkInterface, null, true);
    }

    @Override
    public ChannelFuture joinGroup(InetAddress group, NetworkInterface networkInterface, InetAddress source) {
        return membership(group, networkInterface, source, true);
    }

    @Override
    public ChannelFuture leaveGroup(InetAddress group) {
        return membership(group, null, null, false);
    }

    @Override
    public ChannelFuture leaveGroup(InetAddress group, NetworkInterface networkInterface) {
        return membership(group, networkInterface, null, false);
    }

    @Override
    public ChannelFuture leaveGroup(InetAddress group, NetworkInterface networkInterface, InetAddress source) {
        return membership(group, networkInterface, source, false);
    }

    private ChannelFuture membership(InetAddress group, NetworkInterface networkInterface, InetAddress source,
                                     boolean join) {
        ChannelPromise promise = newPromise();
        if (!group.isMulticastAddress()) {
            promise.tryFailure(new IllegalArgumentException(group.getHostAddress() + " is not a multicast address"));
            return promise;
        }
        int ifindex = networkInterface == null ? 0 : networkInterface.getIndex();
        onLoop(promise, () -> MulticastMembership.change(fd, family, dualStack, group, source, ifindex, join));
        return promise;
    }

    // ------------------------------------------------------------- events

    @Override
    void handleEvents(int events) {
        if ((events & Epoll.EPOLLOUT) != 0 && output.waitingForWritable) {
            output.socketWritable();
            if (!open) {
                return;
            }
        }
        if ((events & (Epoll.EPOLLIN | Epoll.EPOLLERR)) != 0) {
            if (config.isAutoRead() || readRequested) {
                readReady();
            } else if ((events & Epoll.EPOLLERR) != 0) {
                reportSocketError();   // not reading: take the pending error, or epoll reports it again and again
            }
        }
    }

    private void reportSocketError() {
        int error = pendingSocketError();
        if (error != 0) {
            pipeline.fireExceptionCaught(Errno.exception(error, "recvmmsg", "on " + this));
        }
    }

    /** Recomputes the epoll interest from the reading and writing state. */
    @Override
    void refreshInterest() {
        boolean reading = active && (config.isAutoRead() || readRequested);
        setInterest((reading ? Epoll.EPOLLIN : 0) | (output.waitingForWritable ? Epoll.EPOLLOUT : 0));
    }

    private void readReady() {
        BufferAllocator allocator = config.allocator();
        int batch = config.datagramsPerReceive();
        int size = config.maxDatagramSize();
        int calls = config.maxMessagesPerRead();
        boolean readSome = false;
        for (int call = 0; call < calls; call++) {
            int received = receiver.receive(fd, batch, size, allocator, io().datagrams);
            if (received < 0) {
                int errno = -received;
                if (errno == Errno.EAGAIN || errno == Errno.EINTR) {
                    break;
                }
                pipeline.fireExceptionCaught(Errno.exception(errno, "recvmmsg", "on " + this));
                if (!open) {
                    return;
                }
                if (isPeerError(errno)) {
                    continue;   // the error is taken; datagrams may follow
                }
                break;
            }
            receiveCalls++;
            datagramsReceived += received;
            readRequested = false;
            for (int i = 0; i < received; i++) {
                InetSocketAddress sender = receiver.sender(i, addresses);
                boolean controlCut = receiver.controlTruncated(i);
                int segmentSize = receiver.segmentSize(i);
                if (receiver.wasTruncated(i)) {
                    pipeline.fireExceptionCaught(new DatagramTooLargeException(receiver.length(i), size, sender));
                } else if (controlCut && gro && segmentSize == 0) {
                    controlTruncations++;   // coalesced or not? its segment size may be what was cut: dropped
                    pipeline.fireExceptionCaught(new DatagramControlTruncatedException(receiver.length(i),
                            MessageArrays.CONTROL_SLOT_SIZE, sender, true));
                } else {
                    Buffer content = receiver.take(i, allocator);
                    readSome = true;
                    int length = content.readableBytes();
                    pipeline.fireChannelRead(LOOPS.receivedPacket(loop, content, (InetSocketAddress) localAddress,
                            sender, segmentSize));
                    if (controlCut && open) {
                        controlTruncations++;   // the datagram is whole; control data it does not read was cut
                        pipeline.fireExceptionCaught(new DatagramControlTruncatedException(length,
                                MessageArrays.CONTROL_SLOT_SIZE, sender, false));
                    }
                }
                if (!open) {
                    return;   // closed by a handler: the fd may already belong to someone else
                }
            }
            if (received < batch || (!config.isAutoRead() && !readRequested)) {
                break;
            }
        }
        if (readSome) {
            pipeline.fireChannelReadComplete();
            if (!open) {
                return;
            }
        }
        refreshInterest();
    }

    /** True for the errors ICMP brings back from a peer: reported, and the socket goes on. */
    static boolean isPeerError(int errno) {
        return errno == Errno.ECONNREFUSED || errno == Errno.EHOSTUNREACH || errno == Errno.ENETUNREACH
                || errno == Errno.EHOSTDOWN || errno == Errno.ENETDOWN;
    }

    @Override
    boolean readsOnRequest() {
        return true;
    }

    // ------------------------------------------------------------- writes

    @Override
    protected void writeNow(Object message, ChannelPromise promise) {
        output.write(message, promise);
        flushAtEndOfTurn();
    }

    @Override
    public void adjustHeldBytes(long delta) {
        output.adjustHeldBytes(delta);
    }

    @Override
    protected void flushNow() {
        output.flush();
    }

    @Override
    protected void flushWrittenThisTurn() {
        output.flush();
    }

    // ---------------------------------------------------------------- close

    @Override
    void releaseResourcesOnClose() {
        output.channelClosed();
        receiver.close();
        if (addressScratch != 0) {
            Memory.free(addressScratch);
            addressScratch = 0;
        }
    }

    @Override
    protected String kind() {
        return "DatagramChannel";
    }
}
