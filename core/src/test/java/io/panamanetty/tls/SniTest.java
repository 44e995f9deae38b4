package io.panamanetty.tls;

import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One port, several host names: the context is chosen by the client's SNI, exact, wildcard or default. */
@ExtendWith(LeakCheck.class)
class SniTest {
    @TempDir
    static Path dir;
    static Path defaultCert;
    static Path exactCert;
    static Path wildCert;
    static SniContexts sni;

    /** A self-signed certificate for {@code dnsName}; the key lands beside it. */
    static Path certificateFor(String name, String dnsName) throws Exception {
        Path cert = dir.resolve(name + "-cert.pem");
        TlsTestSupport.run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + dnsName,
                "-addext", "subjectAltName=DNS:" + dnsName, "-days", "2",
                "-keyout", dir.resolve(name + "-key.pem").toString(), "-out", cert.toString());
        return cert;
    }

    static TlsContext serverOf(Path cert) {
        return TlsContexts.server(cert, Path.of(cert.toString().replace("-cert.pem", "-key.pem"))).build();
    }

    @BeforeAll
    static void contexts() throws Exception {
        defaultCert = certificateFor("default", "default.test");
        exactCert = certificateFor("exact", "a.example.test");
        wildCert = certificateFor("wild", "*.wild.test");
        sni = SniContexts.builder(serverOf(defaultCert))
                .add("A.Example.Test", serverOf(exactCert))
                .add("*.wild.test", serverOf(wildCert))
                .build();
    }

    /** Says, right after the handshake, what the SniHandler chose; writes a line before the handshake too; echoes. */
    static final class Reporter implements ChannelHandler {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush("early line\n");   // held until the handshake is done: never in plaintext
            ctx.fireChannelActive();
        }

        @Override
        public void channelHandshakeComplete(ChannelHandlerContext ctx) {
            SniHandler.Selection selection = ctx.channel().attr(SniHandler.SELECTION).get();
            ctx.writeAndFlush("sni=" + selection.serverName() + " entry=" + selection.entry() + "\n");
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            ctx.writeAndFlush(message);
        }
    }

    private static Channel server(EventLoopGroup group, SniContexts contexts) throws Exception {
        return new ServerBootstrap().group(group).tls(contexts).childHandler(Reporter::new)
                .bind("127.0.0.1", 0).sync().channel();
    }

    private static String sClient(int port, Path caFile, String... options) throws Exception {
        Path out = Files.createTempFile(dir, "s_client", ".out");
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-CAfile", caFile.toString(), "-verify_return_error"));
        command.addAll(List.of(options));
        Process client = TlsTestSupport.start(out, command.toArray(String[]::new));
        try {
            client.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            return TlsTestSupport.awaitFileContains(out, "\nping\n", client);
        } finally {
            TlsTestSupport.stop(client);
        }
    }

    @ParameterizedTest
    @CsvSource({
            "-tls1_2, a.example.test, exact, a.example.test, a.example.test",
            "-tls1_3, A.EXAMPLE.TEST, exact, a.example.test, a.example.test",
            "-tls1_2, x.wild.test, wild, x.wild.test, *.wild.test",
            "-tls1_3, x.wild.test, wild, x.wild.test, *.wild.test",
            "-tls1_3, a.b.wild.test, default, a.b.wild.test, null",
            "-tls1_3, wild.test, default, wild.test, null",
            "-tls1_2, elsewhere.test, default, elsewhere.test, null"})
    void theNameAskedForPicksTheCertificate(String version, String serverName, String expected, String reported,
                                            String entry) throws Exception {
        Path cert = switch (expected) {
            case "exact" -> exactCert;
            case "wild" -> wildCert;
            default -> defaultCert;
        };
        try (EventLoopGroup group = new EventLoopGroup(1, "sni")) {
            Channel server = server(group, sni);
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            String output = sClient(port, cert, version, "-servername", serverName);
            assertTrue(output.contains("Verify return code: 0"), output);
            String subject = switch (expected) {
                case "exact" -> "CN = a.example.test";
                case "wild" -> "CN = *.wild.test";
                default -> "CN = default.test";
            };
            assertTrue(output.contains("subject=" + subject), output);
            assertTrue(output.contains("sni=" + reported + " entry=" + entry + "\n"), output);
            assertTrue(output.contains("early line\n"), output);
            server.close().sync();
        }
    }

    @Test
    void aClientSendingNoNameGetsTheDefault() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "sni-none")) {
            Channel server = server(group, sni);
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            String output = sClient(port, defaultCert, "-noservername");
            assertTrue(output.contains("subject=CN = default.test") && output.contains("sni=null entry=null"), output);
            server.close().sync();
        }
    }

    @Test
    void aReplaceableEntryServesItsCurrentContext() throws Exception {
        ReplaceableTlsContext exact = new ReplaceableTlsContext(serverOf(defaultCert));
        SniContexts contexts = SniContexts.builder(serverOf(defaultCert)).add("a.example.test", exact).build();
        exact.replace(serverOf(exactCert));
        try (EventLoopGroup group = new EventLoopGroup(1, "sni-live")) {
            Channel server = server(group, contexts);
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            String output = sClient(port, exactCert, "-servername", "a.example.test");
            assertTrue(output.contains("subject=CN = a.example.test"), output);
            server.close().sync();
        }
    }

    @Test
    void silenceAndNonTlsInputAreClosedAndTheServerGoesOn() throws Exception {
        // the default's handshake timeout is the SNI handler's; the named entry's is its TlsHandler's
        SniContexts impatient = SniContexts.builder(TlsContexts.server(defaultCert,
                dir.resolve("default-key.pem")).handshakeTimeout(Duration.ofSeconds(2)).build())
                .add("default.test", serverOf(defaultCert)).build();
        try (EventLoopGroup group = new EventLoopGroup(1, "sni-bad")) {
            Channel server = server(group, impatient);
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            try (java.net.Socket silent = new java.net.Socket("127.0.0.1", port)) {
                silent.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TlsTestSupport.TIMEOUT_SECONDS));
                assertEquals(-1, silent.getInputStream().read(), "a silent client should be closed");
            }
            byte[] reply = TlsTestSupport.sendPlain(port, "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII), false);
            assertFalse(new String(reply, StandardCharsets.ISO_8859_1).contains("early line"), "plaintext leaked");
            String output = sClient(port, defaultCert, "-servername", "default.test");
            assertTrue(output.contains("sni=default.test entry=default.test"), output);
            server.close().sync();
        }
    }

    @Test
    void theNameIsFoundInAClientHelloCutAnywhere() throws Exception {
        SSLContext jdk = SSLContext.getInstance("TLS");
        jdk.init(null, null, null);
        for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
            SSLEngine engine = jdk.createSSLEngine("host.example", 443);
            engine.setUseClientMode(true);
            SSLParameters params = engine.getSSLParameters();
            params.setProtocols(new String[] {protocol});
            params.setServerNames(List.of(new SNIHostName("Host.Example")));
            engine.setSSLParameters(params);
            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            engine.wrap(ByteBuffer.allocate(0), out);
            byte[] hello = java.util.Arrays.copyOf(out.array(), out.position());
            for (int cut = 0; cut < hello.length; cut++) {
                assertFalse(ClientHelloServerName.find(hello, cut).complete(), "complete after " + cut + " bytes");
            }
            ClientHelloServerName.Result whole = ClientHelloServerName.find(hello, hello.length);
            assertTrue(whole.complete());
            assertEquals("host.example", whole.serverName());
        }
        ClientHelloServerName.Result http = ClientHelloServerName.find("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII), 16);
        assertTrue(http.complete());
        assertNull(http.serverName());
    }

    @Test
    void badEntriesAreRefused() {
        TlsContext server = serverOf(defaultCert);
        SniContexts.Builder builder = SniContexts.builder(server).add("a.test", server);
        assertThrows(IllegalArgumentException.class, () -> builder.add("A.TEST.", server));
        assertThrows(IllegalArgumentException.class, () -> builder.add("*.*.test", server));
        assertThrows(IllegalArgumentException.class, () -> builder.add("a b.test", server));
        assertThrows(IllegalArgumentException.class, () -> builder.add("x.test", TlsContexts.client().build()));
        SniContexts built = builder.add("*.b.test", server).build();
        assertEquals("a.test", built.match("A.Test."));
        assertEquals("*.b.test", built.match("x.b.test"));
        assertNull(built.match("b.test"));
        assertNull(built.match(null));
    }
}
