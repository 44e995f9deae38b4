package io.panamanetty.transport.uring;

import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.SockOpt;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelConfig;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.ConnectTimeoutException;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.StreamChannel;
import io.panamanetty.testing.LeakCheck;
import io.panamanetty.transport.epoll.EpollChannelOption;
import io.panamanetty.transport.epoll.RawSocketOption;
import io.panamanetty.transport.socket.SocketCall;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
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
 * Socket options on io_uring connections and listeners, on real loopback sockets: the
 * bootstrap's and one set while connecting (from {@code channelRegistered}, before the socket
 * exists) read back from the connected socket; every socket option epoll's TCP channels take
 * ({@link EpollChannelOption}'s, raw ones, {@code TCP_MD5SIG}) reaches the io_uring socket,
 * checked with {@code getsockopt} on its fd, and does what it says where a loopback test can
 * see it (MD5-signed listeners, linger 0, deferred accept); refusals name the call and errno.
 */
@ExtendWith(LeakCheck.class)
@Timeout(120)
class IoUringSocketOptionsTest {
    private static final int TIMEOUT_SECONDS = 30;

    /** A handler that does nothing with what it reads. */
    private static final class Quiet extends ChannelHandlerAdapter {
    }

    /** An option that reads back exactly as set, with the (level, name) to check it by. */
    private record Expected<T>(ChannelOption<T> option, T value, int level, int name) {
        void setOn(Bootstrap bootstrap) {
            bootstrap.option(option, value);
        }
    }

    @BeforeAll
    static void ioUringWorksHere() {
        IoUringRequired.check();
    }

    @Test
    void bootstrapOptionsAndOnesSetWhileConnectingReachTheSocket() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "uring-options", new IoUringIoHandlerFactory());
             ServerSocket peer = new ServerSocket(0, 4, InetAddress.getByName("127.0.0.1"))) {
            Channel channel = new Bootstrap().group(group)
                    .option(ChannelOption.TCP_NODELAY, false)
                    .option(ChannelOption.SO_SNDBUF, 64 * 1024)
                    .handler(() -> new ChannelHandlerAdapter() {
                        @Override
                        public void channelRegistered(ChannelHandlerContext ctx) {
                            ctx.channel().config().setOption(ChannelOption.SO_KEEPALIVE, true);
                        }
                    }).connect(new InetSocketAddress("127.0.0.1", peer.getLocalPort())).sync().channel();
            try (Socket _ = peer.accept()) {
                assertEquals(false, channel.config().getOption(ChannelOption.TCP_NODELAY));
                assertEquals(true, channel.config().getOption(ChannelOption.SO_KEEPALIVE));
                assertTrue(channel.config().getOption(ChannelOption.SO_SNDBUF) >= 64 * 1024);   // the kernel doubles it
                channel.config().setOption(ChannelOption.TCP_NODELAY, true);
                assertEquals(true, channel.config().getOption(ChannelOption.TCP_NODELAY));
                channel.config().setOption(ChannelOption.IP_TOS, 0x20);
                assertEquals(0x20, channel.config().getOption(ChannelOption.IP_TOS));
                IllegalArgumentException notSocket = assertThrows(IllegalArgumentException.class,
                        () -> channel.config().setOption(ChannelOption.SO_BACKLOG, 5));
                assertTrue(notSocket.getMessage().contains("SO_BACKLOG"), notSocket.getMessage());
            } finally {
                channel.close().sync();
            }
        }
    }

    @Test
    void everySocketOptionOfEpollTcpReachesTheIoUringSocket() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "uring-all-options", new IoUringIoHandlerFactory());
             ServerSocket peer = new ServerSocket(0, 4, InetAddress.getByName("127.0.0.1"))) {
            Bootstrap bootstrap = new Bootstrap().group(group).handler(Quiet::new);
            List<Expected<?>> exact = List.of(
                    new Expected<>(EpollChannelOption.TCP_KEEPIDLE, 33, SockOpt.SOL_TCP, Sockets.TCP_KEEPIDLE),
                    new Expected<>(EpollChannelOption.TCP_KEEPINTVL, 7, SockOpt.SOL_TCP, Sockets.TCP_KEEPINTVL),
                    new Expected<>(EpollChannelOption.TCP_KEEPCNT, 4, SockOpt.SOL_TCP, Sockets.TCP_KEEPCNT),
                    new Expected<>(EpollChannelOption.TCP_USER_TIMEOUT, 12_345, SockOpt.SOL_TCP, SockOpt.TCP_USER_TIMEOUT),
                    new Expected<>(EpollChannelOption.TCP_NOTSENT_LOWAT, 16_384, SockOpt.SOL_TCP, SockOpt.TCP_NOTSENT_LOWAT),
                    new Expected<>(EpollChannelOption.TCP_CORK, true, SockOpt.SOL_TCP, SockOpt.TCP_CORK),
                    new Expected<>(EpollChannelOption.SO_BUSY_POLL, 50, Sockets.SOL_SOCKET, SockOpt.SO_BUSY_POLL),
                    new Expected<>(EpollChannelOption.SO_RCVLOWAT, 10, Sockets.SOL_SOCKET, Sockets.SO_RCVLOWAT),
                    new Expected<>(EpollChannelOption.IP_FREEBIND, true, SockOpt.SOL_IP, SockOpt.IP_FREEBIND),
                    new Expected<>(EpollChannelOption.IP_TRANSPARENT, true, SockOpt.SOL_IP, SockOpt.IP_TRANSPARENT),
                    new Expected<>(EpollChannelOption.IP_RECVORIGDSTADDR, true, SockOpt.SOL_IP, SockOpt.IP_RECVORIGDSTADDR),
                    new Expected<>(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true,
                            SockOpt.SOL_IP, SockOpt.IP_BIND_ADDRESS_NO_PORT),
                    new Expected<>(ChannelOption.TCP_FASTOPEN_CONNECT, true, SockOpt.SOL_TCP, SockOpt.TCP_FASTOPEN_CONNECT),
                    new Expected<>(ChannelOption.IP_TOS, 0x20, SockOpt.SOL_IP, SockOpt.IP_TOS));
            exact.forEach(expected -> expected.setOn(bootstrap));
            bootstrap.option(ChannelOption.SO_LINGER, 3).option(EpollChannelOption.TCP_MAXSEG, 1000);
            Channel channel = bootstrap.connect(new InetSocketAddress("127.0.0.1", peer.getLocalPort())).sync().channel();
            try (Socket _ = peer.accept()) {
                ChannelConfig config = channel.config();
                for (Expected<?> expected : exact) {
                    Object want = expected.value() instanceof Boolean on ? (Object) (on ? 1 : 0) : expected.value();
                    assertEquals(want, kernelInt(channel, expected.level(), expected.name()),
                            expected.option() + " in the kernel");
                    assertEquals(expected.value(), config.getOption(expected.option()), expected.option() + " read back");
                }
                assertEquals(3, config.getOption(ChannelOption.SO_LINGER));
                int mss = config.getOption(EpollChannelOption.TCP_MAXSEG);
                assertEquals(kernelInt(channel, SockOpt.SOL_TCP, SockOpt.TCP_MAXSEG), mss);
                assertTrue(mss > 0 && mss <= 1000, "the segment size in use, at most the one asked for: " + mss);

                // From the test thread (not the loop), on the live socket.
                config.setOption(EpollChannelOption.TCP_CORK, false).setOption(EpollChannelOption.TCP_QUICKACK, true);
                assertEquals(0, kernelInt(channel, SockOpt.SOL_TCP, SockOpt.TCP_CORK));
                assertEquals(false, config.getOption(EpollChannelOption.TCP_CORK));
            } finally {
                channel.close().sync();
            }
        }
    }

    @Test
    void listenerOptionsReadBackAndAnMd5SignedListenerTakesOnlySignedClients() throws Exception {
        byte[] key = "shared secret".getBytes(StandardCharsets.US_ASCII);
        Map<InetAddress, byte[]> keys = new LinkedHashMap<>();
        keys.put(InetAddress.getByName("127.0.0.1"), key);
        try (EventLoopGroup group = new EventLoopGroup(1, "uring-listener-options", new IoUringIoHandlerFactory())) {
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
                assertEquals(200_000, kernelInt(server, Sockets.SOL_SOCKET, Sockets.SO_RCVBUF));
                Map<InetAddress, byte[]> read = config.getOption(EpollChannelOption.TCP_MD5SIG);
                assertEquals(keys.keySet(), read.keySet());
                assertArrayEquals(key, read.get(InetAddress.getByName("127.0.0.1")));
                config.setOption(EpollChannelOption.TCP_DEFER_ACCEPT, 0);   // the connects below send no data

                int port = ((InetSocketAddress) server.localAddress()).getPort();
                Channel signed = new Bootstrap().group(group).handler(Quiet::new)
                        .option(EpollChannelOption.TCP_MD5SIG, keys).connect("127.0.0.1", port).sync().channel();
                signed.close().sync();
                // An unsigned SYN is dropped by the listener: the connect's linked timeout ends it.
                Throwable unsigned = new Bootstrap().group(group).handler(Quiet::new)
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 1500).connect("127.0.0.1", port)
                        .await().cause();
                assertInstanceOf(ConnectTimeoutException.class, unsigned);
            } finally {
                server.close().sync();
            }
        }
    }

    @Test
    void rawOptionsTakeIntsAndBytes() throws Exception {
        ChannelOption<Integer> windowClamp = RawSocketOption.ofInt("TCP_WINDOW_CLAMP", SockOpt.SOL_TCP, 10);
        ChannelOption<byte[]> congestion = RawSocketOption.ofBytes("TCP_CONGESTION", SockOpt.SOL_TCP, 13, 16);
        try (EventLoopGroup group = new EventLoopGroup(1, "uring-raw", new IoUringIoHandlerFactory());
             ServerSocket peer = new ServerSocket(0, 4, InetAddress.getByName("127.0.0.1"))) {
            Channel channel = new Bootstrap().group(group).handler(Quiet::new)
                    .option(windowClamp, 40_000).option(congestion, "reno".getBytes(StandardCharsets.US_ASCII))
                    .connect(new InetSocketAddress("127.0.0.1", peer.getLocalPort())).sync().channel();
            try (Socket _ = peer.accept()) {
                assertEquals(kernelInt(channel, SockOpt.SOL_TCP, 10), channel.config().getOption(windowClamp));
                byte[] name = channel.config().getOption(congestion);
                assertEquals("reno", new String(name, StandardCharsets.US_ASCII).split("\0")[0]);
                UnsupportedOperationException credentials = assertThrows(UnsupportedOperationException.class,
                        ((StreamChannel) channel)::peerCredentials);
                assertTrue(credentials.getMessage().contains("not for the TCP connection"), credentials.getMessage());
            } finally {
                channel.close().sync();
            }
        }
    }

    @Test
    void aRefusedOptionNamesTheCallAndErrno() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "uring-refused", new IoUringIoHandlerFactory());
             ServerSocket peer = new ServerSocket(0, 4, InetAddress.getByName("127.0.0.1"))) {
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", peer.getLocalPort());
            Throwable atConnect = new Bootstrap().group(group).handler(Quiet::new)
                    .option(EpollChannelOption.TCP_MAXSEG, 10).connect(target).await().cause();
            assertEquals("setsockopt TCP_MAXSEG=10 failed: EINVAL (Invalid argument)", atConnect.getMessage());

            Channel channel = new Bootstrap().group(group).handler(Quiet::new).connect(target).sync().channel();
            try (Socket _ = peer.accept()) {
                UncheckedIOException live = assertThrows(UncheckedIOException.class,
                        () -> channel.config().setOption(EpollChannelOption.TCP_KEEPCNT, -1));
                assertInstanceOf(NativeIoException.class, live.getCause());
                assertEquals("setsockopt TCP_KEEPCNT=-1 failed: EINVAL (Invalid argument)", live.getCause().getMessage());
                IllegalArgumentException listenerOnly = assertThrows(IllegalArgumentException.class,
                        () -> channel.config().getOption(EpollChannelOption.TCP_DEFER_ACCEPT));
                assertEquals("TCP_DEFER_ACCEPT is an option of listening channels, not of connections",
                        listenerOnly.getMessage());
                channel.close().sync();
                UncheckedIOException read = assertThrows(UncheckedIOException.class,
                        () -> channel.config().getOption(EpollChannelOption.TCP_KEEPIDLE));
                assertTrue(read.getMessage().contains("EBADF"), read.getMessage());
            }
        }
    }

    @Test
    void trafficClassOnIpv6AndLingerZeroResetsThePeer() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "uring-tclass", new IoUringIoHandlerFactory());
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

    @Test
    void deferAcceptHandsOverAConnectionOnlyOnceItsDataIsIn() throws Exception {
        AtomicBoolean sent = new AtomicBoolean();
        CompletableFuture<Boolean> sentWhenActive = new CompletableFuture<>();
        try (EventLoopGroup group = new EventLoopGroup(1, "uring-defer-accept", new IoUringIoHandlerFactory())) {
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
                        "the multishot accept handed the connection over before its first byte");
            } finally {
                server.close().sync();
            }
        }
    }

    /** {@code getsockopt} of an int straight from the channel's fd, on its loop. */
    private static int kernelInt(Channel channel, int level, int name) throws Exception {
        AbstractIoUringChannel uring = (AbstractIoUringChannel) channel;
        return SocketCall.onLoop(uring.eventLoop(), uring, () -> Sockets.getInt(uring.fd(), level, name));
    }
}
