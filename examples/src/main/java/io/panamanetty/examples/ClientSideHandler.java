package io.panamanetty.examples;

import io.panamanetty.channel.Bootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelOption;

import java.lang.System.Logger.Level;

/**
 * The handler of an accepted (client) channel of the {@link Forwarder}: when the
 * client connects, it opens the upstream connection on the client channel's own
 * event loop, so both sides of the forwarded connection live on one thread. The
 * client channel starts with auto-read off (set by the server bootstrap) and reads
 * only once the upstream connection is up: nothing is buffered meanwhile. If the
 * upstream cannot be reached, the client connection is closed and the reason logged.
 */
final class ClientSideHandler extends ForwardingHandler {
    private final String upstreamHost;
    private final int upstreamPort;
    private Channel upstream;

    ClientSideHandler(String upstreamHost, int upstreamPort) {
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Channel client = ctx.channel();
        ForwardingHandler upstreamSide = new ForwardingHandler();
        ChannelFuture connect = new Bootstrap()
                .group(client.eventLoop())
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .handler(() -> upstreamSide)
                .connect(upstreamHost, upstreamPort);
        upstream = connect.channel();
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                if (client.isOpen()) {
                    LOG.log(Level.WARNING, "cannot forward " + describe(client) + " to " + upstreamHost + ":"
                            + upstreamPort + ": " + f.cause().getMessage() + "; closing the client connection");
                    client.close();
                }
                return;
            }
            if (!client.isActive()) {
                f.channel().close();   // the client left while we were connecting
                return;
            }
            pair(this, upstreamSide);
            client.config().setAutoRead(true);
        });
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!isPaired() && upstream != null) {
            upstream.close();   // still connecting: give up
        }
        super.channelInactive(ctx);
    }

    private static String describe(Channel client) {
        var remote = client.remoteAddress();
        return remote == null ? "a client" : "client " + remote.getAddress().getHostAddress() + ":" + remote.getPort();
    }
}
