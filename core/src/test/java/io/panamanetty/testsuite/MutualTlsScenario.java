package io.panamanetty.testsuite;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import io.panamanetty.tls.ClientAuth;
import io.panamanetty.tls.TlsContext;
import io.panamanetty.tls.TlsContexts;
import io.panamanetty.tls.TlsHandler;
import io.panamanetty.tls.TlsTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import static io.panamanetty.tls.TlsTestSupport.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Client certificates (mutual TLS), against openssl peers and between our own client and server. */
@ExtendWith(LeakCheck.class)
public abstract class MutualTlsScenario extends TransportScenario {
    @TempDir
    static Path dir;
    /** Issues the server's certificate and alice's. */
    static TlsTestSupport.Certificate ca;
    /** A CA our server does not trust; issues mallory's certificate. */
    static TlsTestSupport.Certificate otherCa;
    static TlsTestSupport.Certificate server;
    static TlsTestSupport.Certificate alice;
    static TlsTestSupport.Certificate mallory;

    @BeforeAll
    static void certificates() throws Exception {
        ca = TlsTestSupport.certificateAuthority(dir, "ca", "Test CA");
        otherCa = TlsTestSupport.certificateAuthority(dir, "other-ca", "Other CA");
        server = TlsTestSupport.issued(dir, ca, "server", "localhost");
        alice = TlsTestSupport.issued(dir, ca, "alice", "alice");
        mallory = TlsTestSupport.issued(dir, otherCa, "mallory", "mallory");
    }

    private static TlsContexts.Builder serverBuilder(ClientAuth clientAuth) {
        return TlsContexts.server(server.cert(), server.key()).clientAuth(clientAuth).trust(ca.cert());
    }

    private static String[] protocols(String opensslFlag) {
        return new String[]{opensslFlag.equals("-tls1_2") ? "TLSv1.2" : "TLSv1.3"};
    }

    private static String subject(List<X509Certificate> chain) {
        return chain.isEmpty() ? "none" : chain.getFirst().getSubjectX500Principal().getName();
    }

    // ------------------------------------------------------------------ a server recording its clients

    /** Echoes; records each client's certificate subject (or "none") as seen after the handshake, and errors. */
    private static final class PeerRecordingEcho implements ChannelHandler {
        private final MtlsServer server;

        PeerRecordingEcho(MtlsServer server) {
            this.server = server;
        }

        @Override
        public void channelHandshakeComplete(ChannelHandlerContext ctx) {
            TlsHandler tls = (TlsHandler) ctx.pipeline().get("tls");
            server.subjects.add(subject(tls.peerCertificates()));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            ctx.write(message);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            server.errors.add(cause);
        }
    }

    private static final class MtlsServer {
        final BlockingQueue<String> subjects = new LinkedBlockingQueue<>();
        /** The subjects as {@code handshakeFuture()}'s session gives them. */
        final BlockingQueue<String> sessionSubjects = new LinkedBlockingQueue<>();
        final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
        Channel channel;

        int port() {
            return ((InetSocketAddress) channel.localAddress()).getPort();
        }
    }

    private MtlsServer serve(EventLoopGroup group, TlsContext tls) throws Exception {
        MtlsServer s = new MtlsServer();
        s.channel = transport().serverBootstrap().group(group).childInitializer(ch -> {
            TlsHandler handler = tls.newHandler();
            handler.handshakeFuture().thenAccept(session -> s.sessionSubjects.add(sessionSubject(session)));
            ch.pipeline().addLast("tls", handler);
            ch.pipeline().addLast("echo", new PeerRecordingEcho(s));
        }).bind("127.0.0.1", 0).sync().channel();
        return s;
    }

    private static String sessionSubject(SSLSession session) {
        try {
            return ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName();
        } catch (SSLPeerUnverifiedException e) {
            return "none";
        }
    }

