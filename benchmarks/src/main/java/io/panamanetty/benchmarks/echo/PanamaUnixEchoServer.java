package io.panamanetty.benchmarks.echo;

import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.DomainSocketAddress;
import io.panamanetty.channel.EventLoopGroup;

import java.util.concurrent.TimeUnit;

/**
 * {@link PanamaEchoServer} on a Unix domain stream socket: {@code PanamaUnixEchoServer PATH
 * [--workers N]} ({@code @NAME} for an abstract name) binds there, then prints {@code PORT 0}
 * (the harness knows the path) and keeps {@link ServerLifecycle}'s contract. The same
 * bootstrap and default echo handler; the socket file goes when it stops.
 */
public final class PanamaUnixEchoServer {
    private PanamaUnixEchoServer() {
    }

    /** See the class comment. */
    public static void main(String[] args) throws InterruptedException {
        int workers = ServerLifecycle.workers(args);
        EventLoopGroup boss = new EventLoopGroup(1, "boss");
        EventLoopGroup worker = new EventLoopGroup(workers, "worker");
        try {
            Channel server = new ServerBootstrap().group(boss, worker)
                    .bind(DomainSocketAddress.of(args[0])).sync().channel();
            ServerLifecycle.announce(0);
            ServerLifecycle.awaitStop();
            server.close().sync();
        } finally {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            worker.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
