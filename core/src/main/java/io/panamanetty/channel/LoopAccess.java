package io.panamanetty.channel;

import io.panamanetty.channel.internal.LoopInternals;

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
}
