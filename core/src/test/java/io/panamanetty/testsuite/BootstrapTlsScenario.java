package io.panamanetty.testsuite;

import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelException;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelInitializer;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.JulCapture;
import io.panamanetty.handler.EchoHandler;
import io.panamanetty.testing.LeakCheck;
import io.panamanetty.tls.TlsContexts;
import io.panamanetty.tls.TlsTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TLS configured on the bootstraps, as py-netty's README does it. */
@ExtendWith(LeakCheck.class)
public abstract class BootstrapTlsScenario extends TransportScenario {

    @Test
    public void serverFromPemFilesAndVerifyingClientEcho(@TempDir Path dir) throws Exception {
        TlsTestSupport.Certificate certificate = TlsTestSupport.selfSigned(dir, "server");
        try (EventLoopGroup group = transport().newGroup(2, "bootstrap-tls")) {
            // py-netty: ServerBootstrap(certfile=..., keyfile=...) with the same file twice
            Channel server = transport().serverBootstrap().group(group)
                    .tls(certificate.combined(), certificate.combined())
                    .childHandler(EchoHandler::new)
                    .bind(transport().serverAddress()).sync().channel();
            TlsTestSupport.Collector collector = new TlsTestSupport.Collector();
            Channel client = transport().connectByName(transport().bootstrap().group(group)
                    .tls(TlsContexts.client().trust(certificate.cert()).build())
                    .handler(() -> collector), server).sync().channel();
            assertTrue(collector.handshake.await(30, TimeUnit.SECONDS));   // done before connect's future
            client.writeAndFlush("over tls".getBytes(StandardCharsets.UTF_8));
            byte[] echoed = collector.await(bytes -> bytes.length >= 8);
            assertEquals("over tls", new String(echoed, StandardCharsets.UTF_8));
            client.close().sync();
            server.close().sync();
        }
    }

    @Test
    public void aWriteWithoutFlushIsSentOverTlsToo(@TempDir Path dir) throws Exception {
        TlsTestSupport.Certificate certificate = TlsTestSupport.selfSigned(dir, "noflush");
        try (EventLoopGroup group = transport().newGroup(2, "bootstrap-tls-write")) {
            Channel server = transport().serverBootstrap().group(group)
                    .tls(certificate.cert(), certificate.key())
                    .bind(transport().serverAddress()).sync().channel();
            TlsTestSupport.Collector collector = new TlsTestSupport.Collector();
            Channel client = transport().connectByName(transport().bootstrap().group(group)
                    .tls(TlsContexts.client().trust(certificate.cert()).build())
                    .handler(() -> collector), server).sync().channel();
            client.write("no flush".getBytes(StandardCharsets.UTF_8));   // as py-netty's channel.write
            byte[] echoed = collector.await(bytes -> bytes.length >= 8);
            assertEquals("no flush", new String(echoed, StandardCharsets.UTF_8));
            client.close().sync();
            server.close().sync();
        }
    }

    @Test
    public void verificationIsOnByDefaultAndFailsTheConnectFuture(@TempDir Path dir) throws Exception {
        TlsTestSupport.Certificate certificate = TlsTestSupport.selfSigned(dir, "untrusted");
        try (EventLoopGroup group = transport().newGroup(2, "bootstrap-tls-verify")) {
            Channel server = transport().serverBootstrap().group(group)
                    .tls(certificate.cert(), certificate.key())
                    .bind(transport().serverAddress()).sync().channel();
            try (JulCapture log = new JulCapture()) {
                List<Throwable> seen = new CopyOnWriteArrayList<>();
                ChannelFuture connect = transport().connectByName(transport().bootstrap().group(group).tls(true)
                        .handler(() -> new ChannelInitializer<Channel>() {   // adds its handler later, on the loop
                            @Override
                            protected void initChannel(Channel channel) {
                                channel.pipeline().addLast(new ChannelHandlerAdapter() {
                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        seen.add(cause);
                                        ctx.fireExceptionCaught(cause);   // on to the end of the pipeline
                                    }
                                });
                            }
                        }), server);
                ChannelException failure = assertThrows(ChannelException.class, connect::sync);
                assertTrue(failure.getMessage().contains("PKIX") || failure.getMessage().contains("certification path"),
                        failure.getMessage());
                assertFalse(connect.isSuccess());
                connect.channel().closeFuture().await(30, TimeUnit.SECONDS);
                assertFalse(connect.channel().isOpen());
                String logged = log.text();
                assertFalse(logged.contains("unhandled"), "the failure was reported twice:\n" + logged);
                assertFalse(seen.isEmpty(), "the application's handler did not see the failure");
            }
            server.close().sync();
        }
    }

    @Test
    public void aReadySslContextCanBeUsedOnBothSides(@TempDir Path dir) throws Exception {
        TlsTestSupport.Certificate certificate = TlsTestSupport.selfSigned(dir, "ctx");
        javax.net.ssl.SSLContext serverSsl = TlsContexts.server(certificate.cert(), certificate.key()).build().sslContext();
        javax.net.ssl.SSLContext clientSsl = TlsContexts.client().trust(certificate.cert()).build().sslContext();
        try (EventLoopGroup group = transport().newGroup(2, "bootstrap-tls-ctx")) {
            Channel server = transport().serverBootstrap().group(group)
                    .tls(TlsContexts.server(serverSsl).build())
                    .bind(transport().serverAddress()).sync().channel();
            TlsTestSupport.Collector collector = new TlsTestSupport.Collector();
            Channel client = transport().connectByName(transport().bootstrap().group(group)
                    .tls(TlsContexts.client(clientSsl).build())
                    .handler(() -> collector), server).sync().channel();
            client.writeAndFlush("ssl context".getBytes(StandardCharsets.UTF_8));
            assertEquals("ssl context", new String(collector.await(b -> b.length >= 11), StandardCharsets.UTF_8));
            client.close().sync();
            server.close().sync();
        }
    }

    @Test
    public void aMissingCertificateFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-cert.pem");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> transport().serverBootstrap().tls(missing, missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }
}
