package io.panamanetty.tls;

import java.net.InetSocketAddress;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelException;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.handler.EchoHandler;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import io.panamanetty.bootstrap.ServerBootstrap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A server certificate past its NotAfter date: a verifying client refuses it and says why. */
@ExtendWith(LeakCheck.class)
class ExpiredCertificateTest {

    /** A CA (valid now) and a leaf for localhost / 127.0.0.1 that it signed, valid only on 1 January 2020. */
    private record ExpiredChain(Path ca, Path leaf, Path leafKey) {
    }

    /**
     * OpenSSL 3.0's {@code req}/{@code x509} take no start date, so the leaf is signed with
     * {@code openssl ca -startdate -enddate}, which needs a small CA directory.
     */
    private static ExpiredChain expiredChain(Path dir) throws Exception {
        Path ca = dir.resolve("ca-cert.pem");
        Path caKey = dir.resolve("ca-key.pem");
        TlsTestSupport.run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=Test CA",
                "-days", "2", "-keyout", caKey.toString(), "-out", ca.toString());
        Path leafKey = dir.resolve("leaf-key.pem");
        Path csr = dir.resolve("leaf.csr");
        TlsTestSupport.run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                "-keyout", leafKey.toString(), "-out", csr.toString());
        Files.writeString(dir.resolve("index.txt"), "");
        Files.writeString(dir.resolve("serial"), "01\n");
        Path config = dir.resolve("ca.cnf");
        Files.writeString(config, String.join("\n",
                "[ ca ]",
                "default_ca = test_ca",
                "[ test_ca ]",
                "database = " + dir.resolve("index.txt"),
                "serial = " + dir.resolve("serial"),
                "new_certs_dir = " + dir,
                "certificate = " + ca,
                "private_key = " + caKey,
                "default_md = sha256",
                "policy = any_name",
                "unique_subject = no",
                "copy_extensions = none",
                "[ any_name ]",
                "commonName = supplied",
                "[ leaf ]",
                "basicConstraints = CA:FALSE",
                "subjectAltName = DNS:localhost,IP:127.0.0.1",
                ""));
        Path leaf = dir.resolve("leaf-cert.pem");
        TlsTestSupport.run(dir, "openssl", "ca", "-batch", "-config", config.toString(), "-extensions", "leaf",
                "-startdate", "20200101000000Z", "-enddate", "20200102000000Z", "-notext",
                "-in", csr.toString(), "-out", leaf.toString());
        return new ExpiredChain(ca, leaf, leafKey);
    }

    @Test
    void aVerifyingClientRefusesAnExpiredCertificateAndTheServerGoesOn(@TempDir Path dir) throws Exception {
        ExpiredChain chain = expiredChain(dir);
        X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(chain.leaf())));
        assertThrows(CertificateExpiredException.class, () -> leaf.checkValidity(new Date()),
                "the test certificate should have expired: " + leaf.getNotAfter());

        try (EventLoopGroup group = new EventLoopGroup(2, "expired-tls")) {
            Channel server = new ServerBootstrap().group(group)
                    .tls(chain.leaf(), chain.leafKey())
                    .childHandler(EchoHandler::new)
                    .bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();

            // trusts the CA that signed the certificate: only the dates are wrong
            ChannelFuture connect = new Bootstrap().group(group)
                    .tls(TlsContexts.client().trust(chain.ca()).build())
                    .handler(TlsTestSupport.Collector::new)
                    .connect("localhost", port);
            ChannelException failure = assertThrows(ChannelException.class, connect::sync);
            List<String> messages = TlsTestSupport.messages(failure);
            String all = String.join(" | ", messages);
            assertTrue(all.contains("validity check failed") || all.contains("expired") || all.contains("NotAfter"),
                    all);
            assertFalse(connect.isSuccess());
            assertTrue(connect.channel().closeFuture().await(30, TimeUnit.SECONDS));
            assertFalse(connect.channel().isOpen());

            // the server still serves: a client that does not check dates gets its echo
            TlsTestSupport.Collector collector = new TlsTestSupport.Collector();
            Channel client = new Bootstrap().group(group)
                    .tls(TlsContexts.client().verify(false).build())
                    .handler(() -> collector)
                    .connect("localhost", port).sync().channel();
            client.writeAndFlush("still here".getBytes(StandardCharsets.UTF_8));
            byte[] echoed = collector.await(bytes -> bytes.length >= 10);
            assertEquals("still here", new String(echoed, StandardCharsets.UTF_8));
            client.close().sync();
            server.close().sync();
        }
    }
}
