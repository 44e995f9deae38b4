package io.panamanetty.transport.uring;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.JulCapture;
import io.panamanetty.channel.internal.LoopInternals;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closing 1,000 io_uring TCP channels, each with a receive in flight and data arriving on
 * some: every close completes, every peer sees its connection end (the fd really closed),
 * no completion is stray (none names a freed slot), nothing stays in flight, and no
 * descriptor or buffer is left ({@link LeakCheck}).
 */
@ExtendWith(LeakCheck.class)
@Timeout(120)
class IoUringChannelCloseTest {
    private static final int CONNECTIONS = 1000;

    @BeforeAll
    static void ioUringWorksHere() {
        IoUringRequired.check();
    }

    @Test
    void aThousandChannelsClosedWithReadsInFlight() throws Exception {
        Queue<Channel> accepted = new ConcurrentLinkedQueue<>();
        AtomicLong received = new AtomicLong();
        Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        try (JulCapture log = new JulCapture();
             EventLoopGroup servers = new EventLoopGroup(2, "uring-close-server", new IoUringIoHandlerFactory());
             EventLoopGroup clients = new EventLoopGroup(2, "uring-close-client", new IoUringIoHandlerFactory())) {
            Channel server = new ServerBootstrap().group(servers)
                    .childHandler(() -> new ChannelHandler() {
                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            accepted.add(ctx.channel());
                        }

                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            received.addAndGet(((Buffer) msg).readableBytes());
                            ((Buffer) msg).release();
                        }
                    })
                    .bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            // a server channel closed with unread data resets its peer, as on epoll: that is expected here
            Bootstrap bootstrap = new Bootstrap().group(clients).handler(() -> new ChannelHandler() {
                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    if (!String.valueOf(cause.getMessage()).contains("ECONNRESET")) {
                        unexpected.add(cause);
                    }
                }
            });
            List<Channel> connected = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                connected.add(bootstrap.connect("127.0.0.1", port).sync().channel());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (accepted.size() < CONNECTIONS && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(CONNECTIONS, accepted.size());
            // every accepted channel and every client has its receive in flight (plus the multishot accept)
            assertTrue(inFlight(servers) >= CONNECTIONS + 1, "in flight on the server loops: " + inFlight(servers));
            assertTrue(inFlight(clients) >= CONNECTIONS, "in flight on the client loops: " + inFlight(clients));

            // data on its way to half of them as they close
            for (int i = 0; i < CONNECTIONS; i += 2) {
                connected.get(i).writeAndFlush(new byte[512]);
            }
            List<ChannelFuture> closes = new ArrayList<>();
            for (Channel channel : accepted) {
                closes.add(channel.close());
            }
            for (ChannelFuture close : closes) {
                assertTrue(close.await(30, TimeUnit.SECONDS) && close.isSuccess(), String.valueOf(close.cause()));
            }
            for (Channel client : connected) {   // the peer's EOF: the fd was closed, not just forgotten
                assertTrue(client.closeFuture().await(30, TimeUnit.SECONDS), client + " never saw its peer close");
            }
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((inFlight(servers) != 1 || inFlight(clients) != 0) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, inFlight(servers), "only the listener's accept is left in flight");
            assertEquals(0, inFlight(clients));
            assertFalse(log.text().contains("a completion for no registered operation"), log.text());
            assertFalse(log.text().contains("WARNING"), log.text());
            assertTrue(unexpected.isEmpty(), unexpected.toString());
            server.close().sync();
        }
    }

    /** Operations in flight on all loops of {@code group}, asked on each loop. */
    private static long inFlight(EventLoopGroup group) throws Exception {
        long total = 0;
        for (EventLoop loop : group.loops()) {
            total += loop.submit(() -> ((IoUringIoHandler) LoopInternals.access().ioHandler(loop)).operationsInFlight())
                    .get(30, TimeUnit.SECONDS);
        }
        return total;
    }
}
