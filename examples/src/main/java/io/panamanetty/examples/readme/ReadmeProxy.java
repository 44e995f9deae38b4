package io.panamanetty.examples.readme;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.bootstrap.ServerBootstrap;

/**
 * py-netty's "TCP port forwarding" example, literally: a separate client group for
 * the upstream connections, created on the first read with a blocking {@code sync()}
 * (allowed: it waits for another group's loop). It keeps the original's simplicity
 * and its limits: no backpressure, one hop between threads per read.
 */
public final class ReadmeProxy {
    private ReadmeProxy() {
    }

    /** Forwards every accepted connection to one remote host and port. */
    static class ProxyChannelHandler extends ChannelHandlerAdapter {
        private final String remoteHost;
        private final int remotePort;
        private final EventLoopGroup clientEventLoopGroup;
        private Channel client;

        ProxyChannelHandler(String remoteHost, int remotePort, EventLoopGroup clientEventLoopGroup) {
            this.remoteHost = remoteHost;
            this.remotePort = remotePort;
            this.clientEventLoopGroup = clientEventLoopGroup;
        }

        private Channel clientChannel(ChannelHandlerContext ctx0) throws InterruptedException {
            if (client == null) {
                client = new Bootstrap()
                        .group(clientEventLoopGroup)
                        .handler(() -> new ChannelHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object bytebuf) {
                                ctx0.write(bytebuf);
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                ctx0.close();
                            }
                        })
                        .connect(remoteHost, remotePort).sync().channel();
            }
            return client;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable exception) {
            ctx.close();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object bytebuf) throws InterruptedException {
            clientChannel(ctx).write(bytebuf);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (client != null) {
                client.close();
            }
        }
    }

    /** Arguments: proxied host (default www.google.com), its port (default 443), listen port (default 8443). */
    public static void main(String[] args) throws InterruptedException {
        String proxiedServer = args.length > 0 ? args[0] : "www.google.com";
        int proxiedPort = args.length > 1 ? Integer.parseInt(args[1]) : 443;
        int listenPort = args.length > 2 ? Integer.parseInt(args[2]) : 8443;
        EventLoopGroup clientEventLoopGroup = new EventLoopGroup(2, "ClientEventloopGroup");
        ServerBootstrap sb = new ServerBootstrap()
                .group(new EventLoopGroup(1, "Acceptor"), new EventLoopGroup(2, "Worker"))
                .childHandler(() -> new ProxyChannelHandler(proxiedServer, proxiedPort, clientEventLoopGroup));
        sb.bind(listenPort).closeFuture().sync();
    }
}
