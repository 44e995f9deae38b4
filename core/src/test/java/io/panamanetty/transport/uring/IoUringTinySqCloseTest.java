package io.panamanetty.transport.uring;

import io.panamanetty.bindings.IoUringSupport;
import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Many channels of a loop with a 4-entry SQ closed in one turn (each close's cancel-by-fd
 * finds the SQ full again and again), while a second batch of connections, whose fds may
 * reuse the numbers of the closing ones, echoes: every close completes, every peer sees the
 * end of its stream, and no echo of the second batch is cancelled or cut.
 */
@ExtendWith(LeakCheck.class)
@Timeout(120)
class IoUringTinySqCloseTest {
    private static final int CONNECTIONS = 24;
    private static final long WAIT_SECONDS = 60;

    @BeforeAll
    static void ioUringWorksHere() {
        IoUringRequired.check();
    }

    @Test
    void manyChannelsClosingInOneTurnLeaveTheOthersAlone() throws Exception {
        int flags = IoUringIoHandler.setupFlags(IoUringSupport.detect().setupFlags());
        Queue<Channel> children = new ConcurrentLinkedQueue<>();
        try (EventLoopGroup group = new EventLoopGroup(1, "uring-tinysq", () -> new IoUringIoHandler(4, 8, flags))) {
            CountDownLatch firstActive = new CountDownLatch(CONNECTIONS);
            Channel server = new ServerBootstrap().group(group).childHandler(() -> new ChannelHandler() {
                @Override
                public void channelActive(ChannelHandlerContext ctx) {
                    children.add(ctx.channel());
                    firstActive.countDown();
                }

                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ctx.writeAndFlush((Buffer) msg);
                }
            }).bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            List<Socket> first = new ArrayList<>();
            List<Socket> second = new ArrayList<>();
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    first.add(connect(port));
                }
                assertTrue(firstActive.await(WAIT_SECONDS, TimeUnit.SECONDS), "the first batch never became active");
                List<Channel> closing = new ArrayList<>(children);
                assertEquals(CONNECTIONS, closing.size());
                CountDownLatch closed = new CountDownLatch(CONNECTIONS);
                group.next().execute(() -> {   // all in one turn of the loop
                    for (Channel child : closing) {
                        child.close().addListener(f -> closed.countDown());
                    }
                });
                for (int i = 0; i < CONNECTIONS; i++) {
                    second.add(connect(port));
                }
                assertTrue(closed.await(WAIT_SECONDS, TimeUnit.SECONDS), "not every close completed");
                for (Socket socket : first) {
                    assertEquals(-1, socket.getInputStream().read(), "the peer of a closed channel sees the end");
                }
                for (int round = 0; round < 3; round++) {
                    for (int i = 0; i < second.size(); i++) {
                        byte[] data = ("round " + round + " connection " + i).getBytes();
                        second.get(i).getOutputStream().write(data);
                        InputStream in = second.get(i).getInputStream();
                        assertArrayEquals(data, in.readNBytes(data.length), "connection " + i + ", round " + round);
                    }
                }
            } finally {
                for (Socket socket : first) {
                    socket.close();
                }
                for (Socket socket : second) {
                    socket.close();
                }
            }
            server.close().sync();
        }
    }

    private static Socket connect(int port) throws Exception {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        return socket;
    }
}
