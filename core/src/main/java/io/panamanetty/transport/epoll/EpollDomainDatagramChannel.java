package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Epoll;
import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.FileIo;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.ScmRights;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.bindings.UnixSockets;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.DatagramChannelConfig;
import io.panamanetty.channel.DatagramTooLargeException;
import io.panamanetty.channel.DescriptorsTruncatedException;
import io.panamanetty.channel.DomainDatagramChannel;
import io.panamanetty.channel.DomainDatagramPacket;
import io.panamanetty.channel.DomainSocketAddress;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.internal.ChannelSetup;
import io.panamanetty.file.FileDescriptorHandle;
import io.panamanetty.transport.socket.UnixAddresses;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;

/**
 * A Unix domain datagram socket on epoll ({@link DomainDatagramChannel}): one
 * {@code recvmsg} per datagram, received into the loop's scratch memory and copied into a
 * buffer of its size; sends by {@link DomainDatagramOutput}. Bound to a path, the channel
 * removes its socket file when it closes (not one that replaced it); unbound, it is
 * autobound to an abstract name so that peers can answer. With
 * {@link ChannelOption#UNIX_RECEIVE_DESCRIPTORS} the descriptors passed with a datagram are
 * fired, each as a {@link FileDescriptorHandle}, before it. Event-loop confined except where noted.
 */
final class EpollDomainDatagramChannel extends AbstractEpollChannel implements DomainDatagramChannel {
    private final Config config = new Config(this);
    private final DomainDatagramOutput output = new DomainDatagramOutput(this, pipeline);
    private volatile boolean connected;
    private UnixSocketFile socketFile;
    /** What each datagram is received into (the largest one allowed), then copied out at its size. */
    private Buffer scratch;
    private final int[] received = new int[ScmRights.maxDescriptorsPerMessage()];
    private int receivedCount;

    EpollDomainDatagramChannel(EventLoop loop) {
        super(loop);
        unix = true;
    }

    /** The options of a Unix datagram socket: those of datagrams, descriptors, and socket options on its fd. */
    private static final class Config extends DatagramChannelConfig {
        private final EpollDomainDatagramChannel channel;
        private volatile int receiveDescriptors;

        Config(EpollDomainDatagramChannel channel) {
            this.channel = channel;
        }

        @Override
        public boolean isConfigOption(ChannelOption<?> option) {
            return option == ChannelOption.UNIX_RECEIVE_DESCRIPTORS || super.isConfigOption(option);
        }

        @Override
        protected void autoReadChanged(boolean on) {
            channel.autoReadChanged(on);
        }

        @Override
        protected void setTransportOption(ChannelOption<?> option, Object value) throws IOException {
            if (option == ChannelOption.UNIX_RECEIVE_DESCRIPTORS) {
                int most = (Integer) value;
                if (most < 0 || most > ScmRights.maxDescriptorsPerMessage()) {
                    throw new IllegalArgumentException(option + " takes 0 (off) to "
                            + ScmRights.maxDescriptorsPerMessage() + " descriptors per read, not " + most);
                }
                receiveDescriptors = most;
                return;
            }

            channel.applySocketOption(option, value);
        }

