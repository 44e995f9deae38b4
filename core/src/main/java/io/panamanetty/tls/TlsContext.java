package io.panamanetty.tls;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.time.Duration;
import java.util.List;

/**
 * An immutable TLS configuration, client or server side, made by {@link TlsContexts}; a
 * factory of {@link TlsHandler}s (one per channel). Thread-safe: share one instance.
 */
public final class TlsContext {
    private final SSLContext sslContext;
    private final boolean client;
    private final boolean verify;
    private final EngineChoices choices;
    private final Duration handshakeTimeout;
    private final ClientAuth clientAuth;
    private final boolean identity;
    private final List<String> warnings;

    TlsContext(SSLContext sslContext, boolean client, boolean verify, EngineChoices choices,
               Duration handshakeTimeout, ClientAuth clientAuth, boolean identity, List<String> warnings) {
        this.sslContext = sslContext;
        this.client = client;
        this.verify = verify;
        this.choices = choices;
        this.handshakeTimeout = handshakeTimeout;
        this.clientAuth = clientAuth;
        this.identity = identity;
        this.warnings = List.copyOf(warnings);
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
        return choices.protocols();
    }

    /** {@return the cipher suites enabled, in preference order; empty: the JDK's defaults} */
    public List<String> cipherSuites() {
        return choices.cipherSuites();
    }

    /** {@return the named groups (key exchange) enabled, in preference order; empty: the JDK's defaults} */
    public List<String> namedGroups() {
        return choices.namedGroups();
    }

    /** {@return the ALPN protocols offered (client) or accepted (server), in preference order} */
    public List<String> applicationProtocols() {
        return choices.alpn();
    }

    /**
     * {@return what was found wrong but not refused when the context was built, each also logged
     * at {@code WARNING} by the {@code System.Logger} named {@code io.panamanetty.tls.TlsContexts}:
     * an own certificate that has expired or is not valid yet} Usually empty.
     */
    public List<String> warnings() {
        return warnings;
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
     * @param host the server's host name (or IP literal), as the user knows it; null for none
     *             (a Unix domain socket's server), which only a context with verification off takes
     * @param port the server's port (a hint for session resumption), or -1
     * @throws IllegalStateException if this is a server context, or {@code host} is null and
     *         the server is to be verified
     */
    public TlsHandler newHandler(String host, int port) {
        if (!client) {
            throw new IllegalStateException("a server TlsContext takes no peer host: use newHandler()");
        }
        if (host == null && verify) {
            throw new IllegalStateException("no server name to check the server's certificate against (a Unix"
                    + " domain socket has no host): name the server it must prove to be (Bootstrap.tlsServerName),"
                    + " or turn verification off on purpose (TlsContexts.client().verify(false))");
        }
        return new TlsHandler(newClientEngine(host, port), handshakeTimeout);
    }

    /** A client engine: for {@code host} (SNI, and the name checked), or for no host at all. */
    private SSLEngine newClientEngine(String host, int port) {
        return host != null ? newEngine(host, port) : configure(sslContext.createSSLEngine(), null);
    }

    /** {@return a new engine configured from this context; {@code host} null on the server side} */
    SSLEngine newEngine(String host, int port) {
        return configure(host == null ? sslContext.createSSLEngine() : sslContext.createSSLEngine(host, port), host);
    }

    private SSLEngine configure(SSLEngine engine, String host) {
        engine.setUseClientMode(client);
        SSLParameters params = engine.getSSLParameters();
        choices.applyTo(params);
        if (client) {
            if (verify) {
                params.setEndpointIdentificationAlgorithm("HTTPS");
            }
            if (host != null && !isIpLiteral(host)) {
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
        return "TlsContext(" + (client ? "client" : "server") + ", protocols: " + choices.protocols()
                + (choices.cipherSuites().isEmpty() ? "" : ", cipher suites: " + choices.cipherSuites())
                + (choices.namedGroups().isEmpty() ? "" : ", named groups: " + choices.namedGroups())
                + (choices.alpn().isEmpty() ? "" : ", alpn: " + choices.alpn()) + (client && !verify ? ", NOT VERIFYING" : "")
                + (client ? (identity ? ", presents a client certificate" : "") : ", client auth: " + clientAuth)
                + ")";
    }
}
