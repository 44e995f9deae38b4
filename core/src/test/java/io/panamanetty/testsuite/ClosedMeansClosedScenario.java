package io.panamanetty.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panamanetty.buffer.ReferenceCounted;
import io.panamanetty.channel.Channel;
import io.panamanetty.testing.LeakCheck;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * When a channel's close future is done, its socket is closed: the port of a closed
 * listener can be bound again at once, and closed connections hold no descriptor. A
 * transport that closes the socket later than it reports (io_uring waits for the
 * cancellation of what is in flight on it first) must hold the future back until then.
 */
@ExtendWith(LeakCheck.class)
public abstract class ClosedMeansClosedScenario extends TransportScenario {
    private static final int REBINDS = 100;
    private static final int CONNECTIONS = 20;
    private static final int TIMEOUT_SECONDS = 30;

    @Test
    public void aClosedListenersPortCanBeBoundAgainAtOnce() throws Exception {
        try (EventLoopGroup loops = transport().newGroup(1, "rebind")) {
            Channel first = transport().serverBootstrap().group(loops).childHandler(() -> new ChannelHandlerAdapter() { })
                    .bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) first.localAddress()).getPort();
            first.close().sync();
            for (int i = 0; i < REBINDS; i++) {
                Channel again = transport().serverBootstrap().group(loops).childHandler(() -> new ChannelHandlerAdapter() { })
                        .bind("127.0.0.1", port).sync().channel();
                assertEquals(port, ((InetSocketAddress) again.localAddress()).getPort());
                again.close().sync();
            }
        }
    }

    @Test
    public void closedConnectionsHoldNoDescriptor() throws Exception {
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket peer = new ServerSocket(0, CONNECTIONS, InetAddress.getLoopbackAddress());
                EventLoopGroup loops = transport().newGroup(1, "closed-fds")) {
            peer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            List<Channel> channels = new ArrayList<>();
            CountDownLatch read = new CountDownLatch(CONNECTIONS);
            for (int i = 0; i < CONNECTIONS; i++) {
                channels.add(transport().bootstrap().group(loops).handler(() -> new ReadingHandler(read))
                        .connect("127.0.0.1", peer.getLocalPort()).sync().channel());
                accepted.add(peer.accept());
            }
            for (Socket socket : accepted) {   // a read in flight on every channel as it closes
                OutputStream out = socket.getOutputStream();
                out.write(new byte[] {1, 2, 3});
                out.flush();
            }
            assertTrue(read.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "every channel read its bytes");
            for (Channel channel : channels) {
                long inode = HeldSockets.byLocalPort(((InetSocketAddress) channel.localAddress()).getPort());
                assertTrue(HeldSockets.inodes().contains(inode), () -> "the socket of open " + channel + " (inode " + inode + ") is found");
                channel.close().sync();
                assertFalse(HeldSockets.inodes().contains(inode), channel + " still holds its socket once closed");
            }
            for (Socket socket : accepted) {   // and the peers see the end of their connections
                socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
                InputStream in = socket.getInputStream();
                assertTrue(drainsToEnd(in), "peer sees end of input");
            }
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    private static boolean drainsToEnd(InputStream in) throws IOException {
        byte[] sink = new byte[256];
        while (true) {
            int n = in.read(sink);
            if (n < 0) {
                return true;
            }
        }
    }



    /** Reads and drops what arrives (a receive stays in flight), counting the channels that read. */
    private static final class ReadingHandler extends ChannelHandlerAdapter {
        private final CountDownLatch read;
        private boolean counted;

        ReadingHandler(CountDownLatch read) {
            this.read = read;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (!counted) {
                counted = true;
                read.countDown();
            }
            if (message instanceof ReferenceCounted counted) {
                counted.release();
            }
        }
    }
}
