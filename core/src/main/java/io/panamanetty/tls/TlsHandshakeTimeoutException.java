package io.panamanetty.tls;

import javax.net.ssl.SSLHandshakeException;

/** The TLS handshake did not finish within the {@linkplain TlsContext#handshakeTimeout() timeout}. */
public final class TlsHandshakeTimeoutException extends SSLHandshakeException {
    private static final long serialVersionUID = 1L;

    /** With {@code message} saying what timed out. */
    public TlsHandshakeTimeoutException(String message) {
        super(message);
    }
}
