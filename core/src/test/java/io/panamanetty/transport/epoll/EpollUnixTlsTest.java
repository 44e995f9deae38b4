package io.panamanetty.transport.epoll;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import io.panamanetty.tls.TlsContext;
import io.panamanetty.tls.TlsContexts;
import io.panamanetty.tls.TlsTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.panamanetty.transport.epoll.UnixPeers.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS over a Unix domain socket, which has no host name: the client names the identity the
 * server's certificate must hold ({@code Bootstrap.tlsServerName}), or turns verification off
 * on purpose; without either the connect is refused. With openssl's {@code s_client -unix} as
 * an outside peer too. The certificate is made with openssl for {@code localhost}.
 */
@ExtendWith(LeakCheck.class)
class EpollUnixTlsTest {
    @TempDir
    static Path dir;
    static TlsTestSupport.Certificate cert;

    @BeforeAll
    static void certificate() throws Exception {
        cert = TlsTestSupport.selfSigned(dir, "unix-localhost");
    }

    private static Channel tlsEchoServer(EventLoopGroup group, Path file) throws InterruptedException {
        return new ServerBootstrap().group(group).tls(cert.cert(), cert.key()).bind(file).sync().channel();
    }

    private static Bootstrap client(EventLoopGroup group, TlsContext tls, TlsTestSupport.Collector collector) {
        return new Bootstrap().group(group).tls(tls).handler(() -> collector);
    }

    private static Throwable failure(ChannelFuture future) throws InterruptedException {
        assertTrue(future.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "not done in time");
        assertFalse(future.isSuccess(), "succeeded");
        return future.cause();
    }

    @Test
    void clientVerifiesTheServerNamedExplicitly(@TempDir Path socketDir) throws Exception {
        Path file = socketDir.resolve("tls.sock");
        try (EventLoopGroup group = new EventLoopGroup(2, "unix-tls")) {
            Channel server = tlsEchoServer(group, file);
            TlsTestSupport.Collector collector = new TlsTestSupport.Collector();
            Channel client = client(group, TlsContexts.client().trust(cert.cert()).build(), collector)
                    .tlsServerName("localhost").connect(file).sync().channel();   // done once the handshake is
            byte[] payload = new byte[300_000];
            new Random(5).nextBytes(payload);
            client.writeAndFlush(BufferAllocator.defaultAllocator().copyOf(payload));
            assertArrayEquals(payload, collector.await(b -> b.length >= payload.length));
            client.close().sync();
            server.close().sync();
        }
    }

    @Test
    void aVerifyingClientWithoutAServerNameIsRefused(@TempDir Path socketDir) throws Exception {
        Path file = socketDir.resolve("no-name.sock");
        try (EventLoopGroup group = new EventLoopGroup(2, "unix-tls-no-name")) {
            Channel server = tlsEchoServer(group, file);
            Throwable refused = failure(client(group, TlsContexts.client().trust(cert.cert()).build(),
                    new TlsTestSupport.Collector()).connect(file));
            assertInstanceOf(IllegalStateException.class, refused);
            assertTrue(refused.getMessage().contains("Bootstrap.tlsServerName"), refused.getMessage());
            server.close().sync();
        }
    }

    @Test
    void aServerWithoutTheNamedIdentityFailsTheHandshake(@TempDir Path socketDir) throws Exception {
        Path file = socketDir.resolve("wrong-name.sock");
        try (EventLoopGroup group = new EventLoopGroup(2, "unix-tls-wrong-name")) {
            Channel server = tlsEchoServer(group, file);
            Throwable refused = failure(client(group, TlsContexts.client().trust(cert.cert()).build(),
                    new TlsTestSupport.Collector()).tlsServerName("db.internal").connect(file));
            assertInstanceOf(SSLHandshakeException.class, refused);
            assertTrue(refused.getMessage().contains("db.internal"), refused.getMessage());
            server.close().sync();
        }
    }

    @Test
    void verificationTurnedOffConnectsWithoutAName(@TempDir Path socketDir) throws Exception {
        Path file = socketDir.resolve("unverified.sock");
        try (EventLoopGroup group = new EventLoopGroup(2, "unix-tls-unverified")) {
            Channel server = tlsEchoServer(group, file);
            TlsTestSupport.Collector collector = new TlsTestSupport.Collector();
            Channel client = client(group, TlsContexts.client().verify(false).build(), collector)
                    .connect(file).sync().channel();
            client.writeAndFlush("unverified".getBytes(StandardCharsets.US_ASCII));
            assertArrayEquals("unverified".getBytes(StandardCharsets.US_ASCII),
                    collector.await(b -> b.length >= 10));
            client.close().sync();
            server.close().sync();
        }
    }

    @Test
    void opensslClientOverTheSocketFile(@TempDir Path socketDir) throws Exception {
        UnixPeers.requireProgram("openssl");
        Path file = socketDir.resolve("openssl.sock");
        try (EventLoopGroup group = new EventLoopGroup(2, "unix-tls-openssl")) {
            Channel server = tlsEchoServer(group, file);
            Path out = socketDir.resolve("s_client.out");
            Process client = TlsTestSupport.start(out, "openssl", "s_client", "-unix", file.toString(), "-quiet",
                    "-verify_return_error", "-CAfile", cert.cert().toString(), "-servername", "localhost",
                    "-verify_hostname", "localhost");
            try {
                String line = "hello over a unix socket\n";
                client.getOutputStream().write(line.getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
                TlsTestSupport.awaitFileContains(out, line, client);
            } finally {
                TlsTestSupport.stop(client);
            }
            server.close().sync();
        }
    }
}
