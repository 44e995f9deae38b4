/**
 * TLS for panama-netty channels, on the JDK's {@link javax.net.ssl.SSLEngine}.
 *
 * <p>{@link io.panamanetty.tls.TlsContexts} builds a {@link io.panamanetty.tls.TlsContext}
 * (from PEM files for a server; from the JDK trust store or a CA PEM file for a client),
 * and each channel gets its own {@link io.panamanetty.tls.TlsHandler} from it, first in
 * its pipeline:
 * <pre>{@code
 * TlsContext tls = TlsContexts.server(Path.of("cert.pem"), Path.of("key.pem")).build();
 * new ServerBootstrap().group(group).childInitializer(ch -> {
 *     ch.pipeline().addLast("tls", tls.newHandler());
 *     ch.pipeline().addLast("app", new MyHandler());
 * }).bind(8443);
 * }</pre>
 * Handlers after the {@code TlsHandler} read and write plaintext {@link io.panamanetty.buffer.Buffer}s.
 *
 * <p>Mutual TLS: a server asks for client certificates with
 * {@link io.panamanetty.tls.TlsContexts.Builder#clientAuth clientAuth(...)} (see
 * {@link io.panamanetty.tls.ClientAuth}), a client presents one with
 * {@link io.panamanetty.tls.TlsContexts.Builder#identity(java.nio.file.Path, java.nio.file.Path) identity(...)},
 * and {@link io.panamanetty.tls.TlsHandler#peerCertificates()} shows the peer's verified chain.
 *
 * <p>Several host names on one port: {@link io.panamanetty.tls.SniContexts} maps names (exact or
 * {@code *.} wildcard) to contexts, and its {@link io.panamanetty.tls.SniHandler} picks one per
 * connection from the client's SNI. A certificate renewed while the server runs:
 * {@link io.panamanetty.tls.ReplaceableTlsContext}. Protocols, cipher suites, named groups and
 * the session cache are {@link io.panamanetty.tls.TlsContexts.Builder} settings.
 */
package io.panamanetty.tls;
