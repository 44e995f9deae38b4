package io.panamanetty.transport.uring;

import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import io.panamanetty.testsuite.HeldSockets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A loop shut down (no quiet period, no grace) while one of its connections has a send in
 * flight to a peer that reads nothing and the listener its multishot accept: the close
 * futures of both complete (they wait for the cancellation of what is in flight), the
 * connection's descriptor is closed by then, the loop terminates, and the peer sees its
 * connection end once it reads.
 */
@ExtendWith(LeakCheck.class)
@Timeout(120)
class IoUringShutdownWithSendInFlightTest {

    @BeforeAll
    static void ioUringWorksHere() {
        IoUringRequired.check();
    }

    @Test
    void closeFuturesCompleteWhenTheLoopShutsDownWithASendInFlight() throws Exception {
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        EventLoopGroup group = new EventLoopGroup(1, "uring-shutdown-send", new IoUringIoHandlerFactory());
        try (Socket peer = new Socket()) {
            Channel server = new ServerBootstrap().group(group)
                    .childHandler(() -> new ChannelHandler() {
                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            ctx.writeAndFlush(new byte[4 * 1024 * 1024]);   // far more than the peer's window
                            accepted.complete(ctx.channel());
                        }
                    })
                    .bind("127.0.0.1", 0).sync().channel();
            peer.setReceiveBufferSize(4096);
            peer.connect(new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort()));
            Channel child = accepted.get(30, TimeUnit.SECONDS);
            Thread.sleep(200);   // the send fills the socket and waits in the ring
            assertTrue(child.isOpen());
            long inode = HeldSockets.byRemotePort(peer.getLocalPort());
            assertTrue(HeldSockets.inodes().contains(inode), "the open connection's socket (inode " + inode + ") is found");

            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            assertTrue(child.closeFuture().await(30, TimeUnit.SECONDS), "the connection's close future never completed");
            assertTrue(server.closeFuture().await(30, TimeUnit.SECONDS), "the listener's close future never completed");
            assertFalse(HeldSockets.inodes().contains(inode), "the connection still holds its socket once its close future is done");
            assertTrue(group.terminationFuture().await(30, TimeUnit.SECONDS), "the loop never terminated");

            peer.setSoTimeout(30_000);
            InputStream in = peer.getInputStream();
            byte[] sink = new byte[64 * 1024];
            boolean ended = false;
            try {
                for (int i = 0; i < 10_000 && !ended; i++) {
                    ended = in.read(sink) < 0;
                }
            } catch (IOException reset) {
                ended = true;   // a reset: the fd was closed with unsent data
            }
            assertTrue(ended, "the peer never saw its connection end");
        } finally {
            group.close();
        }
    }


}
