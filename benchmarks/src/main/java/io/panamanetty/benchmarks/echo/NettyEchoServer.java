package io.panamanetty.benchmarks.echo;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.internal.PlatformDependent;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The Netty 4.2 peer: {@code NettyEchoServer epoll|nio [--workers N]}. A shared,
 * stateless handler writes each received {@code ByteBuf} back as it is (no copy) and
 * flushes once per read batch; TCP_NODELAY on; reading pauses while the channel is
 * unwritable, like panama-netty's {@code EchoHandler}. Netty's defaults otherwise
 * (adaptive allocator, level-triggered epoll in 4.2).
 */
public final class NettyEchoServer {
    private NettyEchoServer() {
    }

    /** Writes back what it reads; one instance serves every channel. */
    @ChannelHandler.Sharable
    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Starts the server on the transport named by {@code args[0]}. */
    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1 || !(args[0].equals("epoll") || args[0].equals("nio"))) {
            throw new IllegalArgumentException("usage: NettyEchoServer epoll|nio [--workers N]");
        }
        boolean epoll = args[0].equals("epoll");
        if (epoll && !Epoll.isAvailable()) {
            // A silent fallback to NIO would make the comparison meaningless.
            throw new IllegalStateException("Netty's native epoll transport is not available",
                    Epoll.unavailabilityCause());
        }
        IoHandlerFactory ioFactory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, ioFactory);
        EventLoopGroup worker = new MultiThreadIoEventLoopGroup(ServerLifecycle.workers(args), ioFactory);
        Echo echo = new Echo();
        try {
            Channel server = new ServerBootstrap()
                    .group(boss, worker)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(echo)
                    .bind(ServerLifecycle.HOST, 0)
                    .sync()
                    .channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            // Goes to the server's log: shows whether Netty runs on its fast (Unsafe) paths.
            System.err.println("netty " + args[0] + ": unsafe=" + PlatformDependent.hasUnsafe()
                    + " allocator=" + server.config().getAllocator().getClass().getSimpleName());
            ServerLifecycle.announce(port);
            ServerLifecycle.awaitStop();
            server.close().sync();
        } finally {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            worker.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        }
    }
}
