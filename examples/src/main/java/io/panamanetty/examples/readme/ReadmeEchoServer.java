package io.panamanetty.examples.readme;

import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.bootstrap.ServerBootstrap;

/**
 * py-netty: {@code ServerBootstrap().bind(address='0.0.0.0', port=8080).close_future().sync()}
 */
public final class ReadmeEchoServer {
    private ReadmeEchoServer() {
    }

    /** Starts an echo server on port 8080 (or the port given) and blocks until it closes. */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        new ServerBootstrap().bind("0.0.0.0", port).closeFuture().sync();
    }

    /** The same server, bound on {@code host}, returned instead of waited on (for tests). */
    static ChannelFuture start(String host, int port) {
        return new ServerBootstrap().bind(host, port);
    }
}
