package io.panamanetty.transport.uring;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.FileIo;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelInputShutdownEvent;
import io.panamanetty.channel.ChannelOutputShutdownEvent;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.PeerCredentials;
import io.panamanetty.channel.StreamChannel;
import io.panamanetty.channel.StreamChannelConfig;
import io.panamanetty.channel.TcpInfo;
import io.panamanetty.channel.internal.ChannelSetup;
import io.panamanetty.channel.internal.ConnectAddresses;
import io.panamanetty.channel.internal.SafeLog;
import io.panamanetty.transport.socket.AcceptedHandOver;
import io.panamanetty.transport.socket.ConnectGate;
import io.panamanetty.transport.socket.SocketQueries;
import io.panamanetty.transport.socket.SocketStreamConfig;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.RejectedExecutionException;

/**
 * A TCP connection on io_uring: the input side (receives from the loop's provided-buffer
 * ring, multishot while auto-read is on) is {@link IoUringStreamInput}, the output side
 * {@link IoUringStreamOutput}, connecting {@link IoUringConnector}. End of input and
 * half-closure as on epoll; closing cancels the operations in flight and closes the fd once
 * their last completion has come. Event-loop confined except where noted.
 */
final class IoUringSocketChannel extends AbstractIoUringChannel implements StreamChannel {
    private final SocketStreamConfig config = new SocketStreamConfig(socketOptions, on -> autoReadChanged());
    private final IoUringStreamOutput output = new IoUringStreamOutput(this, pipeline);
    private final IoUringStreamInput input = new IoUringStreamInput(this, pipeline);
    private boolean inputShutdown;
    private boolean closeWhenDrained;   // the input ended (no half-closure) with writes unfinished
    /** Set while connecting: it is handed the connect's completions. */
    IoUringConnector connector;
    /** Refuses a second connect while one runs (or resolves its address) and any once connected. */
    private final ConnectGate connectGate = new ConnectGate();
    /** The sockaddr and timespec of the connect attempts: kept until the channel is quiet. */
    MemorySegment connectMemory;

    IoUringSocketChannel(EventLoop loop) {
        super(loop);
    }

    @Override
    public StreamChannelConfig config() {
        return config;
    }

    @Override
    public boolean isWritable() {
        return open && output.isWritable();
    }

    // ------------------------------------------------------- becoming active

    /** Takes over an accepted socket: options, handlers, registration, then active. */
    void initAccepted(int acceptedFd, ChannelSetup setup) {
        fd = acceptedFd;
        AcceptedHandOver.takeOver(this, () -> {
            socketOptions.applySetup(setup);
            remoteAddress = SocketQueries.remoteAddress(this, null);
            cacheLocalAddress();
            setup.initPipeline(this);
            register();
        }, () -> {
            fireRegistered();
            becomeActive();
        });
    }

    void becomeActive() {
        if (!open) {
            return;
        }
        active = true;
        pipeline.fireChannelActive();
        if (open) {
            output.channelActive();
        }
        if (open) {
            input.start();
        }
    }

    @Override
    protected void connectNow(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
        if (!connectGate.admit(active, connector != null, promise)) {
            return;
        }
        if (!(remoteAddress instanceof InetSocketAddress)
                || (localAddress != null && !(localAddress instanceof InetSocketAddress))) {
            promise.tryFailure(new IllegalArgumentException("an io_uring channel connects to an InetSocketAddress, not "
                    + remoteAddress));
            closeNow(null);
            return;
        }
        String target = ConnectGate.target(remoteAddress);
        ConnectAddresses.resolve(this, remoteAddress, localAddress, promise, addresses -> new IoUringConnector(
                this, setup(), (InetSocketAddress) localAddress, addresses, target, promise).start());
    }

    /** A connect attempt's new socket: the old one leaves the ring and is closed once quiet. */
    void replaceFd(int newFd) {
        int old = fd;
        cancelRegistration(() -> {
            if (old >= 0) {
                FileIo.close(old);
            }
        });
        fd = newFd;
        socketOptions.socketReplaced();
    }

    @Override
    public boolean isConnecting() {
        return connector != null;
    }

    void connectRegistered() {
        fireRegistered();
    }

    void connectedTo(SocketAddress peer) {
        remoteAddress = peer;
        cacheLocalAddress();
    }

    // ------------------------------------------------------------- completions

