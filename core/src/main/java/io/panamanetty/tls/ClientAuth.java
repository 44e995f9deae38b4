package io.panamanetty.tls;

/**
 * Whether a server asks its clients for a certificate (mutual TLS), set with
 * {@link TlsContexts.Builder#clientAuth(ClientAuth)}.
 *
 * <p>A client certificate must chain to one of the CAs given with
 * {@link TlsContexts.Builder#trust(java.nio.file.Path)}, which a server asking for client
 * certificates must be given (the JDK's public trust store would let in a certificate from any
 * public CA; a server made from a ready {@code SSLContext} uses that context's trust managers
 * instead). A certificate that does not chain to them fails the handshake, with
 * {@code OPTIONAL} too. A
 * client presents a certificate set with
 * {@link TlsContexts.Builder#identity(java.nio.file.Path, java.nio.file.Path)}.
 *
 * <p>After the handshake the server's handler finds the client's verified chain (leaf first)
 * with {@link TlsHandler#peerCertificates()}, or from the session of
 * {@link TlsHandler#handshakeFuture()}:
 * <pre>{@code
 * tlsHandler.handshakeFuture().thenAccept(session -> {
 *     X509Certificate client = tlsHandler.peerCertificates().getFirst();  // or session.getPeerCertificates()
 *     String subject = client.getSubjectX500Principal().getName();
 * });
 * }</pre>
 *
 * <p>A refused client certificate (none under {@code REQUIRE}, or an untrusted one) fails the
 * server's handshake with an {@link javax.net.ssl.SSLHandshakeException} saying why, and the
 * server sends the client an alert; the server goes on serving other clients. With TLS 1.2
 * the client's handshake fails too. With TLS 1.3 the client has already finished its side of
 * the handshake when it sends its certificate, so it learns of the refusal from the alert that
 * follows: its {@code exceptionCaught} gets an {@link javax.net.ssl.SSLException} (such as
 * "Received fatal alert: certificate_required") and the channel closes.
 */
public enum ClientAuth {
    /** No client certificate is asked for (the default). */
    NONE,
    /** A certificate is asked for; a client may send none, but one it sends must be trusted. */
    OPTIONAL,
    /** A trusted client certificate is required; a client without one fails the handshake. */
    REQUIRE
}
