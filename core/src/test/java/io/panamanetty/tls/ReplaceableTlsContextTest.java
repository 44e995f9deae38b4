package io.panamanetty.tls;

import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A server's certificate replaced while it runs: the next connection gets the new one, an open one goes on. */
@ExtendWith(LeakCheck.class)
class ReplaceableTlsContextTest {

    private static String fingerprint(X509Certificate certificate) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }

    private static String fingerprint(Path pem) throws Exception {
        return fingerprint(PemFiles.certificates(PemFiles.read(pem), pem).getFirst());
    }

    @Test
    void theNextConnectionGetsTheNewPairWhileAnOpenOneKeepsWorking(@TempDir Path dir) throws Exception {
        TlsTestSupport.Certificate first = TlsTestSupport.selfSigned(dir, "first");
        TlsTestSupport.Certificate second = TlsTestSupport.selfSigned(dir, "second");
        Path both = Files.writeString(dir.resolve("both-cas.pem"),
                Files.readString(first.cert()) + Files.readString(second.cert()));
        TlsContext client = TlsContexts.client().trust(both).build();
        ReplaceableTlsContext tls = new ReplaceableTlsContext(TlsContexts.server(first.cert(), first.key()).build());
        try (EventLoopGroup group = new EventLoopGroup(2, "replace")) {
            java.util.concurrent.BlockingQueue<Throwable> errors = new java.util.concurrent.LinkedBlockingQueue<>();
            Channel server = new ServerBootstrap().group(group).tls(tls)
                    .childHandler(() -> new TlsTestSupport.Echo(errors, new java.util.concurrent.CountDownLatch(0)))
                    .bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();

            TlsTestSupport.Client open = TlsTestSupport.connect(group, client, "localhost", port);
            open.tls().handshakeFuture().get(TlsTestSupport.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals(fingerprint(first.cert()), fingerprint(open.tls().peerCertificates().getFirst()));

            TlsContext old = tls.replace(TlsContexts.server(second.cert(), second.key()).build());
            assertNotEquals(old, tls.get());

            TlsTestSupport.Client next = TlsTestSupport.connect(group, client, "localhost", port);
            next.tls().handshakeFuture().get(TlsTestSupport.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals(fingerprint(second.cert()), fingerprint(next.tls().peerCertificates().getFirst()));

            // and openssl, verifying against the new certificate alone, sees it too
            Path out = dir.resolve("s_client.out");
            Process openssl = TlsTestSupport.start(out, "openssl", "s_client", "-connect", "127.0.0.1:" + port,
                    "-CAfile", second.cert().toString(), "-verify_return_error", "-servername", "localhost");
            try {
                openssl.getOutputStream().write("new pair\n".getBytes(StandardCharsets.US_ASCII));
                openssl.getOutputStream().flush();
                String output = TlsTestSupport.awaitFileContains(out, "\nnew pair\n", openssl);
                assertTrue(output.contains("Verify return code: 0"), output);
            } finally {
                TlsTestSupport.stop(openssl);
            }

            // the connection opened before the replacement still talks, with its first certificate
            open.channel().writeAndFlush("still open".getBytes(StandardCharsets.US_ASCII));
            byte[] echoed = open.collector().await(bytes -> bytes.length >= 10);
            assertEquals("still open", new String(echoed, StandardCharsets.US_ASCII));
            assertEquals(fingerprint(first.cert()), fingerprint(open.tls().peerCertificates().getFirst()));

            open.channel().close().sync();
            next.channel().close().sync();
            server.close().sync();
            assertTrue(errors.isEmpty(), errors.toString());
        }
    }

    @Test
    void onlyServerContextsAreTaken(@TempDir Path dir) throws Exception {
        TlsTestSupport.Certificate cert = TlsTestSupport.selfSigned(dir, "only");
        TlsContext server = TlsContexts.server(cert.cert(), cert.key()).build();
        assertThrows(IllegalArgumentException.class, () -> new ReplaceableTlsContext(TlsContexts.client().build()));
        ReplaceableTlsContext tls = new ReplaceableTlsContext(server);
        assertThrows(IllegalArgumentException.class, () -> tls.replace(TlsContexts.client().build()));
        assertSame(server, tls.get());
        assertEquals(List.of(), tls.get().warnings());
    }
}
