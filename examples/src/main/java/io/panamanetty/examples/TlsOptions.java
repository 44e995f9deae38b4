package io.panamanetty.examples;

import io.panamanetty.tls.TlsContext;
import io.panamanetty.tls.TlsContexts;

import javax.net.ssl.SSLException;
import java.nio.file.Path;

/**
 * The client-side TLS options the example programs share: {@code --tls}, {@code --ca FILE},
 * {@code --insecure}, and {@code --cert FILE --key FILE} for a client certificate.
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
        String cert = options.get("--cert", null);
        String key = options.get("--key", null);
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("give both --cert and --key (the same file may be given twice),"
                    + " or neither");
        }
        boolean tls = forceTls || options.has("--tls") || insecure || ca != null || cert != null;
        return new Settings(tls, ca == null ? null : Path.of(ca), insecure,
                cert == null ? null : Path.of(cert), key == null ? null : Path.of(key));
    }

    /** What the command line said; {@link #context()} reads the files. */
    record Settings(boolean tls, Path ca, boolean insecure, Path cert, Path key) {
        /**
         * The client context, or {@code null} without TLS.
         *
         * @throws IllegalArgumentException naming the file (CA, certificate or key) that cannot be used
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
            if (cert != null) {
                builder.identity(cert, key);
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
