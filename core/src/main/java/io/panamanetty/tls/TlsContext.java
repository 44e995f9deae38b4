package io.panamanetty.tls;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An immutable TLS configuration, client or server side, made by {@link TlsContexts}; a
 * factory of {@link TlsHandler}s (one per channel). Thread-safe: share one instance.
 */
public final class TlsContext {
    private final SSLContext sslContext;
    private final boolean client;
    private final boolean verify;
    private final String[] protocols;
    private final String[] alpn;
    private final Duration handshakeTimeout;
    private final ClientAuth clientAuth;
    private final boolean identity;

    TlsContext(SSLContext sslContext, boolean client, boolean verify, List<String> protocols, List<String> alpn,
               Duration handshakeTimeout, ClientAuth clientAuth, boolean identity) {
        this.sslContext = sslContext;
        this.client = client;
        this.verify = verify;
        this.protocols = protocols.toArray(String[]::new);
        this.alpn = alpn.toArray(String[]::new);
        this.handshakeTimeout = handshakeTimeout;
        this.clientAuth = clientAuth;
        this.identity = identity;
    }

    /** {@return whether this is a client context} */
    public boolean isClient() {
        return client;
    }

    /** {@return the underlying JDK context} */
    public SSLContext sslContext() {
        return sslContext;
    }

    /** {@return the protocols enabled, e.g. {@code [TLSv1.3, TLSv1.2]}} */
    public List<String> protocols() {
        return List.of(protocols);
    }

    /** {@return the ALPN protocols offered (client) or accepted (server), in preference order} */
    public List<String> applicationProtocols() {
        return List.of(alpn);
    }

    /** {@return whether a server asks clients for a certificate; {@link ClientAuth#NONE} for a client context} */
    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /** {@return how long a handshake may take before the channel is closed} */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * A handler for one server-side channel.
     *
     * @throws IllegalStateException if this is a client context
     */
    public TlsHandler newHandler() {
        if (client) {
            throw new IllegalStateException("a client TlsContext needs the server's host: use newHandler(host, port)");
        }
        return new TlsHandler(newEngine(null, -1), handshakeTimeout);
    }

    /**
     * A handler for one client-side channel talking to {@code host}: the name is sent as SNI
     * (unless it is an IP literal) and, with verification on, must match the server's
     * certificate (RFC 2818 rules: a DNS or IP subject alternative name).
     *
     * @param host the server's host name (or IP literal), as the user knows it
     * @param port the server's port (a hint for session resumption)
     * @throws IllegalStateException if this is a server context
     */
    public TlsHandler newHandler(String host, int port) {
        if (!client) {
            throw new IllegalStateException("a server TlsContext takes no peer host: use newHandler()");
        }
        return new TlsHandler(newEngine(Objects.requireNonNull(host, "host"), port), handshakeTimeout);
    }

    /** {@return a new engine configured from this context; {@code host} null on the server side} */
    SSLEngine newEngine(String host, int port) {
        SSLEngine engine = host == null ? sslContext.createSSLEngine() : sslContext.createSSLEngine(host, port);
        engine.setUseClientMode(client);
        SSLParameters params = engine.getSSLParameters();
        params.setProtocols(protocols);
        if (alpn.length > 0) {
            params.setApplicationProtocols(alpn);
        }
        if (client) {
            if (verify) {
                params.setEndpointIdentificationAlgorithm("HTTPS");
            }
            if (!isIpLiteral(host)) {
                try {
                    params.setServerNames(List.of(new SNIHostName(host)));
                } catch (IllegalArgumentException e) {
                    // not a valid SNI name (e.g. "localhost." or odd characters): send none
                }
            }
        } else {
            switch (clientAuth) {
                case REQUIRE -> params.setNeedClientAuth(true);
                case OPTIONAL -> params.setWantClientAuth(true);
                case NONE -> params.setNeedClientAuth(false);   // also clears "want"
            }
        }
        engine.setSSLParameters(params);
        return engine;
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    @Override
    public String toString() {
        return "TlsContext(" + (client ? "client" : "server") + ", protocols: " + List.of(protocols)
                + (alpn.length > 0 ? ", alpn: " + List.of(alpn) : "") + (client && !verify ? ", NOT VERIFYING" : "")
                + (client ? (identity ? ", presents a client certificate" : "") : ", client auth: " + clientAuth)
                + ")";
    }
}
