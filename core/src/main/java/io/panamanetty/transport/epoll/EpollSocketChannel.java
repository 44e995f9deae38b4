package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Epoll;
import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.FileIo;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.buffer.Buffer;
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
import io.panamanetty.transport.socket.AcceptedHandOver;
import io.panamanetty.transport.socket.ConnectGate;
import io.panamanetty.transport.socket.SocketQueries;
import io.panamanetty.transport.socket.SocketStreamConfig;
import io.panamanetty.transport.socket.UnixAddresses;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.RejectedExecutionException;
import java.nio.channels.ClosedChannelException;

/**
 * A TCP connection, or a Unix domain stream socket, on epoll: reads with an adaptive buffer size and a bound per
 * wake-up, drains input before acting on a hang-up, half-closure; the output side
 * (gathering writes, water marks, FIN) is {@link EpollStreamOutput}. Connecting is done
 * by {@link SocketConnector} (TCP) or {@link UnixConnector}. While a {@link Splice} runs, the splice handles the input
 * ({@link #spliceOut}) or the EPOLLOUT for the pipe ({@link #spliceIn}) instead.
 * Event-loop confined except where noted.
 */
final class EpollSocketChannel extends AbstractEpollChannel implements StreamChannel {
    private static final int READ_INTEREST = Epoll.EPOLLIN | Epoll.EPOLLRDHUP;

    private final SocketStreamConfig config = new SocketStreamConfig(socketOptions, this::autoReadChanged);
    private final EpollStreamOutput output = new EpollStreamOutput(this, pipeline);
    private final AdaptiveReadSize readSize = new AdaptiveReadSize();
    private boolean inputShutdown;
    private boolean closeWhenDrained;   // the input ended (no half-closure) with the socket full
    /** The splice reading this channel's input, if one runs (see {@link Splice}). */
    SpliceDirection spliceOut;
    /** The splice writing into this channel, if one runs. */
    SpliceDirection spliceIn;
    /** Set while connecting: it receives this channel's epoll events. */
    PendingConnect connector;
    /** Refuses a second connect while one runs (or resolves its address) and any once connected. */
    private final ConnectGate connectGate = new ConnectGate();

