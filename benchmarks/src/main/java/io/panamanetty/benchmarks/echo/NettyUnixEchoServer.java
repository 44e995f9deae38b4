package io.panamanetty.benchmarks.echo;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The Netty 4.2 peer on a Unix domain stream socket: {@code NettyUnixEchoServer PATH
 * [--workers N]}, Netty's {@code EpollServerDomainSocketChannel} (native epoll, JNI) with
 * {@link NettyEchoServer}'s handler, then {@code PORT 0} and {@link ServerLifecycle}'s
 * contract. Netty does not remove the socket file: this program does, as it stops.
 */
public final class NettyUnixEchoServer {
    private NettyUnixEchoServer() {
    }

    /** See the class comment. */
    public static void main(String[] args) throws Exception {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("Netty's native epoll transport is not available",
                    Epoll.unavailabilityCause());
        }
        IoHandlerFactory ioFactory = EpollIoHandler.newFactory();
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, ioFactory);
        EventLoopGroup worker = new MultiThreadIoEventLoopGroup(ServerLifecycle.workers(args), ioFactory);
        try {
            Channel server = new ServerBootstrap()
                    .group(boss, worker)
                    .channel(EpollServerDomainSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childHandler(new NettyEchoServer.Echo())
                    .bind(new DomainSocketAddress(args[0]))
                    .sync()
                    .channel();
            ServerLifecycle.announce(0);
            ServerLifecycle.awaitStop();
            server.close().sync();
        } finally {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            worker.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
            Files.deleteIfExists(Path.of(args[0]));
        }
    }
}
