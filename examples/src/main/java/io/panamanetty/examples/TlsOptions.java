package io.panamanetty.examples;

import io.panamanetty.tls.TlsContext;
import io.panamanetty.tls.TlsContexts;

import javax.net.ssl.SSLException;
import java.nio.file.Path;

/**
 * The client-side TLS options the example programs share: {@code --tls}, {@code --ca FILE}
 * and {@code --insecure}.
 */
final class TlsOptions {
    private TlsOptions() {
    }

    /**
     * The client context the options ask for, or {@code null} for plain TCP.
     * {@code --ca} and {@code --insecure} imply TLS; they cannot be combined.
     *
     * @param forceTls TLS even without {@code --tls} (e.g. an {@code https://} URL)
     * @throws IllegalArgumentException for {@code --ca} with {@code --insecure}
     */
    static Settings parse(CommandLine options, boolean forceTls) {
        boolean insecure = options.has("--insecure");
        String ca = options.get("--ca", null);
        if (insecure && ca != null) {
            throw new IllegalArgumentException("give --ca or --insecure, not both");
        }
        boolean tls = forceTls || options.has("--tls") || insecure || ca != null;
        return new Settings(tls, ca == null ? null : Path.of(ca), insecure);
    }

    /** What the command line said; {@link #context()} reads the CA file. */
    record Settings(boolean tls, Path ca, boolean insecure) {
        /**
         * The client context, or {@code null} without TLS.
         *
         * @throws IllegalArgumentException naming the CA file if it cannot be used
         */
        TlsContext context() {
            if (!tls) {
                return null;
            }
            TlsContexts.Builder builder = TlsContexts.client();
            if (ca != null) {
                builder.trust(ca);
            }
            if (insecure) {
                builder.verify(false);
            }
            return builder.build();
        }
    }

    /** {@return the TLS failure in {@code failure}'s cause chain, or {@code null}} */
    static SSLException tlsFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLException ssl) {
                return ssl;
            }
        }
        return null;
    }

    /** A one-line description of a failed connect, saying when it was the TLS handshake that failed. */
    static String describeConnectFailure(Throwable failure, HostPort peer) {
        SSLException tls = tlsFailure(failure);
        if (tls != null) {
            return "TLS handshake with " + peer + " failed: " + tls.getMessage();
        }
        return String.valueOf(failure.getMessage());
    }
}
