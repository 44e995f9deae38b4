package io.panamanetty.channel;

import io.panamanetty.bindings.Epoll;
import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.FileIo;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.buffer.Buffer;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;

/**
 * A TCP connection on epoll: reads with an adaptive buffer size and a bound per
 * wake-up, gathering writes with {@code writev}, EPOLLOUT only while the socket is
 * full, water marks, half-closure. Connecting is done by {@link SocketConnector}.
 * While a {@link Splice} runs, the splice handles the input ({@link #spliceOut}) or
 * the EPOLLOUT for the pipe ({@link #spliceIn}) instead.
 * Event-loop confined except where noted.
 */
final class EpollSocketChannel extends AbstractChannel {
    private static final int READ_INTEREST = Epoll.EPOLLIN | Epoll.EPOLLRDHUP;

    private final OutboundBuffer outbound = new OutboundBuffer();
    private final AdaptiveReadSize readSize = new AdaptiveReadSize();
    private volatile boolean writable = true;
    /**
     * Outbound bytes handlers hold before they reach {@link #outbound} (see
     * {@link PendingOutboundBytes}); counted toward writability with the queued ones.
     */
    private long heldBytes;
    private boolean flushScheduled;
    private boolean inFlush;
    private boolean waitingForWritable;
    private boolean readRequested;
    private boolean inputShutdown;
    private boolean outputShutdown;
    private ChannelPromise shutdownOutputPromise;
    /** The splice reading this channel's input, if one runs (see {@link Splice}). */
    SpliceDirection spliceOut;
    /** The splice writing into this channel, if one runs. */
    SpliceDirection spliceIn;
    /** Set while connecting: it receives this channel's epoll events. */
    SocketConnector connector;

    EpollSocketChannel(EventLoop loop) {
        super(loop);
    }

    @Override
    public boolean isWritable() {
        return open && writable;
    }

    // ------------------------------------------------------- becoming active

    /** Takes over an accepted socket: options, handlers, registration, then active. */
    void initAccepted(int acceptedFd, ChannelSetup setup) {
        fd = acceptedFd;
        try {
            setup.applyOptions(this);
            try {
                remoteAddress = Sockets.remoteAddress(fd);
            } catch (NativeIoException e) {
                SafeLog.debug(EpollSocketChannel.class, () -> "peer of accepted fd " + fd + " already gone: " + e.getMessage());
            }
            cacheLocalAddress();
            setup.initPipeline(this);
            register(0);
        } catch (Throwable t) {
            SafeLog.warning(EpollSocketChannel.class, () -> "could not set up accepted connection " + this + "; closed", t);
            closeNow(null);
            return;
        }
        try {
            pipeline.fireChannelRegistered();
            becomeActive();
        } catch (Throwable t) {   // the channel owns the fd now: never let the acceptor close it too
            SafeLog.warning(EpollSocketChannel.class, () -> "activating " + this + " failed; closed", t);
            closeNow(null);
        }
    }

    /** The socket is connected: fire channelActive and start reading. */
    void becomeActive() {
        if (!open) {
            return;
        }
        active = true;
        updateInterest();
        pipeline.fireChannelActive();
        if (open && !outbound.isEmpty()) {
            flush0();
        } else if (open && shutdownOutputPromise != null) {
            shutdownOutputNow();   // requested while connecting, with nothing queued
        }
    }

    // ------------------------------------------------------------- events

