package io.panamanetty.benchmarks.udp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.panamanetty.benchmarks.echo.ServerLifecycle;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The Netty 4.2 peer of the UDP benchmark: {@code NettyUdpEchoServer [--workers N]} (always
 * one loop). An {@link EpollDatagramChannel} on a one-thread epoll group, configured to
 * batch: {@link EpollChannelOption#MAX_DATAGRAM_PAYLOAD_SIZE} set and a receive buffer of
 * {@value #DATAGRAMS_PER_READ} such datagrams, so that each read is one {@code recvmmsg}
 * of up to that many; {@code UDP_GRO} off; 4 MiB socket buffers, as panama-netty's
 * {@code udp-echo-server} asks for. Each datagram goes back to its sender with the content
 * it arrived in, and the writes of a read batch leave in one flush (Netty sends several
 * waiting packets with {@code sendmmsg}).
 */
public final class NettyUdpEchoServer {
    /** The largest datagram the benchmark sends is 1,200 B; this leaves room. */
    static final int MAX_DATAGRAM = 2048;
    /** How many datagrams one {@code recvmmsg} may take. */
    static final int DATAGRAMS_PER_READ = 64;
    private static final int SOCKET_BUFFER = 4 << 20;

    private NettyUdpEchoServer() {
    }

    /** Sends every packet back to its sender; one instance serves the channel. */
    @ChannelHandler.Sharable
    static final class Echo extends SimpleChannelInboundHandler<DatagramPacket> {
        Echo() {
            super(false);   // the content goes out again: the outbound packet owns it now
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ctx.write(new DatagramPacket(packet.content(), packet.sender()), ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            System.err.println("netty udp echo: " + cause);   // an ICMP error: keep serving
        }
    }

    /** Starts the server; {@code --workers} is accepted and ignored (one loop). */
    public static void main(String[] args) throws InterruptedException {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("Netty's native epoll transport is not available",
                    Epoll.unavailabilityCause());
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            Channel channel = new Bootstrap()
                    .group(group)
                    .channel(EpollDatagramChannel.class)
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                    .option(EpollChannelOption.UDP_GRO, false)
                    .option(ChannelOption.RCVBUF_ALLOCATOR,
                            new FixedRecvByteBufAllocator(MAX_DATAGRAM * DATAGRAMS_PER_READ))
                    .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                    .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                    .handler(new Echo())
                    .bind(ServerLifecycle.HOST, 0)
                    .sync()
                    .channel();
            ServerLifecycle.announce(((InetSocketAddress) channel.localAddress()).getPort());
            ServerLifecycle.awaitStop();
            channel.close().sync();
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        }
    }
}
