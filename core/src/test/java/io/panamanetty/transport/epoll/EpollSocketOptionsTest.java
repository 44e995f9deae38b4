package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.SockOpt;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelConfig;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.ConnectTimeoutException;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The socket options of {@link ChannelOption} and {@link EpollChannelOption} on real
 * loopback connections and listeners: each set through a bootstrap or a live config, read
 * back as the kernel reports it (compared with {@code getsockopt} on the channel's fd, on
 * its loop), refused ones naming call and errno, misplaced ones refused by kind.
 */
@ExtendWith(LeakCheck.class)
class EpollSocketOptionsTest {
    private static final int TIMEOUT_SECONDS = 30;

    /** A handler that does nothing with what it reads. */
    private static final class Quiet extends ChannelHandlerAdapter {
    }

    /** Options that read back exactly as set, with the (level, name) to check them by. */
    private record Expected<T>(ChannelOption<T> option, T value, int level, int name) {
    }

    @Test
    void connectionOptionsReadBackAsTheKernelHasThem() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "options");
             ServerSocket peer = new ServerSocket(0, 4, InetAddress.getByName("127.0.0.1"))) {
            Bootstrap bootstrap = new Bootstrap().group(group).handler(Quiet::new);
            Expected<?>[] exact = {
                new Expected<>(ChannelOption.TCP_NODELAY, false, SockOpt.SOL_TCP, Sockets.TCP_NODELAY),
                new Expected<>(ChannelOption.SO_KEEPALIVE, true, Sockets.SOL_SOCKET, Sockets.SO_KEEPALIVE),
                new Expected<>(EpollChannelOption.TCP_KEEPIDLE, 33, SockOpt.SOL_TCP, Sockets.TCP_KEEPIDLE),
                new Expected<>(EpollChannelOption.TCP_KEEPINTVL, 7, SockOpt.SOL_TCP, Sockets.TCP_KEEPINTVL),
                new Expected<>(EpollChannelOption.TCP_KEEPCNT, 4, SockOpt.SOL_TCP, Sockets.TCP_KEEPCNT),
                new Expected<>(EpollChannelOption.TCP_USER_TIMEOUT, 12_345, SockOpt.SOL_TCP, SockOpt.TCP_USER_TIMEOUT),
                new Expected<>(EpollChannelOption.TCP_NOTSENT_LOWAT, 16_384,
                        SockOpt.SOL_TCP, SockOpt.TCP_NOTSENT_LOWAT),
                new Expected<>(EpollChannelOption.TCP_CORK, true, SockOpt.SOL_TCP, SockOpt.TCP_CORK),
                new Expected<>(ChannelOption.IP_TOS, 0x20, SockOpt.SOL_IP, SockOpt.IP_TOS),
                new Expected<>(EpollChannelOption.SO_BUSY_POLL, 50, Sockets.SOL_SOCKET, SockOpt.SO_BUSY_POLL),
                new Expected<>(EpollChannelOption.SO_RCVLOWAT, 10, Sockets.SOL_SOCKET, Sockets.SO_RCVLOWAT),
                new Expected<>(EpollChannelOption.IP_FREEBIND, true, SockOpt.SOL_IP, SockOpt.IP_FREEBIND),
                new Expected<>(EpollChannelOption.IP_TRANSPARENT, true, SockOpt.SOL_IP, SockOpt.IP_TRANSPARENT),
                new Expected<>(EpollChannelOption.IP_RECVORIGDSTADDR, true, SockOpt.SOL_IP, SockOpt.IP_RECVORIGDSTADDR),
                new Expected<>(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true,
                        SockOpt.SOL_IP, SockOpt.IP_BIND_ADDRESS_NO_PORT),
                new Expected<>(ChannelOption.TCP_FASTOPEN_CONNECT, true, SockOpt.SOL_TCP, SockOpt.TCP_FASTOPEN_CONNECT),
                new Expected<>(ChannelOption.SO_REUSEADDR, true, Sockets.SOL_SOCKET, Sockets.SO_REUSEADDR),
            };
            for (Expected<?> expected : exact) {
                set(bootstrap, expected);
            }
            bootstrap.option(ChannelOption.SO_RCVBUF, 65_536).option(ChannelOption.SO_SNDBUF, 65_536)
                    .option(ChannelOption.SO_LINGER, 3).option(EpollChannelOption.TCP_MAXSEG, 1000);
            Channel channel = bootstrap.connect(new InetSocketAddress("127.0.0.1", peer.getLocalPort()))
                    .sync().channel();
            try (Socket _ = peer.accept()) {
                ChannelConfig config = channel.config();
                for (Expected<?> expected : exact) {
                    Object kernel = kernelInt(channel, expected.level(), expected.name());
                    Object want = expected.value() instanceof Boolean on ? (Object) (on ? 1 : 0) : expected.value();
                    assertEquals(want, kernel, expected.option() + " in the kernel");
                    assertEquals(expected.value(), config.getOption(expected.option()),
                            expected.option() + " read back");
                }
                // Linux doubles the buffer sizes asked for (room for its bookkeeping): the read says so.
                assertEquals(131_072, config.getOption(ChannelOption.SO_RCVBUF));
                assertEquals(131_072, config.getOption(ChannelOption.SO_SNDBUF));
                assertEquals(3, config.getOption(ChannelOption.SO_LINGER));
                int mss = config.getOption(EpollChannelOption.TCP_MAXSEG);
                assertEquals(kernelInt(channel, SockOpt.SOL_TCP, SockOpt.TCP_MAXSEG), mss);
                assertTrue(mss > 0 && mss <= 1000, "the segment size in use, at most the one asked for: " + mss);

                // From the test thread (not the loop) and back off again.
                config.setOption(EpollChannelOption.TCP_CORK, false).setOption(ChannelOption.SO_LINGER, -1);
                assertEquals(false, config.getOption(EpollChannelOption.TCP_CORK));
                assertEquals(-1, config.getOption(ChannelOption.SO_LINGER));
                assertEquals(0, kernelInt(channel, SockOpt.SOL_TCP, SockOpt.TCP_CORK));
            } finally {
                channel.close().sync();
            }
        }
    }

    @Test
    void anOptionSetWhileConnectingReachesTheConnectedSocket() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "early-options");
             ServerSocket peer = new ServerSocket(0, 4, InetAddress.getByName("127.0.0.1"))) {
            Channel channel = new Bootstrap().group(group).handler(() -> new ChannelHandlerAdapter() {
                @Override
                public void channelRegistered(ChannelHandlerContext ctx) {
                    // Before the connect: Netty code sets options here too.
                    ctx.channel().config().setOption(EpollChannelOption.TCP_KEEPIDLE, 77);
                }
            }).connect(new InetSocketAddress("127.0.0.1", peer.getLocalPort())).sync().channel();
            try (Socket _ = peer.accept()) {
                assertEquals(77, channel.config().getOption(EpollChannelOption.TCP_KEEPIDLE));
                assertEquals(77, kernelInt(channel, SockOpt.SOL_TCP, Sockets.TCP_KEEPIDLE));
            } finally {
                channel.close().sync();
            }
        }
    }

    @Test
    void listenerOptionsReadBackAsTheKernelHasThem() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "listener-options")) {
            Map<InetAddress, byte[]> keys = new LinkedHashMap<>();
            keys.put(InetAddress.getByName("127.0.0.2"), "secret".getBytes(StandardCharsets.US_ASCII));
            Channel server = new ServerBootstrap().group(group).childHandler(Quiet::new)
                    .option(EpollChannelOption.TCP_DEFER_ACCEPT, 10)
                    .option(ChannelOption.TCP_FASTOPEN, 16)
                    .option(ChannelOption.SO_REUSEPORT, true)
                    .option(ChannelOption.SO_RCVBUF, 100_000)
                    .option(EpollChannelOption.TCP_MD5SIG, keys)
                    .bind("127.0.0.1", 0).sync().channel();
            try {
                ChannelConfig config = server.config();
                int deferAccept = config.getOption(EpollChannelOption.TCP_DEFER_ACCEPT);
                assertEquals(kernelInt(server, SockOpt.SOL_TCP, SockOpt.TCP_DEFER_ACCEPT), deferAccept);
                assertTrue(deferAccept >= 10, "rounded up to the retransmission steps: " + deferAccept);
                assertEquals(16, config.getOption(ChannelOption.TCP_FASTOPEN));
                assertEquals(true, config.getOption(ChannelOption.SO_REUSEPORT));
                assertEquals(200_000, config.getOption(ChannelOption.SO_RCVBUF));
                assertEquals(200_000, kernelInt(server, Sockets.SOL_SOCKET, Sockets.SO_RCVBUF));

                Map<InetAddress, byte[]> read = config.getOption(EpollChannelOption.TCP_MD5SIG);
                assertEquals(keys.keySet(), read.keySet());
                assertArrayEquals(keys.values().iterator().next(), read.values().iterator().next());
                // A new map replaces the keys: the dropped peer's key is removed from the socket.
                config.setOption(EpollChannelOption.TCP_MD5SIG,
                        Map.of(InetAddress.getByName("127.0.0.3"), new byte[] {1}));
                assertEquals(Map.of(InetAddress.getByName("127.0.0.3"), 1),
                        Map.of(config.getOption(EpollChannelOption.TCP_MD5SIG).keySet().iterator().next(), 1));
            } finally {
                server.close().sync();
            }
        }
    }

    @Test
    void md5SignedListenerTakesOnlySignedClients() throws Exception {
        byte[] key = "shared secret".getBytes(StandardCharsets.US_ASCII);
        Map<InetAddress, byte[]> keys = Map.of(InetAddress.getByName("127.0.0.1"), key);
        try (EventLoopGroup group = new EventLoopGroup(1, "md5")) {
            Channel server = new ServerBootstrap().group(group).childHandler(Quiet::new)
                    .option(EpollChannelOption.TCP_MD5SIG, keys).bind("127.0.0.1", 0).sync().channel();
            try {
                assertOnlySignedClientsConnect(group, server, keys);
            } finally {
                server.close().sync();
            }
        }
    }

    @Test
    void md5KeyForAnIpv4PeerWorksOnADualStackListener() throws Exception {
        byte[] key = "dual stack secret".getBytes(StandardCharsets.US_ASCII);
        Map<InetAddress, byte[]> keys = Map.of(InetAddress.getByName("127.0.0.1"), key);
        try (EventLoopGroup group = new EventLoopGroup(1, "md5-dual")) {
            // Before the key was given as a mapped address, the IPv6 socket refused it with EINVAL.
            Channel server = new ServerBootstrap().group(group).childHandler(Quiet::new)
                    .option(EpollChannelOption.TCP_MD5SIG, keys).bind("::", 0).sync().channel();
            try {
                assertEquals(keys.keySet(), server.config().getOption(EpollChannelOption.TCP_MD5SIG).keySet());
                assertOnlySignedClientsConnect(group, server, keys);
            } finally {
                server.close().sync();
            }
        }
    }

    /** A client from 127.0.0.1 signing with {@code keys} connects to {@code server}; an unsigned one cannot. */
    private static void assertOnlySignedClientsConnect(EventLoopGroup group, Channel server, Map<InetAddress, byte[]> keys)
            throws Exception {
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        Channel signed = new Bootstrap().group(group).handler(Quiet::new)
                .option(EpollChannelOption.TCP_MD5SIG, keys).connect("127.0.0.1", port).sync().channel();
        signed.close().sync();
        // An unsigned SYN is dropped by the listener: the connect can only time out.
        Throwable unsigned = new Bootstrap().group(group).handler(Quiet::new)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 1500).connect("127.0.0.1", port)
                .await().cause();
        assertInstanceOf(ConnectTimeoutException.class, unsigned);
    }

    @Test
    void trafficClassOnIpv6AndLingerZeroResetsThePeer() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "tclass");
             ServerSocket peer = new ServerSocket(0, 4, InetAddress.getByName("::1"))) {
            Channel channel = new Bootstrap().group(group).handler(Quiet::new)
                    .option(ChannelOption.IP_TOS, 0x28).option(ChannelOption.SO_LINGER, 0)
                    .connect(new InetSocketAddress("::1", peer.getLocalPort())).sync().channel();
            try (Socket accepted = peer.accept()) {
                assertEquals(0x28, channel.config().getOption(ChannelOption.IP_TOS));
                assertEquals(0x28, kernelInt(channel, SockOpt.SOL_IPV6, SockOpt.IPV6_TCLASS));
                accepted.setSoTimeout(TIMEOUT_SECONDS * 1000);
                channel.close().sync();
                InputStream in = accepted.getInputStream();
                SocketException reset = assertThrows(SocketException.class, in::read, "SO_LINGER 0 closes with RST");
                assertTrue(reset.getMessage().contains("reset"), reset.getMessage());
            }
        }
    }

    /** An IPv4 client of a dual-stack listener is served by an IPv6 socket: IP_TOS must mark its IPv4 packets too. */
    @Test
    void trafficClassReachesTheIpv4PacketsOfAnIpv4ClientOnADualStackListener() throws Exception {
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        try (EventLoopGroup group = new EventLoopGroup(1, "tos-dual")) {
            Channel server = new ServerBootstrap().group(group).childOption(ChannelOption.IP_TOS, 0x28)
                    .childHandler(() -> new ChannelHandlerAdapter() {
                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            accepted.complete(ctx.channel());
                        }
                    }).bind("::", 0).sync().channel();
            try (Socket client = new Socket("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort())) {
                Channel channel = accepted.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertEquals(0x28, kernelInt(channel, SockOpt.SOL_IPV6, SockOpt.IPV6_TCLASS));
                assertEquals(0x28, kernelInt(channel, SockOpt.SOL_IP, SockOpt.IP_TOS), "the IPv4 level, for the mapped peer");
                assertEquals(0x28, channel.config().getOption(ChannelOption.IP_TOS));
            }
        }
    }

    @Test
    void receiveLowWatermarkHoldsReadsBackUntilThatManyBytesAreIn() throws Exception {
        CompletableFuture<Integer> firstRead = new CompletableFuture<>();
        try (EventLoopGroup group = new EventLoopGroup(1, "rcvlowat")) {
            Channel server = new ServerBootstrap().group(group)
                    .childOption(EpollChannelOption.SO_RCVLOWAT, 1000)
                    .childHandler(() -> new ChannelHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object message) {
                            firstRead.complete(((Buffer) message).readableBytes());
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
            try (Socket client = new Socket("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort())) {
                client.setTcpNoDelay(true);
                for (int i = 0; i < 10; i++) {
                    client.getOutputStream().write(new byte[100]);   // ten segments of 100 bytes
                    client.getOutputStream().flush();
                    Thread.sleep(5);
                }
                assertEquals(1000, firstRead.get(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                        "epoll reported the socket readable only with 1000 bytes in");
            } finally {
                server.close().sync();
            }
        }
    }

    @Test
    void deferAcceptHandsOverAConnectionOnlyOnceItsDataIsIn() throws Exception {
        AtomicBoolean sent = new AtomicBoolean();
        CompletableFuture<Boolean> sentWhenActive = new CompletableFuture<>();
        try (EventLoopGroup group = new EventLoopGroup(1, "defer-accept")) {
            Channel server = new ServerBootstrap().group(group)
                    .option(EpollChannelOption.TCP_DEFER_ACCEPT, 5)
                    .childHandler(() -> new ChannelHandlerAdapter() {
                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            sentWhenActive.complete(sent.get());
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
            try (Socket client = new Socket("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort())) {
                Thread.sleep(300);   // connected; without TCP_DEFER_ACCEPT the child would be active by now
                sent.set(true);
                client.getOutputStream().write('x');
                assertTrue(sentWhenActive.get(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                        "the listener handed the connection over before its first byte");
            } finally {
                server.close().sync();
            }
        }
    }

    @Test
    void rawOptionsTakeIntsAndBytes() throws Exception {
        ChannelOption<Integer> windowClamp = RawSocketOption.ofInt("TCP_WINDOW_CLAMP", SockOpt.SOL_TCP, 10);
        ChannelOption<byte[]> congestion = RawSocketOption.ofBytes("TCP_CONGESTION", SockOpt.SOL_TCP, 13, 16);
        try (EventLoopGroup group = new EventLoopGroup(1, "raw");
             ServerSocket peer = new ServerSocket(0, 4, InetAddress.getByName("127.0.0.1"))) {
            Channel channel = new Bootstrap().group(group).handler(Quiet::new)
                    .option(windowClamp, 40_000).option(congestion, "reno".getBytes(StandardCharsets.US_ASCII))
                    .connect(new InetSocketAddress("127.0.0.1", peer.getLocalPort())).sync().channel();
            try (Socket _ = peer.accept()) {
                assertEquals(kernelInt(channel, SockOpt.SOL_TCP, 10), channel.config().getOption(windowClamp));
                byte[] name = channel.config().getOption(congestion);
                assertEquals("reno", new String(name, StandardCharsets.US_ASCII).split("\0")[0]);
                assertTrue(name.length <= 16, Arrays.toString(name));
            } finally {
                channel.close().sync();
            }
        }
    }

    @Test
    void aRefusedOptionNamesTheCallAndErrno() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "refused");
             ServerSocket peer = new ServerSocket(0, 4, InetAddress.getByName("127.0.0.1"))) {
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", peer.getLocalPort());
            Throwable atConnect = new Bootstrap().group(group).handler(Quiet::new)
                    .option(EpollChannelOption.TCP_MAXSEG, 10).connect(target).await().cause();
            assertEquals("setsockopt TCP_MAXSEG=10 failed: EINVAL (Invalid argument)", atConnect.getMessage());

            Channel channel = new Bootstrap().group(group).handler(Quiet::new)
                    .connect(target).sync().channel();
            try (Socket _ = peer.accept()) {
                UncheckedIOException live = assertThrows(UncheckedIOException.class,
                        () -> channel.config().setOption(EpollChannelOption.TCP_KEEPCNT, -1));
                assertInstanceOf(NativeIoException.class, live.getCause());
                assertEquals("setsockopt TCP_KEEPCNT=-1 failed: EINVAL (Invalid argument)",
                        live.getCause().getMessage());
                channel.close().sync();
                UncheckedIOException closed = assertThrows(UncheckedIOException.class,
                        () -> channel.config().setOption(ChannelOption.TCP_NODELAY, true));
                String message = closed.getCause().getMessage();
                assertTrue(message.startsWith("setsockopt TCP_NODELAY on closed "), message);
                assertTrue(message.endsWith("failed: EBADF (Bad file descriptor)"), message);
                UncheckedIOException read = assertThrows(UncheckedIOException.class,
                        () -> channel.config().getOption(EpollChannelOption.TCP_KEEPIDLE));
                assertTrue(read.getMessage().contains("EBADF"), read.getMessage());
            }
        }
    }

    @Test
    void readsRacingACloseGetAValueOrEbadfNeverAnotherSocketsOption() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "option-race");
             ServerSocket peer = new ServerSocket(0, 64, InetAddress.getByName("127.0.0.1"))) {
            for (int round = 0; round < 100; round++) {
                Channel channel = new Bootstrap().group(group).handler(Quiet::new)
                        .option(EpollChannelOption.TCP_KEEPIDLE, 4242)
                        .connect(new InetSocketAddress("127.0.0.1", peer.getLocalPort())).sync().channel();
                try (Socket _ = peer.accept()) {
                    CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
                        while (true) {
                            try {
                                int idle = channel.config().getOption(EpollChannelOption.TCP_KEEPIDLE);
                                if (idle != 4242) {
                                    return new AssertionError("read " + idle + " from some other socket");
                                }
                            } catch (Throwable t) {
                                return t;
                            }
                        }
                    });
                    channel.close().sync();
                    Throwable end = reader.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    assertInstanceOf(UncheckedIOException.class, end);
                    assertTrue(end.getCause().getMessage().endsWith("EBADF (Bad file descriptor)"), end.toString());
                }
            }
        }
    }

    @Test
    void anOptionOfTheOtherKindIsRefusedNamingWhereItBelongs() throws Exception {
        IllegalArgumentException client = assertThrows(IllegalArgumentException.class,
                () -> new Bootstrap().option(EpollChannelOption.TCP_DEFER_ACCEPT, 5));
        assertTrue(client.getMessage().startsWith("TCP_DEFER_ACCEPT is an option of listening channels"),
                client.getMessage());
        IllegalArgumentException server = assertThrows(IllegalArgumentException.class,
                () -> new ServerBootstrap().option(EpollChannelOption.TCP_CORK, true));
        assertTrue(server.getMessage().startsWith("TCP_CORK is an option of connections"), server.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new ServerBootstrap().childOption(ChannelOption.TCP_FASTOPEN, 5));

        CompletableFuture<Channel> child = new CompletableFuture<>();
        try (EventLoopGroup group = new EventLoopGroup(1, "kinds")) {
            Channel listener = new ServerBootstrap().group(group).childHandler(() -> new ChannelHandlerAdapter() {
                @Override
                public void channelActive(ChannelHandlerContext ctx) {
                    child.complete(ctx.channel());
                }
            }).bind("127.0.0.1", 0).sync().channel();
            try (Socket _ = new Socket("127.0.0.1", ((InetSocketAddress) listener.localAddress()).getPort())) {
                IllegalArgumentException onListener = assertThrows(IllegalArgumentException.class,
                        () -> listener.config().setOption(EpollChannelOption.TCP_QUICKACK, true));
                assertEquals("TCP_QUICKACK is an option of connections, not of listening channels",
                        onListener.getMessage());
                Channel accepted = child.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                IllegalArgumentException onChild = assertThrows(IllegalArgumentException.class,
                        () -> accepted.config().getOption(EpollChannelOption.TCP_DEFER_ACCEPT));
                assertEquals("TCP_DEFER_ACCEPT is an option of listening channels, not of connections",
                        onChild.getMessage());
                // Options an accepted connection inherits from its listener fit both.
                accepted.config().setOption(EpollChannelOption.TCP_KEEPIDLE, 20);
                assertEquals(20, accepted.config().getOption(EpollChannelOption.TCP_KEEPIDLE));
                accepted.close().sync();
            } finally {
                listener.close().sync();
            }
        }
    }

    private static <T> void set(Bootstrap bootstrap, Expected<T> expected) {
        bootstrap.option(expected.option(), expected.value());
    }

    /** {@code getsockopt} of an int straight from the channel's fd, on its loop. */
    static int kernelInt(Channel channel, int level, int name) throws Exception {
        AbstractEpollChannel epoll = (AbstractEpollChannel) channel;
        return epoll.onLoop(() -> Sockets.getInt(epoll.fd(), level, name));
    }
}
