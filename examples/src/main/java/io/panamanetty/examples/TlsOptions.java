package io.panamanetty.examples;

import io.panamanetty.tls.TlsContext;
import io.panamanetty.tls.TlsContexts;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The client-side TLS options the example programs share: {@code --tls}, {@code --ca FILE},
 * {@code --insecure}, {@code --cert FILE --key FILE} for a client certificate, and
 * {@code --key-password} for an encrypted key (the servers' too).
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
        char[] password = keyPassword(options, key != null);
        boolean tls = forceTls || options.has("--tls") || insecure || ca != null || cert != null;
        return new Settings(tls, ca == null ? null : Path.of(ca), insecure,
                cert == null ? null : Path.of(cert), key == null ? null : Path.of(key), password);
    }

    /**
     * {@return the password {@code --key-password} gives, or {@code null} without it} The value is
     * {@code pass:TEXT}, {@code env:VARIABLE}, {@code file:PATH} (its first line), as openssl's
     * {@code -passin} takes it, or else the text itself.
     *
     * @param haveKey whether {@code --key} was given (the password is that key's)
     * @throws IllegalArgumentException without {@code --key}, for an unset variable or an unreadable file
     */
    static char[] keyPassword(CommandLine options, boolean haveKey) {
        String value = options.get("--key-password", null);
        if (value == null) {
            return null;
        }
        if (!haveKey) {
            throw new IllegalArgumentException("--key-password needs --key: it is the password of that key");
        }
        if (value.startsWith("pass:")) {
            return value.substring(5).toCharArray();
        }
        if (value.startsWith("env:")) {
            String text = System.getenv(value.substring(4));
            if (text == null) {
                throw new IllegalArgumentException("--key-password " + value + ": the environment variable "
                        + value.substring(4) + " is not set");
            }
            return text.toCharArray();
        }
        if (value.startsWith("file:")) {
            Path file = Path.of(value.substring(5));
            try {
                String text = java.nio.file.Files.readString(file);
                int end = text.indexOf('\n');
                String line = end < 0 ? text : text.substring(0, end);
                return (line.endsWith("\r") ? line.substring(0, line.length() - 1) : line).toCharArray();
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("--key-password " + value + ": cannot read "
                        + file.toAbsolutePath() + " (" + e.getMessage() + ")");
            }
        }
        return value.toCharArray();
    }

    /** What the command line said; {@link #context()} reads the files. */
    record Settings(boolean tls, Path ca, boolean insecure, Path cert, Path key, char[] keyPassword) {
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
                if (keyPassword != null) {
                    builder.keyPassword(keyPassword);
                }
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

    /** A one-line description of a failure on an open connection, saying when it was TLS that failed. */
    static String describeFailure(Throwable failure) {
        SSLException tls = tlsFailure(failure);
        Throwable reported = tls != null ? tls : failure;
        String message = reported.getMessage() != null ? reported.getMessage() : reported.getClass().getSimpleName();
        return tls != null ? "TLS: " + message : message;
    }

    /**
     * {@return whether {@code failure} is the peer resetting the connection (ECONNRESET) or having
     * closed it before a write (EPIPE)} The transport names the errno in its exceptions' messages.
     */
    static boolean resetByPeer(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (t instanceof IOException && message != null
                    && (message.contains("ECONNRESET") || message.contains("EPIPE"))) {
                return true;
            }
        }
        return false;
    }

    /** The settings of a plain connection: what an {@code http://} URL gets whatever TLS options came with it. */
    static Settings plain() {
        return new Settings(false, null, false, null, null, null);
    }
}
