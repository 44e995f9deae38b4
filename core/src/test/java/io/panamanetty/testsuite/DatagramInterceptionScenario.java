package io.panamanetty.testsuite;

import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.DatagramChannel;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A datagram channel's bind, connect and disconnect pass through its handlers, as TCP's do:
 * the bootstrap's bind and connect open the socket at the head of the pipeline, so a handler
 * sees them and may change the address or refuse (the channel then closes); a later connect
 * and disconnect go the same way.
 */
@ExtendWith(LeakCheck.class)
public abstract class DatagramInterceptionScenario extends TransportScenario {
    private static final int TIMEOUT_MILLIS = 30_000;

    @Test
    public void aHandlerSeesTheBootstrapsBindAndMayMoveIt() throws Exception {
        try (EventLoopGroup group = transport().newGroup(1, "udp-bind-seen");
             DatagramSocket taken = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            List<String> seen = new CopyOnWriteArrayList<>();
            ChannelHandler move = new ChannelHandler() {
                @Override
                public void bind(ChannelHandlerContext ctx, SocketAddress local, ChannelPromise promise) {
                    seen.add("bind " + ((InetSocketAddress) local).getPort());
                    ctx.bind(new InetSocketAddress("127.0.0.1", 0), promise);   // any free port
                }
            };
            DatagramChannel server = (DatagramChannel) transport().bootstrap().group(group)
                    .channel(DatagramChannel.class).handler(() -> move)
                    .bind("127.0.0.1", taken.getLocalPort()).sync().channel();   // the port is taken: moved
            assertEquals(List.of("bind " + taken.getLocalPort()), seen);
            assertTrue(server.localAddress().getPort() != taken.getLocalPort(), server.localAddress().toString());
            assertTrue(server.isActive());
            server.close().sync();
        }
    }

    @Test
    public void aHandlerThatRefusesTheBindClosesTheChannel() throws Exception {
        try (EventLoopGroup group = transport().newGroup(1, "udp-bind-refused")) {
            IllegalStateException no = new IllegalStateException("no UDP here");
            ChannelHandler refuse = new ChannelHandler() {
                @Override
                public void bind(ChannelHandlerContext ctx, SocketAddress local, ChannelPromise promise) {
                    promise.tryFailure(no);
                }
            };
            ChannelFuture bound = transport().bootstrap().group(group).channel(DatagramChannel.class)
                    .handler(() -> refuse).bind("127.0.0.1", 0).await();
            assertSame(no, bound.cause());
            assertTrue(bound.channel().closeFuture().await().isDone());
            assertFalse(bound.channel().isOpen());
        }
    }

    @Test
    public void aHandlerSeesTheBootstrapsConnectAndMayRedirectIt() throws Exception {
        try (EventLoopGroup group = transport().newGroup(1, "udp-connect-seen");
             DatagramSocket peer = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            peer.setSoTimeout(TIMEOUT_MILLIS);
            ChannelHandler redirect = new ChannelHandler() {
                @Override
                public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local,
                                    ChannelPromise promise) {
                    ctx.connect(peer.getLocalSocketAddress(), local, promise);
                }
            };
            DatagramChannel client = (DatagramChannel) transport().bootstrap().group(group)
                    .channel(DatagramChannel.class).handler(() -> redirect)
                    .connect("127.0.0.1", 9).sync().channel();   // the discard port: redirected
            assertEquals(peer.getLocalPort(), client.remoteAddress().getPort());
            client.writeAndFlush("redirected".getBytes(StandardCharsets.UTF_8)).sync();
            byte[] room = new byte[100];
            java.net.DatagramPacket got = new java.net.DatagramPacket(room, room.length);
            peer.receive(got);
            assertEquals("redirected", new String(got.getData(), 0, got.getLength(), StandardCharsets.UTF_8));
            client.close().sync();
        }
    }

    @Test
    public void aHandlerSeesADatagramConnectAndDisconnectAndMayRedirectTheConnect() throws Exception {
        try (EventLoopGroup group = transport().newGroup(1, "udp-intercepted");
             DatagramSocket peer = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            peer.setSoTimeout(TIMEOUT_MILLIS);
            java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            io.panamanetty.channel.ChannelHandler redirect = new io.panamanetty.channel.ChannelHandler() {
                @Override
                public void connect(ChannelHandlerContext ctx, java.net.SocketAddress remote,
                                    java.net.SocketAddress local, io.panamanetty.channel.ChannelPromise promise) {
                    seen.add("connect " + ((InetSocketAddress) remote).getPort());
                    ctx.connect(peer.getLocalSocketAddress(), local, promise);
                }

                @Override
                public void disconnect(ChannelHandlerContext ctx, io.panamanetty.channel.ChannelPromise promise) {
                    seen.add("disconnect");
                    ctx.disconnect(promise);
                }
            };
            DatagramChannel client = (DatagramChannel) transport().bootstrap().group(group)
                    .channel(DatagramChannel.class).handler(() -> redirect)
                    .bind("127.0.0.1", 0).sync().channel();
            client.connect(new InetSocketAddress("127.0.0.1", 9)).sync();   // the discard port: redirected
            assertEquals(peer.getLocalPort(), client.remoteAddress().getPort());
            client.writeAndFlush("via the handler".getBytes(StandardCharsets.UTF_8)).sync();
            byte[] room = new byte[100];
            java.net.DatagramPacket got = new java.net.DatagramPacket(room, room.length);
            peer.receive(got);
            assertEquals("via the handler", new String(got.getData(), 0, got.getLength(), StandardCharsets.UTF_8));
            client.disconnect().sync();
            assertFalse(client.isConnected());
            assertTrue(client.isOpen(), "a datagram channel stays open when it disconnects");
            assertEquals(java.util.List.of("connect 9", "disconnect"), seen);
            client.close().sync();
        }
    }

}
