package io.panamanetty.channel;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.internal.LoopInternals;

import java.net.InetSocketAddress;

/** The loops' side of {@link LoopInternals}: installed as this class initializes. */
final class LoopAccess implements LoopInternals.Access {

    static {
        LoopInternals.install(new LoopAccess());
    }

    private LoopAccess() {
    }

    @Override
    public IoHandler ioHandler(EventLoop loop) {
        return loop instanceof SingleThreadEventLoop threaded ? threaded.ioHandler() : null;
    }

    @Override
    public void flushAtEndOfTurn(EventLoop loop, Runnable flush) {
        switch (loop) {
            case SingleThreadEventLoop threaded -> threaded.flushAtEndOfTurn(flush);
            case EmbeddedEventLoop embedded -> embedded.flushAtEndOfTurn(flush);
            default -> throw new IllegalArgumentException("not a loop of this library: " + loop);
        }
    }

    @Override
    public DatagramPacket receivedPacket(EventLoop loop, Buffer content, InetSocketAddress recipient,
                                         InetSocketAddress sender, int segmentSize) {
        if (loop instanceof SingleThreadEventLoop threaded) {
            return threaded.datagramPackets().take(content, recipient, sender, segmentSize);
        }
        return new DatagramPacket(content, recipient, sender, segmentSize);
    }
}
