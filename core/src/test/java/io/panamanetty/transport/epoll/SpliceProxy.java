package io.panamanetty.transport.epoll;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoopGroup;

import java.net.InetSocketAddress;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test forwarder on one event loop: every accepted connection gets an upstream
 * connection on the same loop, then a {@link Splice} each way. Optional bytes are
 * written to the upstream just before splicing starts (they must arrive first). When
 * one side closes, the other is closed.
 */
final class SpliceProxy implements AutoCloseable {

    /** One forwarded connection. */
    static final class Session {
        volatile Channel client;
        volatile Channel upstream;
        final CompletableFuture<ChannelFuture> toUpstream = new CompletableFuture<>();
        final CompletableFuture<ChannelFuture> toClient = new CompletableFuture<>();
        final Queue<Object> clientEvents = new ConcurrentLinkedQueue<>();
        final Queue<Throwable> exceptions = new ConcurrentLinkedQueue<>();
        final Queue<Object> pipelineReads = new ConcurrentLinkedQueue<>();
        /** True to close one side when the other closes (off: only the loop's shutdown closes them). */
        volatile boolean closePartner = true;

        /** The splice's future of one direction, once started. */
        static ChannelFuture await(CompletableFuture<ChannelFuture> started) throws Exception {
            return started.get(30, TimeUnit.SECONDS);
        }
    }

    /** Records what reaches a side's pipeline and closes the other side when this one closes. */
    private static class SideHandler extends ChannelHandlerAdapter {
        final Session session;
        private final boolean clientSide;

        SideHandler(Session session, boolean clientSide) {
            this.session = session;
            this.clientSide = clientSide;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            session.pipelineReads.add(clientSide ? "client" : "upstream");   // released on return
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (clientSide) {
                session.clientEvents.add(event);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            session.exceptions.add(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            Channel other = clientSide ? session.upstream : session.client;
            if (other != null && session.closePartner) {
                other.close();
            }
        }
    }

    /** The handler of an accepted connection: connects upstream, then splices. */
    private final class ClientHandler extends SideHandler {

        ClientHandler(Session session) {
            super(session, true);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel client = ctx.channel();
            session.client = client;
            Bootstrap bootstrap = new Bootstrap().group(client.eventLoop())
                    .option(ChannelOption.AUTO_READ, false)
                    .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .handler(() -> new SideHandler(session, false));
            if (socketBuffers > 0) {
                bootstrap.option(ChannelOption.SO_RCVBUF, socketBuffers).option(ChannelOption.SO_SNDBUF, socketBuffers);
            }
            if (upstreamReceiveBuffer > 0) {
                bootstrap.option(ChannelOption.SO_RCVBUF, upstreamReceiveBuffer);
            }
            ChannelFuture connect = bootstrap.connect("127.0.0.1", upstreamPort);
            session.upstream = connect.channel();
            connect.addListener(f -> {
                if (!f.isSuccess()) {
                    session.exceptions.add(f.cause());
                    client.close();
                    return;
                }
                Channel upstream = f.channel();
                if (prefix != null) {
                    upstream.write(prefix);   // queued now: it must leave before any spliced byte
                }
                session.toUpstream.complete(Splice.between(client, upstream));
                session.toClient.complete(Splice.between(upstream, client));
            });
            sessions.add(session);
        }
    }

    final EventLoopGroup group = EpollTestTransport.INSTANCE.newGroup(1, "splice-proxy");
    final LinkedBlockingQueue<Session> sessions = new LinkedBlockingQueue<>();
    private final int upstreamPort;
    private final byte[] prefix;
    private final int socketBuffers;
    private final int upstreamReceiveBuffer;
    final Channel server;

    /**
     * @param socketBuffers if positive, SO_SNDBUF and SO_RCVBUF of both sides (small
     *                      ones make backpressure show early)
     */
    SpliceProxy(int upstreamPort, byte[] prefix, int socketBuffers) throws InterruptedException {
        this(upstreamPort, prefix, socketBuffers, 0);
    }

    /**
     * @param upstreamReceiveBuffer if positive, SO_RCVBUF of the upstream side (a large
     *                              one lets the upstream's FIN arrive early)
     */
    SpliceProxy(int upstreamPort, byte[] prefix, int socketBuffers, int upstreamReceiveBuffer)
            throws InterruptedException {
        this.upstreamPort = upstreamPort;
        this.prefix = prefix;
        this.socketBuffers = socketBuffers;
        this.upstreamReceiveBuffer = upstreamReceiveBuffer;
        ServerBootstrap bootstrap = new ServerBootstrap().group(group)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(() -> new ClientHandler(new Session()));
        if (socketBuffers > 0) {
            bootstrap.childOption(ChannelOption.SO_RCVBUF, socketBuffers)
                    .childOption(ChannelOption.SO_SNDBUF, socketBuffers);
        }
        server = bootstrap.bind("127.0.0.1", 0).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The next accepted session. */
    Session nextSession() throws InterruptedException {
        Session session = sessions.poll(30, TimeUnit.SECONDS);
        if (session == null) {
            throw new AssertionError("no connection reached the splice proxy");
        }
        return session;
    }

    @Override
    public void close() {
        server.close();
        group.close();
    }
}
