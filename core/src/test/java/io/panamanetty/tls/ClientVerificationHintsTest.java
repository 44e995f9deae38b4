package io.panamanetty.tls;

import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client that refuses a server's certificate says what to do about it. */
@ExtendWith(LeakCheck.class)
class ClientVerificationHintsTest {
    @TempDir
    static Path dir;
    static TlsTestSupport.Certificate cert;

    @BeforeAll
    static void certificates() throws Exception {
        cert = TlsTestSupport.selfSigned(dir, "hints");
    }

    /** {@return every message of the handshake failure of a client of {@code tls} asking for {@code host}} */
    private static String refusal(TlsContext tls, String host) throws Exception {
        TlsContext server = TlsContexts.server(cert.cert(), cert.key()).build();
        try (EventLoopGroup group = new EventLoopGroup(1, "hints")) {
            TlsTestSupport.EchoServer echo = TlsTestSupport.echoServer(group, server, 0);
            TlsTestSupport.Client client = TlsTestSupport.connect(group, tls, host, echo.port());
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> client.tls().handshakeFuture().get(TlsTestSupport.TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertTrue(client.channel().closeFuture().await(TlsTestSupport.TIMEOUT_SECONDS, TimeUnit.SECONDS));
            echo.channel().close().sync();
            return String.join(" | ", TlsTestSupport.messages(failure.getCause()));
        }
    }

    @Test
    void anUntrustedChainSaysHowToTrustItsCa() throws Exception {
        String message = refusal(TlsContexts.client().build(), "localhost");
        assertTrue(message.contains("PKIX path building failed"), message);
        assertTrue(message.contains("--ca FILE") && message.contains("TlsContexts.client().trust(caPem)"), message);
        assertTrue(message.contains("CN=localhost"), message);
    }

    @Test
    void aNameMismatchNamesTheHostAndTheCertificatesNames() throws Exception {
        String message = refusal(TlsContexts.client().trust(cert.cert()).build(), "wrong.example");
        assertTrue(message.contains("\"wrong.example\""), message);
        assertTrue(message.contains("localhost, 127.0.0.1"), message);
    }
}
