package io.panamanetty.testsuite;

import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import io.panamanetty.tls.TlsContext;
import io.panamanetty.tls.TlsContexts;
import io.panamanetty.tls.TlsTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;

import static io.panamanetty.tls.TlsTestSupport.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS echo over real sockets: our server to an openssl client (TLS 1.2 and 1.3), a megabyte
 * between our own client and server with ALPN, and our client to an openssl server.
 */
@ExtendWith(LeakCheck.class)
public abstract class TlsEchoScenario extends TransportScenario {
    @TempDir
    static Path dir;
    static TlsTestSupport.Certificate cert;

    @BeforeAll
    static void certificates() throws Exception {
        cert = TlsTestSupport.selfSigned(dir, "localhost");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    public void echoesToOpensslClient(String version) throws Exception {
        TlsContext server = TlsContexts.server(cert.cert(), cert.key()).build();
        try (EventLoopGroup group = transport().newGroup(2, "tls-echo")) {
            TlsTestSupport.EchoServer echo = TlsTestSupport.echoServer(group, server, 1);
            Path out = dir.resolve("s_client" + version + ".out");
            Process client = TlsTestSupport.start(out, "openssl", "s_client", "-connect", "127.0.0.1:" + echo.port(),
                    version, "-quiet", "-CAfile", cert.cert().toString(), "-servername", "localhost");
            try {
                String line = "hello over " + version + "\n";
                client.getOutputStream().write(line.getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
                TlsTestSupport.awaitFileContains(out, line, client);
                assertTrue(echo.handshakes().await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            } finally {
                TlsTestSupport.stop(client);
            }
            echo.channel().close().sync();
        }
    }

    @Test
    public void echoesOneMegabyteToOwnClientWithAlpn() throws Exception {
        TlsContext server = TlsContexts.server(cert.combined()).alpn("http/1.1").build();
        TlsContext client = TlsContexts.client().trust(cert.cert()).alpn("h2", "http/1.1").build();
        byte[] payload = new byte[1 << 20];
        new Random(42).nextBytes(payload);
        try (EventLoopGroup group = transport().newGroup(2, "tls-echo-1m")) {
            TlsTestSupport.EchoServer echo = TlsTestSupport.echoServer(group, server, 1);
            TlsTestSupport.Client c = TlsTestSupport.connect(group, client, "localhost", echo.port());
            c.channel().writeAndFlush(BufferAllocator.defaultAllocator().copyOf(payload));
            SSLSession session = c.tls().handshakeFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertTrue(session.getProtocol().equals("TLSv1.3"), session.getProtocol());
            assertEquals("http/1.1", c.tls().applicationProtocol());
            assertTrue(c.collector().handshake.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            byte[] echoed = c.collector().await(b -> b.length >= payload.length);
            assertEquals(payload.length, echoed.length);
            assertArrayEquals(payload, echoed);
            c.channel().close().sync();
            echo.channel().close().sync();
            assertTrue(c.collector().errors.isEmpty(), () -> c.collector().errors.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    public void ownClientTalksToOpensslServer(String version) throws Exception {
        int port = TlsTestSupport.freePort();
        Path out = dir.resolve("s_server" + version + ".out");
        Process server = TlsTestSupport.start(out, "openssl", "s_server", "-accept", "127.0.0.1:" + port,
                "-cert", cert.cert().toString(), "-key", cert.key().toString(), version, "-www");
        try {
            TlsTestSupport.awaitListening(port, server);
            TlsContext client = TlsContexts.client().trust(cert.cert()).build();
            try (EventLoopGroup group = transport().newGroup(1, "tls-s_server")) {
                TlsTestSupport.Client c = TlsTestSupport.connect(group, client, "localhost", port);
                c.channel().writeAndFlush("GET / HTTP/1.0\r\n\r\n");
                assertTrue(c.channel().closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                String page = new String(c.collector().received(), StandardCharsets.ISO_8859_1);
                assertTrue(page.startsWith("HTTP/1.0 200 ok"), page);
                String expected = version.equals("-tls1_2") ? "TLSv1.2" : "TLSv1.3";
                assertTrue(page.contains(expected), page);
                assertTrue(c.tls().handshakeFuture().isDone() && !c.tls().handshakeFuture().isCompletedExceptionally());
            }
        } finally {
            TlsTestSupport.stop(server);
        }
    }
}
