package io.panamanetty.testsuite;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.AlreadyConnectedException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Handlers see {@code bind}, {@code connect} and {@code disconnect} on their way to the
 * socket, as proxy handlers need: they can alter the address, hold the operation and pass
 * it on later from another thread, or refuse it by failing its promise. Every case runs
 * against a real listening socket.
 */
@ExtendWith(LeakCheck.class)
public abstract class OutboundInterceptionScenario extends TransportScenario {
    private static final int TIMEOUT_SECONDS = 30;

    @Test
    public void aHandlerRedirectsAConnectAndSeesTheHostNameUnresolved() throws Exception {
        try (EventLoopGroup group = transport().newGroup(1, "redirect")) {
            Channel server = transport().serverBootstrap().group(group).bind("127.0.0.1", 0).sync().channel();
            InetSocketAddress real = (InetSocketAddress) server.localAddress();
            List<SocketAddress> asked = new CopyOnWriteArrayList<>();
            ChannelHandler redirect = new ChannelHandler() {
                @Override
                public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local,
                                    ChannelPromise promise) {
                    asked.add(remote);
                    ctx.connect(real, local, promise);   // a proxy handler's move: its proxy instead
                }
            };
            // .invalid never resolves (RFC 6761): the connect can only succeed if the handler replaced it
            ChannelFuture connect = transport().bootstrap().group(group)
                    .initializer(ch -> ch.pipeline().addLast("redirect", redirect))
                    .connect("backend.invalid", 4242);
            assertTrue(connect.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertTrue(connect.isSuccess(), () -> "connect failed: " + connect.cause());
            assertEquals(real, connect.channel().remoteAddress());
            InetSocketAddress seen = (InetSocketAddress) asked.getFirst();
            assertTrue(seen.isUnresolved(), "the handler sees the name as the user gave it: " + seen);
            assertEquals("backend.invalid", seen.getHostString());
            assertEquals(4242, seen.getPort());
            connect.channel().close().sync();
            server.close().sync();
        }
    }

