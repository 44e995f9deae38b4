package io.panamanetty.transport.uring;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Socket options on an io_uring connection: the bootstrap's and one set while connecting
 * (from {@code channelRegistered}, before the socket exists) read back from the connected
 * socket, IP_TOS too; an option of listening sockets is refused by name.
 */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class IoUringSocketOptionsTest {

    @BeforeAll
    static void ioUringWorksHere() {
        String reason = IoUringIoHandlerFactory.unavailableReason();
        if (reason != null && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true, and io_uring is unavailable: " + reason);
        }
        assumeTrue(reason == null, () -> "io_uring unavailable: " + reason);
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
}
