package io.panamanetty.benchmarks.echo;

import java.net.InetSocketAddress;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.bootstrap.ServerBootstrap;

import java.util.concurrent.TimeUnit;

/**
 * panama-netty's default echo server: a {@link ServerBootstrap} with no handler (so
 * {@link io.panamanetty.handler.EchoHandler}, which writes back the received buffers
 * without copying), TCP_NODELAY on by default, one acceptor and N worker loops.
 */
public final class PanamaEchoServer {
    private PanamaEchoServer() {
    }

    /** {@code PanamaEchoServer [--workers N]}; see {@link ServerLifecycle}. */
    public static void main(String[] args) throws InterruptedException {
        int workers = ServerLifecycle.workers(args);
        EventLoopGroup boss = new EventLoopGroup(1, "boss");
        EventLoopGroup worker = new EventLoopGroup(workers, "worker");
        try {
            Channel server = new ServerBootstrap()
                    .group(boss, worker)
                    .bind(ServerLifecycle.HOST, 0)
                    .sync()
                    .channel();
            ServerLifecycle.announce(((InetSocketAddress) server.localAddress()).getPort());
            ServerLifecycle.awaitStop();
            server.close();
        } finally {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            worker.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