    EpollSocketChannel(EventLoop loop) {
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
            applySetup(setup);
            remoteAddress = SocketQueries.remoteAddress(this, null);
            cacheLocalAddress();
            setup.initPipeline(this);
            // With the interest becomeActive() is about to set (one epoll_ctl, not ADD then MOD);
            // no event is dispatched before it, as both run in this turn of the loop.
            register(config.isAutoRead() ? READ_INTEREST : 0);
        }, () -> {
            fireRegistered();
            becomeActive();
        });
    }

    /** The socket is connected: fire channelActive and start reading. */
    void becomeActive() {
        if (!open) {
            return;
        }
        active = true;
        refreshInterest();
        pipeline.fireChannelActive();
        if (open) {
            output.channelActive();
        }
    }

    /**
     * A connect reached the head of the pipeline: a Unix domain socket address is connected
     * to by a {@link UnixConnector}; an Internet one is resolved (off the loop if it needs to
     * be), then each of its addresses is tried in turn by a {@link SocketConnector}.
     */
    @Override
    protected void connectNow(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
        if (!connectGate.admit(active, connector != null, promise)) {
            return;
        }
        String target = ConnectGate.target(remoteAddress);
        if (UnixAddresses.isUnix(remoteAddress) || UnixAddresses.isUnix(localAddress)) {
            UnixConnector.connect(this, setup(), remoteAddress, localAddress, promise);
            return;
        }
        ConnectAddresses.resolve(this, remoteAddress, localAddress, promise, addresses -> new SocketConnector(
                this, setup(), (InetSocketAddress) localAddress, addresses, target, promise).start());
    }

    /** The connect to {@code peer} succeeded: the addresses are known. */
    void connectedTo(SocketAddress peer) {
        remoteAddress = peer;
        cacheLocalAddress();
    }

    @Override
    public boolean isConnecting() {
        return connector != null;
    }

    /** Registered for connecting: fires channelRegistered (once, whatever the number of attempts). */
    void connectRegistered() {
        fireRegistered();
    }

    // ------------------------------------------------------------- events

    @Override
    void handleEvents(int events) {
        if (connector != null) {
            connector.socketReady();
            return;
        }
        if ((events & Epoll.EPOLLOUT) != 0) {
            if (output.waitingForWritable) {
                output.socketWritable();
                if (closeWhenDrained && open && !output.hasQueuedWrites()) {
                    closeNow(null);
                }
                if (!open) {
                    return;
                }
            }
            if (spliceIn != null) {
                spliceIn.targetWritable();
                if (!open) {
                    return;
                }
            }
        }
        if ((events & (READ_INTEREST | Epoll.EPOLLERR | Epoll.EPOLLHUP)) != 0) {
            if (spliceOut != null) {
                spliceOut.sourceReady(events);
            } else {
                readReady(events);
            }
        }
    }

    /** Recomputes the epoll interest from the reading and writing state (and a splice's). */
    @Override
    void refreshInterest() {
        if (connector != null) {
            return;   // connecting: the connector's EPOLLOUT stays until becomeActive() sets the interest
        }
        boolean reading = active && !inputShutdown
                && (spliceOut != null ? spliceOut.wantsSourceInput() : config.isAutoRead() || readRequested);
        boolean writing = output.waitingForWritable || (spliceIn != null && spliceIn.wantsTargetWritable());
        setInterest((reading ? READ_INTEREST : 0) | (writing ? Epoll.EPOLLOUT : 0));
        if (reading && isSuspended()) {
            resumeEvents();   // parked after a hang-up: reading is wanted again
        }
    }

    private void readReady(int events) {
        boolean hangup = (events & (Epoll.EPOLLHUP | Epoll.EPOLLERR)) != 0;
        if (inputShutdown) {
            if (hangup) {
                closeWithSocketError();
            }
            return;
        }
        if (!config.isAutoRead() && !readRequested) {
            if (hangup) {
                hangUpWhileNotReading();
            } else {
                refreshInterest();
            }
            return;
        }
        boolean peerClosing = (events & Epoll.EPOLLRDHUP) != 0 || hangup;
        boolean readSome = false;
        boolean endOfInput = false;
        IOException failure = null;
        int maxReads = config.maxMessagesPerRead();
        int descriptors = unix ? config.receiveDescriptors() : 0;   // 0: plain reads
        for (int i = 0; i < maxReads; i++) {
            Buffer buffer = config.allocator().allocate(readSize.next());
            int room = buffer.writableBytes();
            long address = buffer.memoryAddress() + buffer.writerIndex();
            long n = descriptors == 0 ? FileIo.read(fd, address, room)
                    : PassedDescriptors.receive(this, pipeline, address, room, descriptors);
            if (!open) {   // a handler of a received descriptor closed the channel
                buffer.release();
                return;
            }
            if (n <= 0) {
                buffer.release();
                if (n == 0) {
                    endOfInput = true;
                } else if (n != -Errno.EAGAIN) {
                    failure = Errno.exception((int) -n, "read", null);
                }
                break;
            }
            buffer.writerIndex(buffer.writerIndex() + (int) n);
            readSize.record((int) n);
            readSome = true;
            readRequested = false;
            pipeline.fireChannelRead(buffer);
            if (!open) {
                return;   // closed by a handler: the fd may already belong to someone else
            }
            if ((n < room && !peerClosing) || (!config.isAutoRead() && !hangup)) {
                break;
            }
        }
        if (readSome) {
            pipeline.fireChannelReadComplete();
            if (!open) {
                return;
            }
        }
        if (failure != null) {
            pipeline.fireExceptionCaught(failure);
            closeNow(null);
        } else if (endOfInput) {
            inputEnded();
        } else {
            refreshInterest();
        }
    }

    /** A splice from this channel met end of input and has passed it on. */
    void spliceInputEnded() {
        if (!inputShutdown) {
            inputEnded();
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

    /** True while ordinary writes wait in the outbound queue. */
    boolean hasQueuedWrites() {
        return output.hasQueuedWrites();
    }

    private void inputEnded() {
        if (!config.isAllowHalfClosure()) {
            // What the handlers wrote in this read leaves first: the close waits for the tasks
            // they queued (a TlsHandler's flush), then sends what reached the queue. Reading stops.
            inputShutdown = true;
            refreshInterest();
            try {
                loop.execute(this::closeAfterLastRead);
            } catch (RejectedExecutionException e) {
                closeAfterLastRead();
            }
            return;
        }
        inputShutdown = true;
        refreshInterest();
        pipeline.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        if (open && output.isShutdownDone()) {
            closeNow(null);
        }
    }

    private void closeAfterLastRead() {
        if (open) {
            output.flush();
            if (output.waitingForWritable && output.hasQueuedWrites()) {
                closeWhenDrained = true;   // the peer may still read: what it is owed leaves first
                return;
            }
            closeNow(null);
        }
    }

    /**
     * The peer hung up (or the socket failed) while nobody asked to read: a reset is
     * reported and closes the channel at once; an orderly hang-up waits, out of epoll,
     * for the next {@code read()} or auto-read, which then reads what is left and the end
     * of input.
     */
    private void hangUpWhileNotReading() {
        int error = pendingSocketError();
        if (error != 0) {
            pipeline.fireExceptionCaught(Errno.exception(error, "socket", "error on " + this));
            closeNow(null);
            return;
        }
        output.hangUpWhileWaiting();   // EPOLLOUT is about to go too
        if (open) {
            suspendEvents();
        }
    }

    private void closeWithSocketError() {
        int error = pendingSocketError();
        if (error != 0) {
            pipeline.fireExceptionCaught(Errno.exception(error, "socket", "error on " + this));
        }
        closeNow(null);
    }

    @Override
    boolean readsOnRequest() {
        return !inputShutdown;
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

    @Override
    protected void flushNow() {
        output.flush();
    }

    @Override
    protected void flushWrittenThisTurn() {
        output.flush();
    }

    /** The outbound queue has just emptied: a splice into this channel may go on. */
    void outputDrained() {
        if (open && spliceIn != null) {
            spliceIn.targetQueueDrained();
        }
    }

    /** The FIN has been sent: the event, then, with the input ended too, the channel is done. */
    void outputShutdownDone() {
        pipeline.fireUserEventTriggered(ChannelOutputShutdownEvent.INSTANCE);
        if (open && inputShutdown) {
            closeNow(null);
        }
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
            int result = Sockets.shutdown(fd, Sockets.SHUT_RD);
            if (result < 0) {
                promise.tryFailure(Errno.exception(-result, "shutdown", "SHUT_RD on " + this));
                return;
            }
        }
        inputShutdown = true;
        readRequested = false;
        refreshInterest();
        promise.trySuccess();
        pipeline.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        if (open && output.isShutdownDone()) {
            closeNow(null);
        }
    }

    @Override
    public TcpInfo tcpInfo() {
        return SocketQueries.tcpInfo(this);
    }

    @Override
    public PeerCredentials peerCredentials() {
        return SocketQueries.peerCredentials(this);
    }

    @Override
    public ChannelFuture shutdownOutput() {
        return output.shutdown();
    }

    // ---------------------------------------------------------------- close

    @Override
    void releaseResourcesOnClose() {
        output.channelClosed();
        if (connector != null) {
            connector.channelClosed();
        }
        if (spliceOut != null) {
            spliceOut.channelClosed();
        }
        if (spliceIn != null) {
            spliceIn.channelClosed();
        }
    }
}