        @Override
        protected Object getTransportOption(ChannelOption<?> option) throws IOException {
            if (option == ChannelOption.UNIX_RECEIVE_DESCRIPTORS) {
                return receiveDescriptors;
            }

            return channel.readSocketOption(option);
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
    public DomainSocketAddress localAddress() {
        return (DomainSocketAddress) localAddress;
    }

    @Override
    public DomainSocketAddress remoteAddress() {
        return (DomainSocketAddress) remoteAddress;
    }

    // ------------------------------------------------------- becoming active

    /** Opens, binds (or autobinds) and (optionally) connects the socket, then registers and goes active; on the loop. */
    void open(ChannelSetup setup, DomainSocketAddress local, DomainSocketAddress remote, ChannelPromise promise) {
        try {
            fd = UnixSockets.open(Sockets.SOCK_DGRAM);
            applySetupOptions(setup);   // those of the TCP and IP levels are left out
            applyEarlyOptions();
            forgetEarlyOptions();
            if (local != null && !local.isUnnamed()) {
                socketFile = UnixSocketFile.bindDatagram(fd, local);   // a stale file is reported, never removed
            } else {
                UnixSockets.bind(fd, new byte[0]);   // autobind: an abstract name, so that peers can answer
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

    private void connectSocket(DomainSocketAddress remote) throws NativeIoException {
        if (remote.isUnnamed()) {
            throw Errno.exception(Errno.ECONNREFUSED, "connect", "the unnamed Unix socket address (nobody is there)");
        }
        UnixSockets.connect(fd, UnixAddresses.sunPath(remote));   // a datagram connect completes at once
        remoteAddress = remote;
        connected = true;
    }

    @Override
    public ChannelFuture connect(SocketAddress remote) {
        return pipeline.connect(remote, null, newPromise());   // through the handlers, as on a stream
    }

    /** A connect reached the head of the pipeline: the socket's peer is set (nothing is sent). */
    @Override
    protected void connectNow(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
        DomainSocketAddress remote = UnixAddresses.of(remoteAddress);
        if (remote == null || localAddress != null) {
            promise.tryFailure(new IllegalArgumentException("a Unix domain datagram channel connects to a Unix domain"
                    + " socket address, without a local one, not " + remoteAddress
                    + (localAddress != null ? " from " + localAddress : "")));
            return;
        }
        onLoopOrFail(promise, () -> connectSocket(remote));
    }

    @Override
    public ChannelFuture disconnect() {
        return pipeline.disconnect(newPromise());
    }

    /** A disconnect reached the head: the socket forgets its peer ({@code connect(AF_UNSPEC)}) and stays open. */
    @Override
    protected void disconnectNow(ChannelPromise promise) {
        onLoopOrFail(promise, () -> {
            UnixSockets.disconnect(fd);
            connected = false;
            remoteAddress = null;
        });
    }

    /** An action on the socket that may fail. */
    private interface SocketAction {
        void run() throws IOException;
    }

    private void onLoopOrFail(ChannelPromise promise, SocketAction action) {
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
                int error = pendingSocketError();   // not reading: take it, or epoll reports it again and again
                if (error != 0) {
                    pipeline.fireExceptionCaught(Errno.exception(error, "recvmsg", "on " + this));
                }
            }
        }
    }

    @Override
    void refreshInterest() {
        boolean reading = active && (config.isAutoRead() || readRequested);
        setInterest((reading ? Epoll.EPOLLIN : 0) | (output.waitingForWritable ? Epoll.EPOLLOUT : 0));
    }

    private void readReady() {
        int size = config.maxDatagramSize();
        if (scratch == null || scratch.capacity() < size) {
            if (scratch != null) {
                scratch.release();
            }
            scratch = config.allocator().allocate(size);
        }
        int descriptors = config.receiveDescriptors;
        DomainDatagramIo io = DomainDatagramIo.current();
        boolean readSome = false;
        int reads = config.maxMessagesPerRead();
        for (int i = 0; i < reads; i++) {
            long n = io.receive(fd, scratch.memoryAddress(), size, descriptors);
            if (n < 0) {
                if (n != -Errno.EAGAIN && n != -Errno.EINTR) {
                    pipeline.fireExceptionCaught(Errno.exception((int) -n, "recvmsg", "on " + this));
                }
                break;
            }
            readRequested = false;
            DomainSocketAddress sender = UnixAddresses.fromSunPath(io.sender());
            if (descriptors > 0 && io.controlLength() > 0 && !fireDescriptors(io, descriptors)) {
                return;   // closed by a handler
            }
            if (n > size) {
                pipeline.fireExceptionCaught(new DatagramTooLargeException((int) n, size, null));
            } else {
                Buffer content = config.allocator().allocate((int) n);
                content.writeBytes(scratch.segment().asSlice(0, n));
                readSome = true;
                pipeline.fireChannelRead(new DomainDatagramPacket(content, (DomainSocketAddress) localAddress, sender));
            }
            if (!open) {
                return;   // closed by a handler: the fd may already belong to someone else
            }
            if (!config.isAutoRead() && !readRequested) {
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

    /** Fires the descriptors that came with a datagram (or closes them and reports a cut); false if the channel closed. */
    private boolean fireDescriptors(DomainDatagramIo io, int room) {
        receivedCount = 0;
        ScmRights.forEachReceived(io.control, io.controlLength(), fd -> received[receivedCount++] = fd);
        int count = receivedCount;
        if (io.controlTruncated()) {
            closeReceived(0, count);
            pipeline.fireExceptionCaught(new DescriptorsTruncatedException(count, room));
            return open;
        }
        for (int i = 0; i < count; i++) {
            if (!open) {
                closeReceived(i, count);
                return false;
            }
            pipeline.fireChannelRead(FileDescriptorHandle.adopt(received[i]));
        }
        return open;
    }

    private void closeReceived(int from, int to) {
        for (int i = from; i < to; i++) {
            FileIo.close(received[i]);
        }
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
        if (scratch != null) {
            scratch.release();
            scratch = null;
        }
        if (socketFile != null) {
            socketFile.remove();
            socketFile = null;
        }
    }

    @Override
    protected String kind() {
        return "DomainDatagramChannel";
    }
}
