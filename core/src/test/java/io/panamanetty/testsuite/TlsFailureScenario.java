package io.panamanetty.testsuite;

import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import io.panamanetty.tls.TlsContext;
import io.panamanetty.tls.TlsContexts;
import io.panamanetty.tls.TlsHandshakeTimeoutException;
import io.panamanetty.tls.TlsTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

import static io.panamanetty.tls.TlsTestSupport.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS failures: an untrusted certificate, a wrong host name, verification turned off,
 * plaintext and garbage records (only that connection closes), a peer vanishing mid-handshake,
 * and a silent peer timing the handshake out.
 */
@ExtendWith(LeakCheck.class)
public abstract class TlsFailureScenario extends TransportScenario {
    @TempDir
    static Path dir;
    static TlsTestSupport.Certificate cert;

    @BeforeAll
    static void certificates() throws Exception {
        cert = TlsTestSupport.selfSigned(dir, "localhost");
    }

    private static TlsContext server() {
        return TlsContexts.server(cert.cert(), cert.key()).build();
    }

    /** The handshake of a client must fail; returns the cause, also seen by exceptionCaught. */
    private static Throwable handshakeFailure(EventLoopGroup group, TlsContext client, String host, int port)
            throws Exception {
        TlsTestSupport.Client c = TlsTestSupport.connect(group, client, host, port);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> c.tls().handshakeFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(SSLException.class, e.getCause());
        assertTrue(c.channel().closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        Throwable seen = c.collector().errors.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(seen, "exceptionCaught not called");
        return e.getCause();
    }

    /** The server still completes a handshake and echoes for a good client. */
    private static void assertServesGoodClient(EventLoopGroup group, TlsTestSupport.EchoServer echo) throws Exception {
        TlsContext client = TlsContexts.client().trust(cert.cert()).build();
        TlsTestSupport.Client c = TlsTestSupport.connect(group, client, "localhost", echo.port());
        c.channel().writeAndFlush("still here");
        byte[] echoed = c.collector().await(b -> b.length >= 10);
        assertArrayEquals("still here".getBytes(StandardCharsets.US_ASCII), echoed);
        c.channel().close().sync();
    }

    @Test
    public void untrustedCertificateFailsWithTheJdkTrustStore() throws Exception {
        try (EventLoopGroup group = transport().newGroup(2, "tls-untrusted")) {
            TlsTestSupport.EchoServer echo = TlsTestSupport.echoServer(group, server(), 1);
            Throwable cause = handshakeFailure(group, TlsContexts.client().build(), "localhost", echo.port());
            String text = String.join(" / ", TlsTestSupport.messages(cause));
            assertTrue(text.contains("certification path") || text.contains("PKIX"), text);
            Throwable serverSide = echo.errors().poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(serverSide, "the server saw no failure");
            assertServesGoodClient(group, echo);
            echo.channel().close().sync();
        }
    }

    @Test
    public void wrongHostNameFails() throws Exception {
        try (EventLoopGroup group = transport().newGroup(2, "tls-hostname")) {
            TlsTestSupport.EchoServer echo = TlsTestSupport.echoServer(group, server(), 1);
            TlsContext client = TlsContexts.client().trust(cert.cert()).build();
            Throwable cause = handshakeFailure(group, client, "wrong.example", echo.port());
            String text = String.join(" / ", TlsTestSupport.messages(cause));
            assertTrue(text.contains("wrong.example"), text);
            echo.channel().close().sync();
        }
    }

    @Test
    public void verifyFalseAcceptsAnything() throws Exception {
        try (EventLoopGroup group = transport().newGroup(2, "tls-noverify")) {
            TlsTestSupport.EchoServer echo = TlsTestSupport.echoServer(group, server(), 1);
            TlsContext client = TlsContexts.client().verify(false).build();
            TlsTestSupport.Client c = TlsTestSupport.connect(group, client, "wrong.example", echo.port());
            c.tls().handshakeFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            c.channel().close().sync();
            echo.channel().close().sync();
        }
    }

    @Test
    public void plaintextClosesOnlyThatConnection() throws Exception {
        try (EventLoopGroup group = transport().newGroup(2, "tls-plaintext")) {
            TlsTestSupport.EchoServer echo = TlsTestSupport.echoServer(group, server(), 1);
            TlsTestSupport.sendPlain(echo.port(), "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII), false);
            Throwable cause = echo.errors().poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertInstanceOf(SSLException.class, cause);
            assertServesGoodClient(group, echo);
            echo.channel().close().sync();
        }
    }

    @Test
    public void garbageRecordClosesOnlyThatConnection() throws Exception {
        try (EventLoopGroup group = transport().newGroup(2, "tls-garbage")) {
            TlsTestSupport.EchoServer echo = TlsTestSupport.echoServer(group, server(), 1);
            byte[] garbage = new byte[5 + 64];
            new Random(7).nextBytes(garbage);
            garbage[0] = 0x16;   // a handshake record header, then nonsense
            garbage[1] = 0x03;
            garbage[2] = 0x03;
            garbage[3] = 0;
            garbage[4] = 64;
            TlsTestSupport.sendPlain(echo.port(), garbage, false);
            Throwable cause = echo.errors().poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertInstanceOf(SSLException.class, cause);
            assertServesGoodClient(group, echo);
            echo.channel().close().sync();
        }
    }

    @Test
    public void peerVanishingMidHandshakeIsReported() throws Exception {
        try (EventLoopGroup group = transport().newGroup(2, "tls-vanish")) {
            TlsTestSupport.EchoServer echo = TlsTestSupport.echoServer(group, server(), 1);
            TlsTestSupport.sendPlain(echo.port(), new byte[]{0x16, 0x03, 0x01, 0x01, 0x00, 0x01}, true);
            Throwable cause = echo.errors().poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertInstanceOf(SSLException.class, cause);
            assertTrue(String.valueOf(cause.getMessage()).contains("during the TLS handshake"), cause::toString);
            assertServesGoodClient(group, echo);
            echo.channel().close().sync();
        }
    }

    @Test
    public void silentPeerTimesOut() throws Exception {
        TlsContext server = TlsContexts.server(cert.cert(), cert.key()).handshakeTimeout(Duration.ofMillis(300)).build();
        try (EventLoopGroup group = transport().newGroup(2, "tls-timeout")) {
            TlsTestSupport.EchoServer echo = TlsTestSupport.echoServer(group, server, 1);
            TlsTestSupport.sendPlain(echo.port(), new byte[0], false);   // reads until the server closes
            Throwable cause = echo.errors().poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertInstanceOf(TlsHandshakeTimeoutException.class, cause);
            assertTrue(cause.getMessage().contains("timed out"), cause::toString);
            echo.channel().close().sync();
        }
    }
}