    @Override
    public void complete(int op, int res, int flags) {
        switch (op) {
            case IoUringStreamInput.OP_RECV, IoUringStreamInput.OP_RECV_MULTISHOT, IoUringStreamInput.OP_CANCEL ->
                    input.completed(op, res, flags);
            case IoUringStreamOutput.OP_WRITE -> output.writeCompleted(res);
            case IoUringConnector.OP_CONNECT, IoUringConnector.OP_CONNECT_TIMEOUT -> {
                if (connector != null) {
                    connector.completed(op, res);
                }
            }
            default -> SafeLog.warning(IoUringSocketChannel.class, () -> "completion of unknown operation " + op
                    + " on " + this, null);
        }
    }

    // ------------------------------------------------------------- reads

    @Override
    protected void readNow() {
        if (open && !inputShutdown) {
            input.readRequested();
        }
    }

    private void autoReadChanged() {
        if (loop.inEventLoop()) {
            if (open) {
                input.autoReadChanged();
            }
        } else {
            loop.execute(this::autoReadChanged);
        }
    }

    /** The peer's FIN, read: half-closure as on epoll. */
    void inputEnded() {
        inputShutdown = true;
        if (!config.isAllowHalfClosure()) {
            try {
                loop.execute(this::closeAfterLastRead);
            } catch (RejectedExecutionException e) {
                closeAfterLastRead();
            }
            return;
        }
        pipeline.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        if (open && output.isShutdownDone()) {
            closeNow(null);
        }
    }

    private void closeAfterLastRead() {
        if (open) {
            output.flush();
            if (output.hasQueuedWrites()) {
                closeWhenDrained = true;   // a write in flight or waiting: what the peer is owed leaves first
                return;
            }
            closeNow(null);
        }
    }

    /** The output queue ran empty after a write completed: the close the end of input asked for. */
    void outputDrained() {
        if (closeWhenDrained && open) {
            closeNow(null);
        }
    }

    @Override
    public boolean isInputShutdown() {
        return inputShutdown;
    }

    @Override
    public boolean isOutputShutdown() {
        return output.isShutdown();
    }

    @Override
    public ChannelFuture shutdownInput() {
        ChannelPromise promise = newPromise();
        if (loop.inEventLoop()) {
            shutdownInputNow(promise);
        } else {
            loop.execute(() -> shutdownInputNow(promise));
        }
        return promise;
    }

    private void shutdownInputNow(ChannelPromise promise) {
        if (!open) {
            promise.tryFailure(new ClosedChannelException());
            return;
        }
        if (inputShutdown) {
            promise.trySuccess();
            return;
        }
        if (fd >= 0) {
            int result = Sockets.shutdown(fd, Sockets.SHUT_RD);   // a receive in flight ends with 0
            if (result < 0) {
                promise.tryFailure(Errno.exception(-result, "shutdown", "SHUT_RD on " + this));
                return;
            }
        }
        inputShutdown = true;
        input.release();
        promise.trySuccess();
        pipeline.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        if (open && output.isShutdownDone()) {
            closeNow(null);
        }
    }

    @Override
    public ChannelFuture shutdownOutput() {
        return output.shutdown();
    }

    void outputShutdownDone() {
        pipeline.fireUserEventTriggered(ChannelOutputShutdownEvent.INSTANCE);
        if (open && inputShutdown) {
            closeNow(null);
        }
    }

    @Override
    public TcpInfo tcpInfo() {
        return SocketQueries.tcpInfo(this);
    }

    /** {@inheritDoc} An io_uring channel is a TCP socket: this throws {@link UnsupportedOperationException} once connected. */
    @Override
    public PeerCredentials peerCredentials() {
        return SocketQueries.peerCredentials(this);
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
    public long pendingOutboundBytes() {
        return output.pendingBytes();
    }

    @Override
    public long writtenOutboundBytes() {
        return output.writtenBytes();
    }

    /** Write SQEs submitted so far (for tests; read it on the loop). */
    long writesSubmitted() {
        return output.writesSubmitted();
    }

    /** Writes that left with a direct {@code send} instead of an SQE (for tests). */
    long directSends() {
        return output.directSends();
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
    void releaseAtClose() {
        input.release();
        output.channelClosing();
        if (connector != null) {
            connector.channelClosed();
        }
    }

    @Override
    void releaseWhenQuiet() {
        output.channelQuiet();
        connectMemory = null;   // the kernel has read the address and timeout: the collector may have it
    }
}
