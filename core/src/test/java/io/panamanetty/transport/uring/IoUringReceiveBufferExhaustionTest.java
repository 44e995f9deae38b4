package io.panamanetty.transport.uring;

import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.IoHandlerFactory;
import io.panamanetty.channel.internal.LoopInternals;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Provided-buffer exhaustion: a loop whose receive ring has only 2 buffers, 16 connections
 * sending 256 KiB each at once. The multishot receives run out of ring buffers
 * ({@code -ENOBUFS}) again and again and are armed again as the buffers come back: every byte
 * is echoed, in order, on every connection.
 */
@ExtendWith(LeakCheck.class)
@Timeout(120)
class IoUringReceiveBufferExhaustionTest {
    private static final int CONNECTIONS = 16;
    private static final int BYTES = 256 * 1024;

    @BeforeAll
    static void ioUringWorksHere() {
        IoUringRequired.check();
    }

    @Test
    void receivesResumeAsRingBuffersComeBack() throws Exception {
        IoHandlerFactory tinyRing = () -> {
            IoUringIoHandler handler = (IoUringIoHandler) new IoUringIoHandlerFactory().newHandler();
            handler.receiveBufferCount(2);
            return handler;
        };
        try (EventLoopGroup group = new EventLoopGroup(1, "uring-nobufs", tinyRing)) {
            Channel server = new ServerBootstrap().group(group).childHandler(() -> new ChannelHandler() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ctx.write((Buffer) msg);
                }
            }).bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            List<Socket> sockets = new ArrayList<>();
            List<byte[]> sent = new ArrayList<>();
            List<Thread> writers = new ArrayList<>();
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    Socket socket = new Socket("127.0.0.1", port);
                    socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(60));
                    sockets.add(socket);
                    byte[] data = new byte[BYTES];
                    new Random(i).nextBytes(data);
                    sent.add(data);
                    OutputStream out = socket.getOutputStream();
                    Thread writer = Thread.ofPlatform().name("writer-" + i).start(() -> {
                        try {
                            out.write(data);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                    writers.add(writer);
                }
                for (int i = 0; i < CONNECTIONS; i++) {
                    InputStream in = sockets.get(i).getInputStream();
                    byte[] echoed = in.readNBytes(BYTES);
                    assertArrayEquals(sent.get(i), echoed, "connection " + i + ": " + firstDifference(sent.get(i), echoed));
                }
                for (Thread writer : writers) {
                    writer.join(TimeUnit.SECONDS.toMillis(60));
                }
            } finally {
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
            long shortages = group.next().submit(() ->
                    ((IoUringIoHandler) LoopInternals.access().ioHandler(group.next())).receiveBufferShortages())
                    .get(30, TimeUnit.SECONDS);
            assertTrue(shortages > 0, "the 2 ring buffers never ran out");
            server.close().sync();
        }
    }

    private static String firstDifference(byte[] expected, byte[] actual) {
        int n = Arrays.mismatch(expected, actual);
        return n < 0 ? "same" : "first difference at " + n + " of " + actual.length;
    }
}