    @Override
    void handleEvents(int events) {
        if (connector != null) {
            connector.socketReady();
            return;
        }
        if ((events & Epoll.EPOLLOUT) != 0) {
            if (waitingForWritable) {
                waitingForWritable = false;
                updateInterest();
                flush0();
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

    private void updateInterest() {
        if (connector != null) {
            return;   // connecting: the connector's EPOLLOUT stays until becomeActive() sets the interest
        }
        boolean reading = active && !inputShutdown
                && (spliceOut != null ? spliceOut.wantsSourceInput() : config.isAutoRead() || readRequested);
        boolean writing = waitingForWritable || (spliceIn != null && spliceIn.wantsTargetWritable());
        setInterest((reading ? READ_INTEREST : 0) | (writing ? Epoll.EPOLLOUT : 0));
        if (reading && isSuspended()) {
            resumeEvents();   // parked after a hang-up: reading is wanted again
        }
    }

    /** Recomputes the epoll interest after a splice changed its mind. */
    void refreshInterest() {
        updateInterest();
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
                updateInterest();
            }
            return;
        }
        boolean peerClosing = (events & Epoll.EPOLLRDHUP) != 0 || hangup;
        boolean readSome = false;
        boolean endOfInput = false;
        IOException failure = null;
        int maxReads = config.maxMessagesPerRead();
        for (int i = 0; i < maxReads; i++) {
            Buffer buffer = config.allocator().allocate(readSize.next());
            int room = buffer.writableBytes();
            long n = FileIo.read(fd, buffer.memoryAddress() + buffer.writerIndex(), room);
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
            updateInterest();
        }
    }

    /** A splice from this channel met end of input and has passed it on. */
    void spliceInputEnded() {
        if (!inputShutdown) {
            inputEnded();
        }
    }

    /** True once end of input was seen (half-closure). */
    boolean isInputShutdown() {
        return inputShutdown;
    }

    /** True once the output is shut down or a shutdown is requested. */
    boolean isOutputShutdown() {
        return outputShutdown || shutdownOutputPromise != null;
    }

    /** True while ordinary writes wait in the outbound queue. */
    boolean hasQueuedWrites() {
        return !outbound.isEmpty();
    }

    private void inputEnded() {
        if (!config.isAllowHalfClosure()) {
            closeNow(null);
            return;
        }
        inputShutdown = true;
        updateInterest();
        pipeline.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        if (open && outputShutdown) {
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
        if (waitingForWritable) {
            waitingForWritable = false;
            flushNow();   // EPOLLOUT is about to go too: settle the queued writes now (they fail, or leave)
            if (!open) {
                return;
            }
        }
        suspendEvents();
    }

    private void closeWithSocketError() {
        int error = pendingSocketError();
        if (error != 0) {
            pipeline.fireExceptionCaught(Errno.exception(error, "socket", "error on " + this));
        }
        closeNow(null);
    }

    /** {@return the socket's pending error ({@code SO_ERROR}, read and cleared), or the errno of reading it; 0 if none} */
    int pendingSocketError() {
        try {
            return Sockets.getInt(fd, Sockets.SOL_SOCKET, Sockets.SO_ERROR);
        } catch (NativeIoException e) {
            return e.errno();
        }
    }

    @Override
    void readNow() {
        if (!open || inputShutdown) {
            return;
        }
        readRequested = true;
        updateInterest();
    }

    @Override
    void autoReadChanged(boolean on) {
        if (loop.inEventLoop()) {
            if (!on) {
                readRequested = false;
            }
            updateInterest();
        } else {
            loop.execute(() -> autoReadChanged(config.isAutoRead()));
        }
    }

    // ------------------------------------------------------------- writes

    @Override
    void writeNow(Object message, ChannelPromise promise) {
        if (!open || outputShutdown || shutdownOutputPromise != null) {
            if (message instanceof Buffer buffer) {
                buffer.release();
            }
            promise.tryFailure(open ? new IOException("output of " + this + " is shut down")
                    : new ClosedChannelException());
            return;
        }
        Buffer buffer;
        try {
            buffer = OutboundMessages.toBuffer(message, config.allocator());
        } catch (RuntimeException e) {
            promise.tryFailure(e);
            return;
        }
        outbound.add(buffer, promise);
        if (writable && outbound.pendingBytes() + heldBytes > config.writeBufferHighWaterMark()) {
            writable = false;
            pipeline.fireChannelWritabilityChanged();
        }
        if (!flushScheduled) {
            flushScheduled = true;
            loop.flushAtEndOfTurn(this);
        }
    }

    /**
     * Adds {@code delta} (negative: subtracts) to the bytes handlers hold; see
     * {@link PendingOutboundBytes}. Writability changes at once, its event in a later task.
     */
    void adjustHeldBytes(long delta) {
        heldBytes = Math.max(0, heldBytes + delta);
        if (!open) {
            return;
        }
        long pending = outbound.pendingBytes() + heldBytes;
        boolean flipped = writable ? pending > config.writeBufferHighWaterMark()
                : pending < config.writeBufferLowWaterMark();
        if (flipped) {
            writable = !writable;
            // Later, not inside the handler's own write() or between its steps (as Netty does).
            loop.execute(() -> {
                if (open) {
                    pipeline.fireChannelWritabilityChanged();
                }
            });
        }
    }

    @Override
    void flushNow() {
        flush0();
    }

    @Override
    void flushAtEndOfTurn() {
        flushScheduled = false;
        flush0();
    }

    private void flush0() {
        if (inFlush || !open || !active || waitingForWritable || outbound.isEmpty()) {
            return;   // inFlush: a write promise's listener flushed; the running flush goes on
        }
        inFlush = true;
        try {
            flushQueued();
        } finally {
            inFlush = false;
        }
    }

    private void flushQueued() {
        EpollIoHandler io = loop.io();
        int spins = config.writeSpinCount();
        for (int i = 0; i < spins && !outbound.isEmpty(); i++) {
            long written;
            int entries;
            if (outbound.size() == 1) {
                Buffer only = outbound.first();   // null if it was released before being sent
                entries = only != null && only.readableBytes() > 0 ? 1 : 0;
                written = entries == 0 ? 0
                        : FileIo.write(fd, only.memoryAddress() + only.readerIndex(), only.readableBytes());
            } else {
                entries = outbound.fillIovecs(io.iovecs, FileIo.IOV_MAX);
                written = entries == 0 ? 0 : FileIo.writev(fd, io.iovecs.address(), entries);
            }
            if (written == -Errno.EAGAIN || (written == 0 && entries > 0)) {
                waitingForWritable = true;
                updateInterest();
                break;
            }
            if (written < 0) {
                IOException failure = Errno.exception((int) -written, entries > 1 ? "writev" : "write", null);
                outbound.failAll(failure);
                pipeline.fireExceptionCaught(failure);
                closeNow(null);
                return;
            }
            outbound.removeWritten(written);
        }
        if (!outbound.isEmpty() && !waitingForWritable) {
            loop.execute(this::flush0);   // spin limit: let the other channels have a turn
        }
        if (open && !writable && outbound.pendingBytes() + heldBytes < config.writeBufferLowWaterMark()) {
            writable = true;
            pipeline.fireChannelWritabilityChanged();
        }
        if (open && outbound.isEmpty() && shutdownOutputPromise != null) {
            shutdownOutputNow();
        }
        if (open && outbound.isEmpty() && spliceIn != null) {
            spliceIn.targetQueueDrained();
        }
    }

    // ------------------------------------------------------- half-closure

    @Override
    public ChannelFuture shutdownOutput() {
        ChannelPromise promise = newPromise();
        if (loop.inEventLoop()) {
            requestShutdownOutput(promise);
        } else {
            loop.execute(() -> requestShutdownOutput(promise));
        }
        return promise;
    }

    private void requestShutdownOutput(ChannelPromise promise) {
        if (!open) {
            promise.tryFailure(new ClosedChannelException());
        } else if (outputShutdown) {
            promise.trySuccess();
        } else if (shutdownOutputPromise != null) {
            shutdownOutputPromise.addListener(f -> {
                if (f.isSuccess()) {
                    promise.trySuccess();
                } else {
                    promise.tryFailure(f.cause());
                }
            });
        } else {
            shutdownOutputPromise = promise;
            if (outbound.isEmpty() && active) {
                shutdownOutputNow();
            }
        }
    }

    private void shutdownOutputNow() {
        ChannelPromise promise = shutdownOutputPromise;
        shutdownOutputPromise = null;
        int result = Sockets.shutdown(fd, Sockets.SHUT_WR);
        outputShutdown = true;
        if (result < 0) {
            promise.tryFailure(Errno.exception(-result, "shutdown", "SHUT_WR on " + this));
        } else {
            promise.trySuccess();
        }
        if (inputShutdown) {
            closeNow(null);
        }
    }

    // ---------------------------------------------------------------- close

    @Override
    void releaseResourcesOnClose() {
        ClosedChannelException closed = new ClosedChannelException();
        outbound.failAll(closed);
        if (shutdownOutputPromise != null) {
            shutdownOutputPromise.tryFailure(closed);
            shutdownOutputPromise = null;
        }
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
