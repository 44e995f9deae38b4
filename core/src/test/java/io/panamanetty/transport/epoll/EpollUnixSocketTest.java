package io.panamanetty.transport.epoll;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.DomainSocketAddress;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.PeerCredentials;
import io.panamanetty.channel.StreamChannel;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.BindException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import io.panamanetty.channel.ChannelFuture;
import java.util.concurrent.TimeUnit;

import static io.panamanetty.transport.epoll.UnixPeers.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unix domain stream sockets through the bootstraps, between our own server and client and
 * the JDK's Unix {@code SocketChannel}: addresses, the socket file's life (stale files, own
 * file removed on close), path errors, peer credentials, and socket options of the wrong family.
 */
@ExtendWith(LeakCheck.class)
class EpollUnixSocketTest {

    private static byte[] payload(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Our client sends {@code payload} to {@code server}, half-closes, and gets back all it reads. */
    private static byte[] echoThrough(EventLoopGroup group, Object address, byte[] payload) throws Exception {
        UnixPeers.Collector collector = new UnixPeers.Collector();
        Bootstrap bootstrap = new Bootstrap().group(group).handler(() -> collector)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true);
        Channel client = (address instanceof Path path ? bootstrap.connect(path)
                : bootstrap.connect((java.net.SocketAddress) address)).sync().channel();
        client.writeAndFlush(payload.clone());
        ((StreamChannel) client).shutdownOutput().sync();
        byte[] echoed = collector.await();
        client.closeFuture().sync();
        return echoed;
    }

    @Test
    void echoOverASocketFileReportsUnixAddressesAndRemovesTheFileOnClose(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("echo.sock");
        try (EventLoopGroup group = new EventLoopGroup(2, "unix-echo")) {
            CompletableFuture<Channel> accepted = new CompletableFuture<>();
            Channel server = new ServerBootstrap().group(group).childInitializer(ch -> {
                accepted.complete(ch);
                ch.pipeline().addLast(new io.panamanetty.handler.EchoHandler());
            }).bind(file).sync().channel();
            assertEquals(DomainSocketAddress.of(file), server.localAddress());
            assertTrue(Files.exists(file));

            byte[] payload = payload(1_000_000, 1);
            assertArrayEquals(payload, echoThrough(group, file, payload));

            Channel child = accepted.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals(DomainSocketAddress.of(file), child.localAddress());
            assertEquals(DomainSocketAddress.unnamed(), child.remoteAddress(), "the client never bound");

            server.close().sync();
            assertFalse(Files.exists(file), "the server removed its socket file");
        }
    }

    @Test
    void clientReportsTheAddressItConnectedToAndTheJdksAddressIsAccepted(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("jdk.sock");
        try (EventLoopGroup group = new EventLoopGroup(1, "unix-jdk")) {
            Channel server = new ServerBootstrap().group(group, group)
                    .bind(UnixDomainSocketAddress.of(file)).sync().channel();
            Channel client = new Bootstrap().group(group).connect(UnixDomainSocketAddress.of(file)).sync().channel();
            assertEquals(DomainSocketAddress.of(file), client.remoteAddress());
            assertEquals(DomainSocketAddress.unnamed(), client.localAddress());
            assertTrue(client.toString().contains("R:" + file), client.toString());
            client.close().sync();
            server.close().sync();
        }
    }

    @Test
    void abstractNameLeavesNoFile(@TempDir Path dir) throws Exception {
        DomainSocketAddress name = DomainSocketAddress.of("@panama-netty-" + ProcessHandle.current().pid()
                + "-" + System.nanoTime());
        try (EventLoopGroup group = new EventLoopGroup(2, "unix-abstract")) {
            Channel server = new ServerBootstrap().group(group).bind(name).sync().channel();
            assertEquals(name, server.localAddress());
            assertTrue(name.isAbstract());
            byte[] payload = payload(200_000, 2);
            assertArrayEquals(payload, echoThrough(group, name, payload));

            Throwable taken = failure(new ServerBootstrap().group(group).bind(name));
            assertTrue(taken.getMessage().startsWith("bind " + name + " failed: EADDRINUSE"),
                    taken.getMessage());
            server.close().sync();
        }
    }

