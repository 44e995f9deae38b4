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
 */
package io.panamanetty.tls;
