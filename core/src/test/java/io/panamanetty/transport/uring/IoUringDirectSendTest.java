package io.panamanetty.transport.uring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.handler.EchoHandler;
import io.panamanetty.testing.LeakCheck;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The once-per-turn direct {@code send} of an idle channel's single buffer: a request/response
 * echo answers with it (no SQE, no completion for the answer), and a buffer the socket cannot
 * take whole leaves in parts, by direct sends and through the ring, every byte in order.
 */
@ExtendWith(LeakCheck.class)
class IoUringDirectSendTest {
    private static final int TIMEOUT_SECONDS = 30;

    @BeforeAll
    static void ioUringWorksHere() {
        IoUringRequired.check();
    }

    @Test
    void aRequestResponseEchoAnswersWithDirectSends() throws Exception {
        int rounds = 200;
        try (EventLoopGroup group = new EventLoopGroup(1, "uring-direct-echo", new IoUringIoHandlerFactory())) {
            AtomicReference<Channel> accepted = new AtomicReference<>();
            Channel server = new ServerBootstrap().group(group).childInitializer(child -> {
                accepted.set(child);
                child.pipeline().addLast(new EchoHandler());
            }).bind("127.0.0.1", 0).sync().channel();
            try (Socket peer = new Socket()) {
                peer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
                peer.setTcpNoDelay(true);
                peer.connect(new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort()));
                OutputStream out = peer.getOutputStream();
                DataInputStream in = new DataInputStream(peer.getInputStream());
                byte[] request = new byte[32];
                byte[] answer = new byte[32];
                Random random = new Random(7);
                for (int i = 0; i < rounds; i++) {
                    random.nextBytes(request);
                    out.write(request);
                    out.flush();
                    in.readFully(answer);
                    assertArrayEquals(request, answer, "answer " + i);
                }
                IoUringSocketChannel echo = (IoUringSocketChannel) accepted.get();
                long[] counts = echo.eventLoop().submit(() -> new long[] {echo.directSends(), echo.writesSubmitted()})
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertTrue(counts[0] >= rounds / 2, counts[0] + " of " + rounds + " answers left by a direct send, "
                        + counts[1] + " through the ring");
            }
            server.close().sync();
        }
    }

    @Test
    void aBufferTheSocketCannotTakeWholeFinishesThroughTheRing() throws Exception {
        int size = 8 * 1024 * 1024;
        byte[] payload = new byte[size];
        new Random(11).nextBytes(payload);
        try (EventLoopGroup group = new EventLoopGroup(1, "uring-direct-partial", new IoUringIoHandlerFactory());
             ServerSocket listener = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            listener.setReceiveBufferSize(8 * 1024);
            Channel channel = new Bootstrap().group(group).option(ChannelOption.AUTO_READ, false)
                    .option(ChannelOption.SO_SNDBUF, 16 * 1024)
                    .handler(() -> new ChannelHandlerAdapter() { })
                    .connect("127.0.0.1", listener.getLocalPort()).sync().channel();
            try (Socket peer = listener.accept()) {
                peer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
                ChannelFuture written = channel.writeAndFlush(payload);
                InputStream in = peer.getInputStream();
                byte[] received = new byte[size];
                int at = 0;
                while (at < size) {
                    int n = in.read(received, at, Math.min(4096, size - at));
                    assertTrue(n > 0, "end of input after " + at + " bytes");
                    at += n;
                }
                assertArrayEquals(payload, received);
                assertTrue(written.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                assertNull(written.cause());
                long[] counts = channel.eventLoop().submit(() -> new long[] {
                    ((IoUringSocketChannel) channel).directSends(), ((IoUringSocketChannel) channel).writesSubmitted()})
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertTrue(counts[0] >= 1, "parts left by direct sends (one a turn at most): " + counts[0]);
                assertTrue(counts[1] >= 1, "the rest through the ring: " + counts[1] + " SENDs");
                channel.close().sync();
            }
        }
    }
}
