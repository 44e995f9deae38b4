package io.panamanetty.transport.epoll;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.buffer.BufferStatistics;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.DatagramChannel;
import io.panamanetty.channel.DatagramPacket;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The receive slots (16 buffers of 64 KiB by default) are the loop's, shared by its datagram
 * channels: 50 channels of one loop that have each received a datagram hold about one set
 * between them, not 50 (which would be 50 MiB).
 */
@ExtendWith(LeakCheck.class)
class EpollDatagramReceiveSlotsTest {
    private static final int CHANNELS = 50;

    @Test
    void channelsOfOneLoopShareOneSetOfReceiveSlots() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "udp-slots");
             java.net.DatagramSocket peer = new java.net.DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            CountDownLatch received = new CountDownLatch(CHANNELS);
            long before = BufferStatistics.outstandingBytes();
            List<DatagramChannel> channels = new ArrayList<>();
            for (int i = 0; i < CHANNELS; i++) {
                channels.add((DatagramChannel) new Bootstrap().group(group).channel(DatagramChannel.class)
                        .handler(() -> new ChannelHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object message) {
                                ((DatagramPacket) message).release();
                                received.countDown();
                            }
                        }).bind("127.0.0.1", 0).sync().channel());
            }
            for (DatagramChannel channel : channels) {
                byte[] ping = {1, 2, 3};
                peer.send(new java.net.DatagramPacket(ping, ping.length, channel.localAddress()));
            }
            assertTrue(received.await(30, TimeUnit.SECONDS), "not every channel received its datagram");
            long held = BufferStatistics.outstandingBytes() - before;
            System.out.println(CHANNELS + " datagram channels of one loop hold " + held + " bytes of buffers");
            assertTrue(held < 4L << 20, CHANNELS + " channels hold " + held + " bytes of receive buffers");
            for (DatagramChannel channel : channels) {
                channel.close().sync();
            }
        }
    }
}
