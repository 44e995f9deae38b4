package io.panamanetty.tls;

import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ScheduledTask;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The deadline for a {@link TlsHandler}'s handshake: once started, tells the handler on the
 * event loop that it has passed, unless cancelled first.
 */
final class HandshakeTimeout {
    private final Duration timeout;
    private ScheduledTask<?> task;

    HandshakeTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    /** Starts the clock; when it runs out, {@code onExpiry} gets the exception to fail with. */
    void start(ChannelHandlerContext ctx, Consumer<TlsHandshakeTimeoutException> onExpiry) {
        long millis = Math.max(1, timeout.toMillis());
        task = ctx.eventLoop().schedule(() -> onExpiry.accept(new TlsHandshakeTimeoutException(
                "TLS handshake with " + ctx.channel().remoteAddress() + " timed out after " + millis + " ms")),
                millis, TimeUnit.MILLISECONDS);
    }

    /** Stops the clock, if running. */
    void cancel() {
        if (task != null) {
            task.cancel();
            task = null;
        }
    }
}
