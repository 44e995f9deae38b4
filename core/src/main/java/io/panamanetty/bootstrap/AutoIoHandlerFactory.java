package io.panamanetty.bootstrap;

import io.panamanetty.channel.IoHandler;
import io.panamanetty.channel.IoHandlerFactory;
import io.panamanetty.channel.internal.SafeLog;
import io.panamanetty.transport.epoll.EpollIoHandlerFactory;
import io.panamanetty.transport.uring.IoUringIoHandlerFactory;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The transport {@code auto}: io_uring where this kernel and process can run it, epoll
 * otherwise. The choice is made once, as the factory is made, so that every loop of its
 * groups (a server's acceptor and workers alike) runs the same transport; falling back is
 * logged once per JVM, at {@code WARNING}, with the reason (the {@code kernel.io_uring_disabled}
 * sysctl, a seccomp filter, a kernel without a feature the transport needs).
 * <pre>{@code
 * IoHandlerFactory transport = new AutoIoHandlerFactory();
 * EventLoopGroup acceptor = new EventLoopGroup(1, "Acceptor", transport);
 * EventLoopGroup workers = new EventLoopGroup(4, "Worker", transport);
 * }</pre>
 * The default transport stays epoll: this is only used when asked for.
 */
public final class AutoIoHandlerFactory implements IoHandlerFactory {
    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

    private final IoHandlerFactory chosen;
    private final String fallbackReason;

    /** Chooses now: io_uring if it can be used here, else epoll (logging why, once per JVM). */
    public AutoIoHandlerFactory() {
        String reason = IoUringIoHandlerFactory.unavailableReason();
        fallbackReason = reason;
        if (reason == null) {
            chosen = new IoUringIoHandlerFactory();
        } else {
            chosen = new EpollIoHandlerFactory();
            if (FALLBACK_LOGGED.compareAndSet(false, true)) {
                SafeLog.warning(AutoIoHandlerFactory.class, () -> "io_uring cannot be used (" + reason
                        + "); the transport is epoll", null);
            }
        }
    }

    /** The factory chosen: an {@link IoUringIoHandlerFactory} or an {@link EpollIoHandlerFactory}. */
    public IoHandlerFactory chosen() {
        return chosen;
    }

    /** Why io_uring was not chosen, or null if it was. */
    public String fallbackReason() {
        return fallbackReason;
    }

    @Override
    public IoHandler newHandler() throws IOException {
        return chosen.newHandler();
    }

    @Override
    public String toString() {
        return "auto (" + chosen + ")";
    }
}
