package io.panamanetty.tls;

import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Protocols, cipher suites and named groups a server allows, and session resumption, seen by openssl s_client. */
@ExtendWith(LeakCheck.class)
class TlsChoicesTest {
    private static final String LINE = "choices echo";
    @TempDir
    static Path dir;
    static TlsTestSupport.Certificate cert;
    private static int runs;

    @BeforeAll
    static void certificates() throws Exception {
        cert = TlsTestSupport.selfSigned(dir, "choices");
    }

    /** What one s_client run printed, and whether its line came back (the handshake worked). */
    record ClientRun(String output, boolean echoed) {
    }

    /** Runs {@code openssl s_client} with {@code options} against {@code port}, sends a line, closes. */
    static ClientRun sClient(int port, String... options) throws Exception {
        Path out = dir.resolve("s_client-" + (runs++) + ".out");
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-CAfile", cert.cert().toString(), "-servername", "localhost"));
        command.addAll(List.of(options));
        Process client = TlsTestSupport.start(out, command.toArray(String[]::new));
        try {
            client.getOutputStream().write((LINE + "\n").getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TlsTestSupport.TIMEOUT_SECONDS);
            while (client.isAlive() && System.nanoTime() < deadline
                    && !Files.readString(out, StandardCharsets.ISO_8859_1).contains("\n" + LINE + "\n")) {
                Thread.sleep(50);
            }
            client.getOutputStream().close();   // s_client ends, writing -sess_out if asked
            assertTrue(client.waitFor(TlsTestSupport.TIMEOUT_SECONDS, TimeUnit.SECONDS), "s_client did not end");
        } finally {
            TlsTestSupport.stop(client);
        }
        String output = Files.readString(out, StandardCharsets.ISO_8859_1);
        return new ClientRun(output, output.contains("\n" + LINE + "\n"));
    }

    private static void withServer(TlsContext tls, ServerUse use) throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "tls-choices")) {
            TlsTestSupport.EchoServer echo = TlsTestSupport.echoServer(group, tls, 0);
            use.run(echo.port());
            echo.channel().close().sync();
        }
    }

    interface ServerUse {
        void run(int port) throws Exception;
    }

    @Test
    void aProtocolNotAllowedIsRefusedByTheHandshake() throws Exception {
        withServer(TlsContexts.server(cert.cert(), cert.key()).protocols("TLSv1.3").build(), port -> {
            ClientRun old = sClient(port, "-tls1_2");
            assertFalse(old.echoed(), old.output());
            assertTrue(old.output().contains("alert") || old.output().contains("error"), old.output());
            ClientRun allowed = sClient(port, "-tls1_3");
            assertTrue(allowed.echoed() && allowed.output().contains("New, TLSv1.3"), allowed.output());
        });
    }

    @Test
    void aTls13CipherSuiteNotAllowedIsRefused() throws Exception {
        withServer(TlsContexts.server(cert.cert(), cert.key()).cipherSuites("TLS_AES_128_GCM_SHA256").build(), port -> {
            ClientRun other = sClient(port, "-tls1_3", "-ciphersuites", "TLS_AES_256_GCM_SHA384");
            assertFalse(other.echoed(), other.output());
            ClientRun allowed = sClient(port, "-tls1_3", "-ciphersuites", "TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256");
            assertTrue(allowed.echoed() && allowed.output().contains("Cipher is TLS_AES_128_GCM_SHA256"),
                    allowed.output());
        });
    }

    @Test
    void aTls12CipherSuiteNotAllowedIsRefused() throws Exception {
        TlsContext tls = TlsContexts.server(cert.cert(), cert.key()).protocols("TLSv1.2")
                .cipherSuites("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").build();
        withServer(tls, port -> {
            ClientRun other = sClient(port, "-tls1_2", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384");
            assertFalse(other.echoed(), other.output());
            ClientRun allowed = sClient(port, "-tls1_2", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256");
            assertTrue(allowed.echoed() && allowed.output().contains("Cipher is ECDHE-RSA-AES128-GCM-SHA256"),
                    allowed.output());
        });
    }

    @Test
    void aNamedGroupNotAllowedIsRefused() throws Exception {
        withServer(TlsContexts.server(cert.cert(), cert.key()).namedGroups("secp384r1").build(), port -> {
            ClientRun other = sClient(port, "-tls1_3", "-groups", "X25519");
            assertFalse(other.echoed(), other.output());
            ClientRun allowed = sClient(port, "-tls1_3", "-groups", "X25519:P-384");
            assertTrue(allowed.echoed() && allowed.output().contains("Server Temp Key: ECDH, secp384r1"),
                    allowed.output());
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    void aSecondConnectionResumesTheSession(String version) throws Exception {
        TlsContext tls = TlsContexts.server(cert.cert(), cert.key()).sessionCacheSize(100)
                .sessionTimeout(Duration.ofMinutes(10)).build();
        assertEquals(100, tls.sslContext().getServerSessionContext().getSessionCacheSize());
        assertEquals(600, tls.sslContext().getServerSessionContext().getSessionTimeout());
        Path session = dir.resolve("session" + version + ".pem");
        withServer(tls, port -> {
            ClientRun first = sClient(port, version, "-sess_out", session.toString());
            assertTrue(first.echoed() && first.output().contains("New, TLSv1."), first.output());
            assertTrue(Files.size(session) > 0, "no session written");
            ClientRun second = sClient(port, version, "-sess_in", session.toString());
            String protocol = version.equals("-tls1_3") ? "TLSv1.3" : "TLSv1.2";
            assertTrue(second.echoed() && second.output().contains("Reused, " + protocol), second.output());
        });
    }

    @Test
    void unknownNamesAreRefusedWhenBuilt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsContexts.server(cert.cert(), cert.key()).cipherSuites("TLS_NO_SUCH_SUITE").build());
        assertTrue(e.getMessage().contains("unsupported cipher suite TLS_NO_SUCH_SUITE"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TlsContexts.client().namedGroups("nonesuch").build());
        assertTrue(e.getMessage().contains("unsupported named group nonesuch") && e.getMessage().contains("x25519"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TlsContexts.server(cert.cert(), cert.key())
                .protocols("TLSv1.3").cipherSuites("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").build());
        assertTrue(e.getMessage().contains("works with the protocols"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TlsContexts.client().sessionCacheSize(-1));
        assertThrows(IllegalArgumentException.class, () -> TlsContexts.client().sessionTimeout(Duration.ZERO));
        TlsContext chosen = TlsContexts.client().cipherSuites("TLS_AES_256_GCM_SHA384").namedGroups("x25519").build();
        assertEquals(List.of("TLS_AES_256_GCM_SHA384"), chosen.cipherSuites());
        assertEquals(List.of("x25519"), chosen.namedGroups());
        assertTrue(chosen.toString().contains("x25519"), chosen.toString());
    }
}
