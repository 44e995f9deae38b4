package io.panamanetty.transport.uring;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.DatagramChannel;
import io.panamanetty.channel.DatagramPacket;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testsuite.DatagramRecyclingScenario;
import io.panamanetty.testsuite.TestTransport;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * {@link DatagramRecyclingScenario} on the io_uring transport, which declares it unsupported, and the sender cache per loop:
 * two sockets of one loop that hear the same peer hand out the same address object.
 */
class IoUringDatagramRecyclingTest extends DatagramRecyclingScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }

    /** Notes each datagram's sender. */
    @ChannelHandler.Sharable
    static final class NoteSender extends ChannelHandlerAdapter {
        final BlockingQueue<InetSocketAddress> senders = new LinkedBlockingQueue<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            DatagramPacket packet = (DatagramPacket) message;
            senders.add(packet.sender());
            packet.release();
        }
    }

    @Test
    void theSocketsOfOneLoopShareTheirSendersAddresses() throws Exception {
        NoteSender noteSender = new NoteSender();
        BlockingQueue<InetSocketAddress> senders = noteSender.senders;
        try (EventLoopGroup group = new EventLoopGroup(1, "udp-senders");
             DatagramSocket peer = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            DatagramChannel[] sockets = new DatagramChannel[2];
            for (int i = 0; i < sockets.length; i++) {
                sockets[i] = (DatagramChannel) new Bootstrap().group(group).channel(DatagramChannel.class)
                        .handler(() -> noteSender).bind("127.0.0.1", 0).sync().channel();
            }
            InetSocketAddress[] seen = new InetSocketAddress[4];
            for (int i = 0; i < seen.length; i++) {
                byte[] bytes = {(byte) i};
                peer.send(new java.net.DatagramPacket(bytes, 1, sockets[i % 2].localAddress()));
                seen[i] = senders.poll(30, TimeUnit.SECONDS);
                assertNotNull(seen[i], "datagram " + i + " did not arrive");
            }
            assertEquals(peer.getLocalSocketAddress(), seen[0]);
            for (InetSocketAddress sender : seen) {
                assertSame(seen[0], sender, "each socket of the loop made its own address object");
            }
            for (DatagramChannel socket : sockets) {
                socket.close().sync();
            }
        }
    }
}