    @Test
    public void aHeldConnectGoesOnWhenTheHandlerPassesItOnFromAnotherThread() throws Exception {
        try (EventLoopGroup group = transport().newGroup(1, "held-connect")) {
            Channel server = transport().serverBootstrap().group(group).bind("127.0.0.1", 0).sync().channel();
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch held = new CountDownLatch(1);
            ChannelHandler holding = new ChannelHandler() {
                @Override
                public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local,
                                    ChannelPromise promise) {
                    held.countDown();
                    Thread.ofPlatform().start(() -> {
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        ctx.connect(remote, local, promise);   // off the loop: it hops back there
                    });
                }
            };
            ChannelFuture connect = transport().bootstrap().group(group)
                    .initializer(ch -> ch.pipeline().addLast("hold", holding))
                    .connect((InetSocketAddress) server.localAddress());
            assertTrue(held.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertFalse(connect.isDone(), "held by the handler: " + connect);
            assertFalse(connect.channel().isActive());
            release.countDown();
            assertTrue(connect.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertTrue(connect.isSuccess(), () -> "connect failed: " + connect.cause());
            assertTrue(connect.channel().isActive());
            connect.channel().close().sync();
            server.close().sync();
        }
    }

    @Test
    public void aHandlerRefusesAConnectByFailingItsPromise() throws Exception {
        try (EventLoopGroup group = transport().newGroup(1, "refused-connect")) {
            Channel server = transport().serverBootstrap().group(group).bind("127.0.0.1", 0).sync().channel();
            IOException policy = new IOException("connects to this address are not allowed");
            ChannelHandler refusing = new ChannelHandler() {
                @Override
                public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local,
                                    ChannelPromise promise) {
                    promise.tryFailure(policy);
                    ctx.close();
                }
            };
            ChannelFuture connect = transport().bootstrap().group(group)
                    .initializer(ch -> ch.pipeline().addLast("refuse", refusing))
                    .connect((InetSocketAddress) server.localAddress());
            assertTrue(connect.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertSame(policy, connect.cause());
            assertTrue(connect.channel().closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            server.close().sync();
        }
    }

    @Test
    public void aServerHandlerAltersTheBindAddress() throws Exception {
        try (EventLoopGroup group = transport().newGroup(1, "altered-bind")) {
            AtomicReference<SocketAddress> asked = new AtomicReference<>();
            ChannelHandler rebinding = new ChannelHandler() {
                @Override
                public void bind(ChannelHandlerContext ctx, SocketAddress local, ChannelPromise promise) {
                    asked.set(local);
                    ctx.bind(new InetSocketAddress("127.0.0.3", 0), promise);
                }
            };
            Channel server = transport().serverBootstrap().group(group).handler(rebinding)
                    .bind("127.0.0.1", 0).sync().channel();
            assertEquals(new InetSocketAddress("127.0.0.1", 0), asked.get());
            InetSocketAddress bound = (InetSocketAddress) server.localAddress();
            assertEquals("127.0.0.3", bound.getAddress().getHostAddress());
            Channel client = transport().bootstrap().group(group).connect(bound).sync().channel();
            assertTrue(client.isActive());
            client.close().sync();
            server.close().sync();
        }
    }

    @Test
    public void aClientBindsItsLocalAddressBeforeConnecting() throws Exception {
        try (EventLoopGroup group = transport().newGroup(1, "local-address")) {
            AtomicReference<SocketAddress> peerSeen = new AtomicReference<>();
            CountDownLatch accepted = new CountDownLatch(1);
            Channel server = transport().serverBootstrap().group(group)
                    .childInitializer(ch -> {
                        peerSeen.set(ch.remoteAddress());
                        accepted.countDown();
                    })
                    .bind("127.0.0.1", 0).sync().channel();
            Channel client = transport().bootstrap().group(group).localAddress("127.0.0.2", 0)
                    .connect((InetSocketAddress) server.localAddress()).sync().channel();
            assertTrue(accepted.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            InetSocketAddress peer = (InetSocketAddress) peerSeen.get();
            assertEquals("127.0.0.2", peer.getAddress().getHostAddress());
            assertEquals(client.localAddress(), peer);
            client.close().sync();
            server.close().sync();
        }
    }

    @Test
    public void disconnectPassesThroughTheHandlersAndClosesAStreamChannel() throws Exception {
        try (EventLoopGroup group = transport().newGroup(1, "disconnect")) {
            Channel server = transport().serverBootstrap().group(group).bind("127.0.0.1", 0).sync().channel();
            CountDownLatch seen = new CountDownLatch(1);
            ChannelHandler watching = new ChannelHandler() {
                @Override
                public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
                    seen.countDown();
                    ctx.disconnect(promise);
                }
            };
            Channel client = transport().bootstrap().group(group)
                    .initializer(ch -> ch.pipeline().addLast("watch", watching))
                    .connect((InetSocketAddress) server.localAddress()).sync().channel();
            ChannelHandlerContext ctx = client.pipeline().context("watch");
            ChannelFuture disconnected = client.pipeline().disconnect(ctx.newPromise());
            assertTrue(disconnected.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertTrue(disconnected.isSuccess(), () -> "disconnect failed: " + disconnected.cause());
            assertEquals(0, seen.getCount());
            assertTrue(client.closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            server.close().sync();
        }
    }

    @Test
    public void aSecondConnectOrAnAddressOfTheWrongKindFailsItsPromise() throws Exception {
        try (EventLoopGroup group = transport().newGroup(1, "bad-connect")) {
            Channel server = transport().serverBootstrap().group(group).bind("127.0.0.1", 0).sync().channel();
            Channel client = transport().bootstrap().group(group)
                    .connect((InetSocketAddress) server.localAddress()).sync().channel();
            ChannelHandlerContext ctx = client.pipeline().context("echo");
            ChannelFuture again = ctx.connect(server.localAddress());
            assertTrue(again.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertInstanceOf(AlreadyConnectedException.class, again.cause());
            assertTrue(client.isActive(), "a refused connect leaves the connection as it was");
            client.close().sync();

            ChannelHandler wrongKind = new ChannelHandler() {
                @Override
                public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local,
                                    ChannelPromise promise) {
                    ctx.connect(new SocketAddress() {   // neither an Internet nor a Unix socket's address
                        @Override
                        public String toString() {
                            return "an address of no socket family";
                        }
                    }, local, promise);
                }
            };
            ChannelFuture refused = transport().bootstrap().group(group)
                    .initializer(ch -> ch.pipeline().addLast("wrong-kind", wrongKind))
                    .connect((InetSocketAddress) server.localAddress());
            assertTrue(refused.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertInstanceOf(IllegalArgumentException.class, refused.cause());
            assertTrue(refused.cause().getMessage().contains("InetSocketAddress"), refused.cause().getMessage());
            refused.channel().close().sync();
            server.close().sync();
        }
    }
}
