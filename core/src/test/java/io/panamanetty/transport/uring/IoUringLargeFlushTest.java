package io.panamanetty.transport.uring;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many writes queued before one flush: the iovec array grows to take them (up to IOV_MAX), so
 * they leave in as few WRITEVs as the socket allows, one after another, in order. Before, a
 * write described at most 128 buffers and a burst of 1,000 took 8 writes, one per loop turn.
 */
@ExtendWith(LeakCheck.class)
class IoUringLargeFlushTest {

    @Test
    void aThousandQueuedWritesLeaveInOneWritev() throws Exception {
        // 8 KB: the socket takes it whole, so one WRITEV (two if the kernel still cuts it short;
        // eight before the array grew)
        assertEquals(8_000, flushAndRead(1_000, 8, 2));
    }

    /** More than IOV_MAX queued: three writes at the least, each resuming where the last ended. */
    @Test
    void writesBeyondIovMaxLeaveInOrderOverSeveralWritevs() throws Exception {
        assertEquals(40_000, flushAndRead(2_500, 16, 8));
    }

    /**
     * Queues {@code count} writes of {@code size} bytes (each starting with its number) on the
     * loop, flushes once, reads them all at a JDK peer and checks their order; returns the
     * bytes read after checking the channel made at most {@code mostWrites} write SQEs.
     */
    private static int flushAndRead(int count, int size, int mostWrites) throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "uring-large-flush", new IoUringIoHandlerFactory());
             ServerSocket listener = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            Channel channel = new Bootstrap().group(group).option(ChannelOption.AUTO_READ, false)
                    .handler(() -> new ChannelHandlerAdapter() { })
                    .connect("127.0.0.1", listener.getLocalPort()).sync().channel();
            try (Socket peer = listener.accept()) {
                peer.setSoTimeout(30_000);
                ChannelFuture last = channel.eventLoop().submit(() -> {
                    ChannelFuture write = null;
                    for (int i = 0; i < count; i++) {
                        write = channel.write(ByteBuffer.allocate(size).putInt(i).array());
                    }
                    channel.flush();
                    return write;
                }).get(30, TimeUnit.SECONDS);
                DataInputStream in = new DataInputStream(peer.getInputStream());
                byte[] message = new byte[size];
                for (int i = 0; i < count; i++) {
                    in.readFully(message);
                    assertEquals(i, ByteBuffer.wrap(message).getInt(), "message " + i + " out of order");
                }
                assertTrue(last.await(30, TimeUnit.SECONDS));
                assertNull(last.cause());
                long writes = channel.eventLoop().submit(((IoUringSocketChannel) channel)::writesSubmitted)
                        .get(30, TimeUnit.SECONDS);
                assertTrue(writes <= mostWrites, count + " queued writes took " + writes + " WRITEVs");
                channel.close().sync();
                return count * size;
            }
        }
    }
}
