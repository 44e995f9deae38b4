package io.panamanetty.channel.internal;

import io.panamanetty.channel.EventLoop;

/**
 * The thread of an {@link EventLoop}, carrying what code on it needs without a lookup:
 * its loop, and the buffer ownership bookkeeping of its callbacks.
 */
public final class LoopThread extends Thread {
    private final EventLoop loop;
    /** The buffer ownership bookkeeping of this thread's callbacks. */
    final ReadScope readScope = new ReadScope();

    /** A thread named {@code name} running {@code body}, the loop of {@code loop}. */
    public LoopThread(EventLoop loop, String name, Runnable body) {
        super(body, name);
        this.loop = loop;
    }

    /** The loop this thread runs. */
    public EventLoop loop() {
        return loop;
    }
}
