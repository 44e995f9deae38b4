package io.panamanetty.tls;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A server's TLS context that can be replaced while the server runs, e.g. by a renewed
 * certificate and key: each new connection gets the context current when it is accepted,
 * connections already open keep the one they started with (their engine holds it).
 * <pre>{@code
 * ReplaceableTlsContext tls = new ReplaceableTlsContext(TlsContexts.server(cert, key).build());
 * new ServerBootstrap().tls(tls).childHandler(MyHandler::new).bind(8443);
 * ...
 * tls.replace(TlsContexts.server(cert, key).build());   // after the files were renewed
 * }</pre>
 * Build the new context first: a mistake in the new files is refused by
 * {@link TlsContexts.Builder#build()} and the running server keeps serving the old pair.
 * Thread-safe. A {@link SniContexts} entry may be one of these too.
 */
public final class ReplaceableTlsContext implements Supplier<TlsContext> {
    private final AtomicReference<TlsContext> current;

    /**
     * A replaceable context starting with {@code initial}.
     *
     * @throws IllegalArgumentException for a client context
     */
    public ReplaceableTlsContext(TlsContext initial) {
        this.current = new AtomicReference<>(requireServer(initial));
    }

    /** {@return the context new connections get now} */
    @Override
    public TlsContext get() {
        return current.get();
    }

    /**
     * Makes {@code next} the context of connections accepted from now on.
     *
     * @return the context it replaces
     * @throws IllegalArgumentException for a client context
     */
    public TlsContext replace(TlsContext next) {
        return current.getAndSet(requireServer(next));
    }

    /** {@return a handler for one new server-side channel, from the current context} */
    public TlsHandler newHandler() {
        return current.get().newHandler();
    }

    private static TlsContext requireServer(TlsContext context) {
        Objects.requireNonNull(context, "context");
        if (context.isClient()) {
            throw new IllegalArgumentException("a client TlsContext cannot serve connections: use TlsContexts.server(...)");
        }
        return context;
    }

    @Override
    public String toString() {
        return "ReplaceableTlsContext(" + current.get() + ")";
    }
}
