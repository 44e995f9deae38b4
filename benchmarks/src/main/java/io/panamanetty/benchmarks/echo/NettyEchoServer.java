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
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.internal.PlatformDependent;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The Netty 4.2 peer: {@code NettyEchoServer epoll|io_uring|nio [--unix PATH] [--workers N]}. A shared,
 * stateless handler writes each received {@code ByteBuf} back as it is (no copy) and
 * flushes once per read batch; TCP_NODELAY on; reading pauses while the channel is
 * unwritable, like panama-netty's {@code EchoHandler}. Netty's defaults otherwise
 * (adaptive allocator, level-triggered epoll in 4.2). {@code io_uring} is Netty's io_uring
 * transport ({@code IoUringIoHandler}, {@code IoUringServerSocketChannel}) with the same
 * handler, groups and options as {@code epoll}.
 *
 * <p>With {@code --unix PATH} (epoll only) it listens on the Unix stream socket file PATH
 * through {@code EpollServerDomainSocketChannel}, whose children are
 * {@code EpollDomainSocketChannel}s: the same handler, groups and backlog, without
 * TCP_NODELAY (a Unix socket has no Nagle to turn off). Netty removes the file on close.
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
        String transport = args.length < 1 ? "" : args[0];
        if (!(transport.equals("epoll") || transport.equals("io_uring") || transport.equals("nio"))) {
            throw new IllegalArgumentException(
                    "usage: NettyEchoServer epoll|io_uring|nio [--unix PATH] [--workers N]");
        }
        boolean epoll = transport.equals("epoll");
        boolean uring = transport.equals("io_uring");
        String unixPath = ServerLifecycle.unixPath(args);
        if (unixPath != null && !epoll) {
            throw new IllegalArgumentException("--unix needs the epoll transport: Netty's " + transport
                    + " transport has no Unix domain socket channel in this harness");
        }
        // A silent fallback to NIO would make the comparison meaningless.
        if (epoll && !Epoll.isAvailable()) {
            throw new IllegalStateException("Netty's native epoll transport is not available",
                    Epoll.unavailabilityCause());
        }
        if (uring && !IoUring.isAvailable()) {
            throw new IllegalStateException("Netty's native io_uring transport is not available",
                    IoUring.unavailabilityCause());
        }
        IoHandlerFactory ioFactory = epoll ? EpollIoHandler.newFactory()
                : uring ? IoUringIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = unixPath != null ? EpollServerDomainSocketChannel.class
                : epoll ? EpollServerSocketChannel.class
                : uring ? IoUringServerSocketChannel.class : NioServerSocketChannel.class;
        SocketAddress address = unixPath != null ? new DomainSocketAddress(unixPath)
                : new InetSocketAddress(ServerLifecycle.HOST, 0);
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, ioFactory);
        EventLoopGroup worker = new MultiThreadIoEventLoopGroup(ServerLifecycle.workers(args), ioFactory);
        Echo echo = new Echo();
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(boss, worker)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childHandler(echo);
            if (unixPath == null) {
                bootstrap.childOption(ChannelOption.TCP_NODELAY, true);
            }
            Channel server = bootstrap.bind(address).sync().channel();
            // Goes to the server's log: shows whether Netty runs on its fast (Unsafe) paths.
            System.err.println("netty " + transport + (unixPath != null ? " unix" : "") + ": unsafe="
                    + PlatformDependent.hasUnsafe()
                    + " allocator=" + server.config().getAllocator().getClass().getSimpleName());
            if (unixPath != null) {
                ServerLifecycle.announceUnix(unixPath);
            } else {
                ServerLifecycle.announce(((InetSocketAddress) server.localAddress()).getPort());
            }
            ServerLifecycle.awaitStop();
            server.close().sync();
        } finally {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            worker.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        }
    }
}
