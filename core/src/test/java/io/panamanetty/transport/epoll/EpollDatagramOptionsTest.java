package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.Multicast;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.SockOpt;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.DatagramChannel;
import io.panamanetty.channel.DatagramChannelConfig;
import io.panamanetty.channel.DatagramChannelOption;
import io.panamanetty.channel.DatagramPacket;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import io.panamanetty.testsuite.DatagramScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The datagram socket options reach the socket (read back through {@code getsockopt}) at the
 * level of its family; {@code SO_REUSEPORT} lets two channels share a port; broadcast needs
 * {@code SO_BROADCAST} (to lo's broadcast address, so nothing leaves the machine).
 */
@ExtendWith(LeakCheck.class)
class EpollDatagramOptionsTest {

    @Test
    void optionsReachTheSocketOfEitherFamily() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "udp-options")) {
            for (String host : new String[] {"127.0.0.1", "::1"}) {
                DatagramChannel channel = (DatagramChannel) new Bootstrap().group(group).channel(DatagramChannel.class)
                        .option(DatagramChannelOption.SO_BROADCAST, true).option(ChannelOption.IP_TOS, 0x28)
                        .option(DatagramChannelOption.IP_MULTICAST_LOOP, false)
                        .option(DatagramChannelOption.IP_MULTICAST_TTL, 5).option(ChannelOption.SO_RCVBUF, 1 << 20)
                        .option(ChannelOption.SO_SNDBUF, 1 << 20).bind(host, 0).sync().channel();
                DatagramChannelConfig config = channel.config();
                assertEquals(true, config.getOption(DatagramChannelOption.SO_BROADCAST), host);
                assertEquals(0x28, config.getOption(ChannelOption.IP_TOS), host);
                assertEquals(false, config.getOption(DatagramChannelOption.IP_MULTICAST_LOOP), host);
                assertEquals(5, config.getOption(DatagramChannelOption.IP_MULTICAST_TTL), host);
                assertEquals(5, config.getOption(DatagramChannelOption.IPV6_MULTICAST_HOPS), host);   // the same knob
                assertTrue(config.getOption(ChannelOption.SO_RCVBUF) >= 1 << 20, host);
                assertTrue(config.getOption(ChannelOption.SO_SNDBUF) >= 1 << 20, host);
                config.setOption(ChannelOption.IP_TOS, 0x10);   // on the live socket
                assertEquals(0x10, config.getOption(ChannelOption.IP_TOS), host);
                assertEquals(DatagramChannelConfig.DEFAULT_MAX_DATAGRAM_SIZE,
                        config.getOption(DatagramChannelOption.MAX_DATAGRAM_SIZE));
                assertThrows(IllegalArgumentException.class,
                        () -> config.setOption(DatagramChannelOption.DATAGRAMS_PER_RECEIVE, 1025));
                assertThrows(IllegalArgumentException.class,
                        () -> config.setOption(DatagramChannelOption.MAX_DATAGRAM_SIZE, 65_536));
                channel.close().sync();
            }
        }
    }

    /**
     * A dual-stack socket ({@code ::}) carries IPv4 too, whose datagrams take the IPv4-level
     * options: those are set beside the IPv6 ones (read back at {@code IPPROTO_IP}); a socket
     * bound to {@code ::1}, IPv6 only, keeps the IPv4 defaults.
     */
    @Test
    void aDualStackSocketGetsTheIpv4LevelOptionsToo() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "udp-dual-options")) {
            for (String host : new String[] {"::", "::1"}) {
                EpollDatagramChannel channel = (EpollDatagramChannel) new Bootstrap().group(group)
                        .channel(DatagramChannel.class).option(ChannelOption.IP_TOS, 0x28)
                        .option(DatagramChannelOption.IP_MULTICAST_LOOP, false)
                        .option(DatagramChannelOption.IP_MULTICAST_TTL, 7)
                        .option(DatagramChannelOption.IP_MULTICAST_IF, NetworkInterface.getByName("lo"))
                        .bind(host, 0).sync().channel();
                channel.config().setOption(ChannelOption.IP_TOS, 0x48);   // on the live socket as well
                int[] ipv4Level = onLoop(channel, () -> new int[] {
                    Sockets.getInt(channel.fd(), Sockets.IPPROTO_IP, SockOpt.IP_TOS),
                    Sockets.getInt(channel.fd(), Sockets.IPPROTO_IP, Multicast.IP_MULTICAST_LOOP),
                    Sockets.getInt(channel.fd(), Sockets.IPPROTO_IP, Multicast.IP_MULTICAST_TTL)});
                int[] ipv6Level = onLoop(channel, () -> new int[] {
                    Sockets.getInt(channel.fd(), Sockets.IPPROTO_IPV6, SockOpt.IPV6_TCLASS),
                    Sockets.getInt(channel.fd(), Sockets.IPPROTO_IPV6, Multicast.IPV6_MULTICAST_LOOP),
                    Sockets.getInt(channel.fd(), Sockets.IPPROTO_IPV6, Multicast.IPV6_MULTICAST_HOPS)});
                assertArrayEquals(new int[] {0x48, 0, 7}, ipv6Level, host);
                if (host.equals("::")) {
                    assertArrayEquals(new int[] {0x48, 0, 7}, ipv4Level, host);
                } else {
                    assertArrayEquals(new int[] {0, 1, 1}, ipv4Level, host + ": IPv6 only, the IPv4 defaults");
                }
                channel.close().sync();
            }
        }
    }

    /** Reads socket state on the channel's loop. */
    private interface SocketRead {
        int[] read() throws Exception;
    }

    private static int[] onLoop(EpollDatagramChannel channel, SocketRead read) throws Exception {
        java.util.concurrent.CompletableFuture<int[]> result = new java.util.concurrent.CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            try {
                result.complete(read.read());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void reusePortLetsTwoChannelsShareAPortAndWithoutItTheSecondBindFails() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(2, "udp-reuseport")) {
            DatagramChannel first = (DatagramChannel) new Bootstrap().group(group).channel(DatagramChannel.class)
                    .option(ChannelOption.SO_REUSEPORT, true).bind("127.0.0.1", 0).sync().channel();
            int port = first.localAddress().getPort();
            DatagramChannel second = (DatagramChannel) new Bootstrap().group(group).channel(DatagramChannel.class)
                    .option(ChannelOption.SO_REUSEPORT, true).bind("127.0.0.1", port).sync().channel();
            assertEquals(port, second.localAddress().getPort());
            assertEquals(true, second.config().getOption(ChannelOption.SO_REUSEPORT));
            ChannelFuture refused = new Bootstrap().group(group).channel(DatagramChannel.class)
                    .bind("127.0.0.1", port).await();
            NativeIoException failure = assertInstanceOf(NativeIoException.class, refused.cause());
            assertEquals(Errno.EADDRINUSE, failure.errno());
            assertTrue(failure.getMessage().startsWith("bind 127.0.0.1:" + port + " failed: EADDRINUSE"),
                    failure.getMessage());
            second.close().sync();
            first.close().sync();
        }
    }

    @Test
    void broadcastNeedsSoBroadcast() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "udp-broadcast")) {
            DatagramScenario.Recorder recorder = new DatagramScenario.Recorder();
            DatagramChannel receiver = (DatagramChannel) new Bootstrap().group(group).channel(DatagramChannel.class)
                    .handler(() -> recorder).bind("0.0.0.0", 0).sync().channel();
            InetSocketAddress broadcast = new InetSocketAddress(InetAddress.getByName("127.255.255.255"),
                    receiver.localAddress().getPort());
            DatagramChannel sender = (DatagramChannel) new Bootstrap().group(group).channel(DatagramChannel.class)
                    .handler(DatagramScenario.Recorder::new).bind("127.0.0.1", 0).sync().channel();
            ChannelFuture refused = sender.writeAndFlush(packet("not allowed", broadcast)).await();
            NativeIoException failure = assertInstanceOf(NativeIoException.class, refused.cause());
            assertEquals(Errno.EACCES, failure.errno(), failure.getMessage());
            assertTrue(failure.getMessage().startsWith("sendmmsg datagram of 11 bytes to"), failure.getMessage());

            sender.config().setOption(DatagramChannelOption.SO_BROADCAST, true);
            sender.writeAndFlush(packet("to everyone on lo", broadcast)).sync();
            assertEquals("to everyone on lo", new String(recorder.next().bytes(), StandardCharsets.UTF_8));
            sender.close().sync();
            receiver.close().sync();
        }
    }

    private static DatagramPacket packet(String text, InetSocketAddress to) {
        return new DatagramPacket(BufferAllocator.defaultAllocator().copyOf(text.getBytes(StandardCharsets.UTF_8)), to);
    }
}
