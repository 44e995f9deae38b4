package io.panamanetty.examples;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.transport.epoll.Splice;

import java.lang.System.Logger.Level;

/**
 * The handler of an accepted (client) channel of the {@link Forwarder}: when the
 * client connects, it opens the upstream connection on the client channel's own
 * event loop, so both sides of the forwarded connection live on one thread (either side
 * may be TCP or a Unix domain socket, splice included). The
 * client channel starts with auto-read off (set by the server bootstrap) and reads
 * only once the upstream connection is up: nothing is buffered meanwhile. If the
 * upstream cannot be reached, the client connection is closed and the reason logged.
 *
 * <p>The upstream channel starts with auto-read off too, turned on once the two
 * handlers are paired. With splice on, once the upstream is connected the bytes of each direction are spliced through a pipe
 * ({@link Splice}): nothing has been read by then, so nothing goes through the
 * pipelines. The {@link ForwardingHandler}s still pass closes on.
 */
final class ClientSideHandler extends ForwardingHandler {
    private final Endpoint upstreamEndpoint;
    private final boolean splice;
    private Channel upstream;

    ClientSideHandler(Endpoint upstreamEndpoint, boolean splice) {
        this.upstreamEndpoint = upstreamEndpoint;
        this.splice = splice;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Channel client = ctx.channel();
        ForwardingHandler upstreamSide = new ForwardingHandler();
        ChannelFuture connect = new Bootstrap()
                .group(client.eventLoop())
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.AUTO_READ, false)   // nothing is read before the two sides are paired
                .handler(() -> upstreamSide)
                .connect(upstreamEndpoint.connectAddress());
        upstream = connect.channel();
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                if (client.isOpen()) {
                    LOG.log(Level.WARNING, "cannot forward " + describe(client) + " to " + upstreamEndpoint + ": " + f.cause().getMessage() + "; closing the client connection");
                    client.close();
                }
                return;
            }
            if (!client.isActive()) {
                f.channel().close();   // the client left while we were connecting
                return;
            }
            pair(this, upstreamSide);
            if (splice) {
                spliceOneWay(client, f.channel());
                spliceOneWay(f.channel(), client);
            } else {
                client.config().setAutoRead(true);
                f.channel().config().setAutoRead(true);
            }
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

    /**
     * Splices {@code from} into {@code to}. A splice that fails while both channels are
     * still open (no pipe could be made) closes both; other failures have closed a
     * channel already, and the handlers pass that close on.
     */
    private static void spliceOneWay(Channel from, Channel to) {
        Splice.between(from, to).addListener(f -> {
            if (!f.isSuccess() && from.isOpen() && to.isOpen()) {
                LOG.log(Level.WARNING, "cannot splice " + from + " into " + to + ": " + f.cause()
                        + "; closing both");
                from.close();
                to.close();
            }
        });
    }

    private static String describe(Channel client) {
        return client.remoteAddress() instanceof java.net.InetSocketAddress remote
                ? "client " + remote.getAddress().getHostAddress() + ":" + remote.getPort() : "a client";
    }
}
