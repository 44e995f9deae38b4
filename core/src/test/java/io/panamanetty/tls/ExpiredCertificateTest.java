package io.panamanetty.tls;

import io.panamanetty.testing.DatedCertificates;

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

    @Test
    void aVerifyingClientRefusesAnExpiredCertificateAndTheServerGoesOn(@TempDir Path dir) throws Exception {
        DatedCertificates.Chain chain = DatedCertificates.issue(dir, "20200101000000Z", "20200102000000Z");
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