    @Test
    void staleSocketFileIsReportedAndReplacedOnlyWhenAskedTo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("stale.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(file));   // the JDK leaves the file behind on close
        }
        assertTrue(Files.exists(file));
        try (EventLoopGroup group = new EventLoopGroup(2, "unix-stale")) {
            Throwable refused = failure(new ServerBootstrap().group(group).bind(file));
            BindException bind = assertInstanceOf(BindException.class, refused);
            assertEquals("bind " + file + " failed: EADDRINUSE (Address already in use): a socket file nothing"
                    + " listens on (left by a server that is gone?) is there; remove it, or set"
                    + " UNIX_REMOVE_STALE_SOCKET to replace it", bind.getMessage());
            assertTrue(Files.exists(file), "not removed without the option");

            Channel server = new ServerBootstrap().group(group).option(ChannelOption.UNIX_REMOVE_STALE_SOCKET, true)
                    .bind(file).sync().channel();
            byte[] payload = payload(10_000, 3);
            assertArrayEquals(payload, echoThrough(group, file, payload));

            Throwable live = failure(new ServerBootstrap().group(group)
                    .option(ChannelOption.UNIX_REMOVE_STALE_SOCKET, true).bind(file)
                    );
            assertEquals("bind " + file + " failed: EADDRINUSE (Address already in use): a server is listening on it",
                    live.getMessage());
            assertArrayEquals(payload, echoThrough(group, file, payload), "the live server was left alone");
            server.close().sync();
            assertFalse(Files.exists(file));
        }
    }

    @Test
    void aFileThatIsNotASocketIsNeverRemoved(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("data.sock"), "precious");
        try (EventLoopGroup group = new EventLoopGroup(1, "unix-regular")) {
            Throwable refused = failure(new ServerBootstrap()
                    .group(group, group).option(ChannelOption.UNIX_REMOVE_STALE_SOCKET, true).bind(file)
                    );
            assertEquals("bind " + file + " failed: EADDRINUSE (Address already in use): a file that is not a"
                    + " socket is there", refused.getMessage());
            assertEquals("precious", Files.readString(file));
        }
    }

    @Test
    void theFileOfAnotherServerIsNotRemovedOnClose(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("replaced.sock");
        try (EventLoopGroup group = new EventLoopGroup(1, "unix-replaced")) {
            Channel first = new ServerBootstrap().group(group, group).bind(file).sync().channel();
            Files.delete(file);   // someone removes it, and another server binds the path
            try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                other.bind(UnixDomainSocketAddress.of(file));
                first.close().sync();
                assertTrue(Files.exists(file), "the other server's file stays");
            }
        }
    }

    @Test
    void pathErrorsNameThePath(@TempDir Path dir) throws Exception {
        Path regular = Files.writeString(dir.resolve("plain"), "x");
        Path underFile = regular.resolve("x.sock");
        Path missingDir = dir.resolve("missing/x.sock");
        try (EventLoopGroup group = new EventLoopGroup(1, "unix-errors")) {
            Throwable notDir = failure(new ServerBootstrap()
                    .group(group, group).bind(underFile));
            assertEquals("bind " + underFile + " failed: ENOTDIR (Not a directory)", notDir.getMessage());
            Throwable noDir = failure(new ServerBootstrap()
                    .group(group, group).bind(missingDir));
            assertEquals("bind " + missingDir + " failed: ENOENT (No such file or directory)",
                    noDir.getMessage());

            Throwable noServer = failure(new Bootstrap().group(group).connect(dir.resolve("none.sock")));
            ConnectException connect = assertInstanceOf(ConnectException.class, noServer);
            assertEquals("connect " + dir.resolve("none.sock") + " failed: ENOENT (No such file or directory)",
                    connect.getMessage());
            Throwable notSocket = failure(new Bootstrap().group(group).connect(regular));
            assertEquals("connect " + regular + " failed: ECONNREFUSED (Connection refused)",
                    notSocket.getMessage());

            IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                    () -> DomainSocketAddress.of(dir.resolve("x".repeat(120))));
            assertTrue(tooLong.getMessage().contains("more than the 107 a Unix socket address holds"),
                    tooLong.getMessage());
        }
    }

    @Test
    void peerCredentialsAreThoseOfThisProcess(@TempDir Path dir) throws Exception {
        String status = Files.readString(Path.of("/proc/self/status"));
        PeerCredentials self = new PeerCredentials(ProcessHandle.current().pid(), idOf(status, "Uid:"),
                idOf(status, "Gid:"));
        Path file = dir.resolve("cred.sock");
        try (EventLoopGroup group = new EventLoopGroup(2, "unix-cred")) {
            CompletableFuture<PeerCredentials> seenByServer = new CompletableFuture<>();
            Channel server = new ServerBootstrap().group(group).childHandler(() -> new ChannelHandlerAdapter() {
                @Override
                public void channelActive(ChannelHandlerContext ctx) {
                    seenByServer.complete(((StreamChannel) ctx.channel()).peerCredentials());
                }
            }).bind(file).sync().channel();
            StreamChannel client = (StreamChannel) new Bootstrap().group(group).connect(file).sync().channel();
            assertEquals(self, client.peerCredentials(), "read from a thread off the loop");
            assertEquals(self, seenByServer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), "read on the loop");
            assertThrows(UnsupportedOperationException.class, client::tcpInfo);
            client.close().sync();
            assertThrows(java.io.UncheckedIOException.class, client::peerCredentials);

            Channel tcp = new ServerBootstrap().group(group).bind("127.0.0.1", 0).sync().channel();
            StreamChannel tcpClient = (StreamChannel) new Bootstrap().group(group)
                    .connect((java.net.InetSocketAddress) tcp.localAddress()).sync().channel();
            assertThrows(UnsupportedOperationException.class, tcpClient::peerCredentials);
            tcpClient.close().sync();
            tcp.close().sync();
            server.close().sync();
        }
    }

    @Test
    void optionsOfTheTcpAndIpLevelsAreLeftOutOrRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("options.sock");
        try (EventLoopGroup group = new EventLoopGroup(1, "unix-options")) {
            Channel server = new ServerBootstrap().group(group, group)
                    .option(ChannelOption.TCP_FASTOPEN, 16)           // a TCP listener's: left out here
                    .childOption(ChannelOption.TCP_NODELAY, true)     // the default anyway
                    .childOption(ChannelOption.SO_SNDBUF, 65_536)     // of the socket level: applied
                    .bind(file).sync().channel();
            Channel client = new Bootstrap().group(group).option(EpollChannelOption.TCP_QUICKACK, true)
                    .option(ChannelOption.SO_RCVBUF, 32_768).connect(file).sync().channel();
            assertEquals(65_536, client.config().getOption(ChannelOption.SO_RCVBUF), "Linux doubles it");
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> client.config().setOption(ChannelOption.TCP_NODELAY, true));
            assertTrue(refused.getMessage().startsWith("TCP_NODELAY is an option of TCP/IP sockets, not of the Unix"
                    + " domain socket"), refused.getMessage());
            assertThrows(IllegalArgumentException.class, () -> client.config().getOption(ChannelOption.IP_TOS));
            client.close().sync();
            server.close().sync();

            ServerBootstrap perLoop = new ServerBootstrap().group(group, group).listenerPerLoop(true);
            assertThrows(IllegalArgumentException.class, () -> perLoop.bind(file));
        }
    }

    @Test
    void aHandlerCanTurnATcpBindOrConnectIntoAUnixOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rerouted.sock");
        try (EventLoopGroup group = new EventLoopGroup(2, "unix-rerouted")) {
            Channel server = new ServerBootstrap().group(group).handler(new ChannelHandler() {
                @Override
                public void bind(ChannelHandlerContext ctx, java.net.SocketAddress local, ChannelPromise promise) {
                    ctx.bind(DomainSocketAddress.of(file), promise);   // asked for TCP, bound to a socket file
                }
            }).bind("127.0.0.1", 0).sync().channel();
            assertEquals(DomainSocketAddress.of(file), server.localAddress());
            UnixPeers.Collector collector = new UnixPeers.Collector();
            StreamChannel client = (StreamChannel) new Bootstrap().group(group)
                    .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .initializer(ch -> ch.pipeline().addLast(new ChannelHandler() {
                        @Override
                        public void connect(ChannelHandlerContext ctx, java.net.SocketAddress remote,
                                            java.net.SocketAddress local, ChannelPromise promise) {
                            ctx.connect(DomainSocketAddress.of(file), null, promise);
                        }
                    }, collector)).connect("127.0.0.1", 9).sync().channel();
            assertEquals(DomainSocketAddress.of(file), client.remoteAddress());
            client.writeAndFlush("rerouted".getBytes());
            client.shutdownOutput().sync();
            assertEquals("rerouted", new String(collector.await()));
            server.close().sync();
        }
    }

    @Test
    void jdkClientTalksToOurServer(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("jdk-client.sock");
        try (EventLoopGroup group = new EventLoopGroup(1, "unix-jdk-client")) {
            Channel server = new ServerBootstrap().group(group, group).bind(file).sync().channel();
            try (SocketChannel jdk = SocketChannel.open(UnixDomainSocketAddress.of(file))) {
                jdk.write(ByteBuffer.wrap("ping".getBytes()));
                ByteBuffer reply = ByteBuffer.allocate(4);
                while (reply.hasRemaining() && jdk.read(reply) >= 0) {
                    // read the echo
                }
                assertEquals("ping", new String(reply.array()));
            }
            server.close().sync();
        }
    }

    /** The failure of {@code future}, once it is done. */
    private static Throwable failure(ChannelFuture future) throws InterruptedException {
        assertTrue(future.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "not done in time");
        assertFalse(future.isSuccess(), "succeeded");
        return future.cause();
    }

    private static long idOf(String status, String field) {
        for (String line : status.split("\n")) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).strip().split("\\s+")[1]);   // the effective id
            }
        }
        throw new AssertionError("no " + field + " in /proc/self/status");
    }
}