    /** Our client with alice's certificate (from the one-file variant) echoes through {@code s}. */
    private static void assertAliceIsServed(EventLoopGroup group, MtlsServer s, String... protocols) throws Exception {
        TlsContexts.Builder builder = TlsContexts.client().trust(ca.cert()).identity(alice.combined());
        if (protocols.length > 0) {
            builder.protocols(protocols);
        }
        TlsTestSupport.Client c = TlsTestSupport.connect(group, builder.build(), "localhost", s.port());
        c.channel().writeAndFlush("from alice");
        assertArrayEquals("from alice".getBytes(StandardCharsets.US_ASCII), c.collector().await(b -> b.length >= 10));
        assertEquals("CN=alice", s.subjects.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals("CN=alice", s.sessionSubjects.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals("CN=localhost", subject(c.tls().peerCertificates()));
        c.channel().close().sync();
        assertTrue(c.collector().errors.isEmpty(), () -> c.collector().errors.toString());
    }

    // ------------------------------------------------------------------ our server, openssl clients

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    public void requireAcceptsOpensslClientWithCertificate(String version) throws Exception {
        try (EventLoopGroup group = transport().newGroup(2, "mtls-require")) {
            MtlsServer s = serve(group, serverBuilder(ClientAuth.REQUIRE).build());
            Path out = dir.resolve("s_client-cert" + version + ".out");
            Process client = TlsTestSupport.start(out, "openssl", "s_client", "-connect", "127.0.0.1:" + s.port(),
                    version, "-quiet", "-CAfile", ca.cert().toString(), "-servername", "localhost",
                    "-cert", alice.cert().toString(), "-key", alice.key().toString());
            try {
                String line = "mutual over " + version + "\n";
                client.getOutputStream().write(line.getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
                TlsTestSupport.awaitFileContains(out, line, client);
                assertEquals("CN=alice", s.subjects.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                assertEquals("CN=alice", s.sessionSubjects.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            } finally {
                TlsTestSupport.stop(client);
            }
            s.channel.close().sync();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    public void requireRefusesOpensslClientWithoutCertificate(String version) throws Exception {
        // the JDK's alert: certificate_required (TLS 1.3), handshake_failure (TLS 1.2)
        assertOpensslClientRefused("mtls-nocert", "s_client-nocert" + version + ".out",
                text -> text.contains("certificate"), version);
    }

    @Test
    public void requireRefusesOpensslClientWithCertificateFromAnotherCa() throws Exception {
        assertOpensslClientRefused("mtls-otherca", "s_client-mallory.out",
                text -> text.contains("PKIX") || text.contains("certification path"),
                "-cert", mallory.cert().toString(), "-key", mallory.key().toString());
    }

    /**
     * Starts a server requiring client certificates and an {@code openssl s_client} with
     * {@code opensslArgs}; the server must refuse it with an {@link SSLException} whose messages
     * satisfy {@code reason}, openssl must see an alert, and the server must then still serve alice.
     */
    private void assertOpensslClientRefused(String threadName, String outName, Predicate<String> reason,
                                                   String... opensslArgs) throws Exception {
        try (EventLoopGroup group = transport().newGroup(2, threadName)) {
            MtlsServer s = serve(group, serverBuilder(ClientAuth.REQUIRE).build());
            Path out = dir.resolve(outName);
            List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect",
                    "127.0.0.1:" + s.port(), "-quiet", "-CAfile", ca.cert().toString(), "-servername", "localhost"));
            command.addAll(List.of(opensslArgs));
            Process client = TlsTestSupport.start(out, command.toArray(String[]::new));
            try {
                Throwable cause = s.errors.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertInstanceOf(SSLException.class, cause);
                String text = String.join(" / ", TlsTestSupport.messages(cause));
                assertTrue(reason.test(text), text);
                TlsTestSupport.awaitFileContains(out, "alert", client);
            } finally {
                TlsTestSupport.stop(client);
            }
            assertTrue(s.subjects.isEmpty(), s.subjects::toString);
            assertAliceIsServed(group, s);
            s.channel.close().sync();
        }
    }

    @Test
    public void optionalAcceptsOpensslClientWithoutCertificate() throws Exception {
        try (EventLoopGroup group = transport().newGroup(2, "mtls-optional")) {
            MtlsServer s = serve(group, serverBuilder(ClientAuth.OPTIONAL).build());
            Path out = dir.resolve("s_client-optional.out");
            Process client = TlsTestSupport.start(out, "openssl", "s_client", "-connect", "127.0.0.1:" + s.port(),
                    "-quiet", "-CAfile", ca.cert().toString(), "-servername", "localhost");
            try {
                String line = "no certificate, no problem\n";
                client.getOutputStream().write(line.getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
                TlsTestSupport.awaitFileContains(out, line, client);
                assertEquals("none", s.subjects.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                assertEquals("none", s.sessionSubjects.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            } finally {
                TlsTestSupport.stop(client);
            }
            assertAliceIsServed(group, s);   // one that has a certificate still shows it
            assertTrue(s.errors.isEmpty(), s.errors::toString);

            // a certificate that is sent must still be trusted
            Path refused = dir.resolve("s_client-optional-mallory.out");
            Process mallorysClient = TlsTestSupport.start(refused, "openssl", "s_client", "-connect",
                    "127.0.0.1:" + s.port(), "-quiet", "-CAfile", ca.cert().toString(), "-servername", "localhost",
                    "-cert", mallory.cert().toString(), "-key", mallory.key().toString());
            try {
                Throwable cause = s.errors.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertInstanceOf(SSLException.class, cause);
                String text = String.join(" / ", TlsTestSupport.messages(cause));
                assertTrue(text.contains("PKIX") || text.contains("certification path"), text);
                TlsTestSupport.awaitFileContains(refused, "alert", mallorysClient);
            } finally {
                TlsTestSupport.stop(mallorysClient);
            }
            assertTrue(s.subjects.isEmpty(), s.subjects::toString);
            s.channel.close().sync();
        }
    }

    // ------------------------------------------------------------------ our client, openssl server

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    public void ownClientWithIdentityTalksToOpensslServerRequiringOne(String version) throws Exception {
        int port = TlsTestSupport.freePort();
        Path out = dir.resolve("s_server-verify" + version + ".out");
        Process opensslServer = TlsTestSupport.start(out, "openssl", "s_server", "-accept", "127.0.0.1:" + port,
                "-cert", server.cert().toString(), "-key", server.key().toString(), "-CAfile", ca.cert().toString(),
                "-Verify", "1", version, "-www");
        try {
            TlsTestSupport.awaitListening(port, opensslServer);
            TlsContext client = TlsContexts.client().trust(ca.cert()).identity(alice.cert(), alice.key()).build();
            try (EventLoopGroup group = transport().newGroup(1, "mtls-s_server")) {
                TlsTestSupport.Client c = TlsTestSupport.connect(group, client, "localhost", port);
                c.channel().writeAndFlush("GET / HTTP/1.0\r\n\r\n");
                assertTrue(c.channel().closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                String page = new String(c.collector().received(), StandardCharsets.ISO_8859_1);
                assertTrue(page.startsWith("HTTP/1.0 200 ok"), page);
                assertTrue(page.contains("Client certificate") && page.contains("CN=alice"), page);
                assertEquals("CN=localhost", subject(c.tls().peerCertificates()));
                assertFalse(c.tls().handshakeFuture().isCompletedExceptionally());
            }
        } finally {
            TlsTestSupport.stop(opensslServer);
        }
    }

    // ------------------------------------------------------------------ our client, our server

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    public void ownClientAndServerAuthenticateEachOther(String version) throws Exception {
        try (EventLoopGroup group = transport().newGroup(2, "mtls-own")) {
            MtlsServer s = serve(group, serverBuilder(ClientAuth.REQUIRE).build());
            assertAliceIsServed(group, s, protocols(version));
            assertTrue(s.errors.isEmpty(), s.errors::toString);
            s.channel.close().sync();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    public void ownClientWithoutIdentityIsRefusedByOwnServer(String version) throws Exception {
        try (EventLoopGroup group = transport().newGroup(2, "mtls-own-nocert")) {
            MtlsServer s = serve(group, serverBuilder(ClientAuth.REQUIRE).build());
            TlsContext noIdentity = TlsContexts.client().trust(ca.cert()).protocols(protocols(version)).build();
            TlsTestSupport.Client c = TlsTestSupport.connect(group, noIdentity, "localhost", s.port());
            Throwable serverSide = s.errors.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertInstanceOf(SSLException.class, serverSide);
            String serverText = String.join(" / ", TlsTestSupport.messages(serverSide));
            assertTrue(serverText.contains("certificate"), serverText);

            Throwable clientSide = c.collector().errors.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertInstanceOf(SSLException.class, clientSide);
            String clientText = String.join(" / ", TlsTestSupport.messages(clientSide));
            assertTrue(clientText.contains("alert"), clientText);
            assertTrue(c.channel().closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            if (version.equals("-tls1_2")) {
                // TLS 1.3 clients finish their side before the server judges their certificate (see ClientAuth)
                CompletableFuture<SSLSession> handshake = c.tls().handshakeFuture();
                assertThrows(ExecutionException.class, () -> handshake.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            assertAliceIsServed(group, s);
            s.channel.close().sync();
        }
    }

    /**
     * The JDK client does not offer a certificate whose CA the server does not name, so the
     * server sees none ("Empty client certificate chain") rather than an untrusted one.
     */
    @Test
    public void ownClientWithCertificateFromAnotherCaIsRefusedByOwnServer() throws Exception {
        try (EventLoopGroup group = transport().newGroup(2, "mtls-own-otherca")) {
            MtlsServer s = serve(group, serverBuilder(ClientAuth.REQUIRE).build());
            TlsContext malloryClient = TlsContexts.client().trust(ca.cert())
                    .identity(mallory.cert(), mallory.key()).build();
            TlsTestSupport.Client c = TlsTestSupport.connect(group, malloryClient, "localhost", s.port());
            Throwable serverSide = s.errors.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertInstanceOf(SSLException.class, serverSide);
            String serverText = String.join(" / ", TlsTestSupport.messages(serverSide));
            assertTrue(serverText.contains("certificate"), serverText);
            Throwable clientSide = c.collector().errors.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertInstanceOf(SSLException.class, clientSide);
            assertTrue(c.channel().closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertTrue(s.subjects.isEmpty(), s.subjects::toString);
            s.channel.close().sync();
        }
    }

    // ------------------------------------------------------------------ settings

    @Test
    public void settingsAreCheckedAndShown() throws Exception {
        TlsContext none = TlsContexts.server(server.cert(), server.key()).build();
        assertEquals(ClientAuth.NONE, none.clientAuth());
        assertTrue(none.toString().contains("client auth: NONE"), none::toString);
        TlsContext required = serverBuilder(ClientAuth.REQUIRE).build();
        assertTrue(required.toString().contains("client auth: REQUIRE"), required::toString);
        SSLEngine engine = required.newHandler().engine();
        assertTrue(engine.getNeedClientAuth());
        SSLEngine optional = serverBuilder(ClientAuth.OPTIONAL).build().newHandler().engine();
        assertTrue(optional.getWantClientAuth() && !optional.getNeedClientAuth());
        SSLEngine noAuth = none.newHandler().engine();
        assertFalse(noAuth.getWantClientAuth() || noAuth.getNeedClientAuth());

        // asking for client certificates without naming their CAs is refused
        IllegalStateException noTrust = assertThrows(IllegalStateException.class,
                () -> TlsContexts.server(server.cert(), server.key()).clientAuth(ClientAuth.REQUIRE).build());
        assertTrue(noTrust.getMessage().contains("needs trust(caPem)"), noTrust.getMessage());

        // a ready SSLContext honours clientAuth too
        SSLContext ready = required.sslContext();
        TlsContext fromReady = TlsContexts.server(ready).clientAuth(ClientAuth.REQUIRE).build();
        assertTrue(fromReady.newHandler().engine().getNeedClientAuth());
        assertTrue(fromReady.toString().contains("client auth: REQUIRE"), fromReady::toString);

        TlsContext client = TlsContexts.client().identity(alice.cert(), alice.key()).build();
        assertTrue(client.toString().contains("client certificate"), client::toString);
        assertFalse(TlsContexts.client().build().toString().contains("client certificate"));

        assertThrows(IllegalStateException.class, () -> TlsContexts.client().clientAuth(ClientAuth.REQUIRE));
        assertThrows(IllegalStateException.class,
                () -> TlsContexts.server(server.cert(), server.key()).identity(alice.cert(), alice.key()));
        assertThrows(IllegalStateException.class, () -> TlsContexts.client().keyPassword("x".toCharArray()));
        assertThrows(IllegalStateException.class, () -> TlsContexts.client(ready).identity(alice.combined()));
        IllegalStateException trustWithoutAuth = assertThrows(IllegalStateException.class,
                () -> TlsContexts.server(server.cert(), server.key()).trust(ca.cert()).build());
        assertTrue(trustWithoutAuth.getMessage().contains("clientAuth"), trustWithoutAuth.getMessage());

        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> TlsContexts.client().identity(dir.resolve("nope.pem")).build());
        assertTrue(missing.getMessage().contains("nope.pem"), missing.getMessage());
    }

    @Test
    public void clientIdentityWithEncryptedKeyTakesThePassword() throws Exception {
        Path encrypted = dir.resolve("alice-enc.pem");
        TlsTestSupport.run(dir, "openssl", "pkcs8", "-topk8", "-in", alice.key().toString(), "-v2", "aes-256-cbc",
                "-passout", "pass:secret", "-out", encrypted.toString());
        IllegalArgumentException noPassword = assertThrows(IllegalArgumentException.class,
                () -> TlsContexts.client().identity(alice.cert(), encrypted).build());
        assertNotNull(noPassword.getMessage());
        TlsContext client = TlsContexts.client().trust(ca.cert()).identity(alice.cert(), encrypted)
                .keyPassword("secret".toCharArray()).build();
        try (EventLoopGroup group = transport().newGroup(2, "mtls-encrypted")) {
            MtlsServer s = serve(group, serverBuilder(ClientAuth.REQUIRE).build());
            TlsTestSupport.Client c = TlsTestSupport.connect(group, client, "localhost", s.port());
            c.tls().handshakeFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals("CN=alice", s.subjects.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            c.channel().close().sync();
            s.channel.close().sync();
        }
    }
}
