package io.panamanetty.testsuite;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelInputShutdownEvent;
import io.panamanetty.channel.ChannelOutputShutdownEvent;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.StreamChannel;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connection control with real peers: a client's local address bound before connecting
 * ({@link Bootstrap#localAddress}), and {@link StreamChannel#shutdownInput()} with the
 * output-shutdown event against {@code socat}.
 */
@ExtendWith(LeakCheck.class)
public abstract class ConnectionControlScenario extends TransportScenario {
    private static final int TIMEOUT_SECONDS = 30;

    private static final class Quiet extends ChannelHandlerAdapter {
    }

    @Test
    public void thePeerSeesTheLocalAddressAndPortAskedFor() throws Exception {
        int port = freePort();
        try (EventLoopGroup group = transport().newGroup(1, "local-address");
             ServerSocket peer = new ServerSocket(0, 4, InetAddress.getByName("127.0.0.1"))) {
            Channel channel = transport().bootstrap().group(group).handler(Quiet::new).localAddress("127.0.0.2", port)
                    .connect("127.0.0.1", peer.getLocalPort()).sync().channel();
            try (Socket accepted = peer.accept()) {
                assertEquals(new InetSocketAddress("127.0.0.2", port), accepted.getRemoteSocketAddress());
                assertEquals(new InetSocketAddress("127.0.0.2", port), channel.localAddress());
            } finally {
                channel.close().sync();
            }
        }
    }

    @Test
    public void aWildcardLocalAddressTakesThePeersFamily() throws Exception {
        try (EventLoopGroup group = transport().newGroup(1, "local-wildcard");
             ServerSocket peer = new ServerSocket(0, 4, InetAddress.getByName("::1"))) {
            Channel channel = transport().bootstrap().group(group).handler(Quiet::new).localAddress(0)
                    .connect("::1", peer.getLocalPort()).sync().channel();
            try (Socket accepted = peer.accept()) {
                InetSocketAddress source = (InetSocketAddress) accepted.getRemoteSocketAddress();
                assertEquals(InetAddress.getByName("::1"), source.getAddress());
                assertEquals(source, channel.localAddress());
            } finally {
                channel.close().sync();
            }
        }
    }

    @Test
    public void aLocalAddressInUseFailsTheConnectNamingBindAndErrno() throws Exception {
        try (EventLoopGroup group = transport().newGroup(1, "local-in-use");
             ServerSocket peer = new ServerSocket(0, 4, InetAddress.getByName("127.0.0.1"))) {
            Throwable failure = transport().bootstrap().group(group).handler(Quiet::new)
                    .localAddress("127.0.0.1", peer.getLocalPort())
                    .connect("127.0.0.1", peer.getLocalPort()).await().cause();
            assertInstanceOf(ConnectException.class, failure);
            assertEquals("bind 127.0.0.1:" + peer.getLocalPort() + " failed: EADDRINUSE (Address already in use)",
                    failure.getMessage());
        }
    }

    /** Shuts its input down as it becomes active, then replies and shuts its output down. */
    private static final class ShutInputThenReply extends ChannelHandlerAdapter {
        final List<String> seen = new CopyOnWriteArrayList<>();
        final CompletableFuture<Channel> closed = new CompletableFuture<>();

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            StreamChannel channel = (StreamChannel) ctx.channel();
            channel.shutdownInput().addListener(f -> {
                seen.add("shutdownInput:" + f.isSuccess() + ",inputShutdown=" + channel.isInputShutdown());
                ctx.writeAndFlush("after shutdownInput\n".getBytes(StandardCharsets.UTF_8));
                channel.shutdownOutput();
            });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            seen.add("read " + ((Buffer) message).readableBytes());
            ((Buffer) message).release();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            seen.add("event:" + event + ",open=" + ctx.channel().isOpen());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            seen.add("inactive");
            closed.complete(ctx.channel());
        }
    }

    @Test
    public void shutdownInputThenOutputAgainstSocatClosesOnceBothAreDown() throws Exception {
        ShutInputThenReply handler = new ShutInputThenReply();
        try (EventLoopGroup group = transport().newGroup(1, "shutdown-input")) {
            Channel server = transport().serverBootstrap().group(group).childHandler(() -> handler)
                    .bind("127.0.0.1", 0).sync().channel();
            Process socat = new ProcessBuilder("socat", "-", "TCP:127.0.0.1:"
                    + ((InetSocketAddress) server.localAddress()).getPort()).redirectErrorStream(true).start();
            try {
                String output = new String(socat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals("after shutdownInput\n", output, "socat saw the reply, then the end of it");
                Channel child = handler.closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertEquals(List.of("event:ChannelInputShutdownEvent,open=true",
                        "shutdownInput:true,inputShutdown=true",
                        "event:ChannelOutputShutdownEvent,open=true", "inactive"), handler.seen);
                assertTrue(child.closeFuture().isDone());
                Throwable late = ((StreamChannel) child).shutdownInput().await().cause();
                assertInstanceOf(ClosedChannelException.class, late);
                socat.getOutputStream().close();
                assertTrue(socat.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "socat did not exit");
            } finally {
                socat.destroyForcibly().waitFor();
                server.close().sync();
            }
        }
    }

    @Test
    public void shutdownInputStopsReadingWhileTheOutputGoesOn() throws Exception {
        List<Object> events = new CopyOnWriteArrayList<>();
        try (EventLoopGroup group = transport().newGroup(1, "shutdown-input-nc");
             ServerSocket peer = new ServerSocket(0, 4, InetAddress.getByName("127.0.0.1"))) {
            ChannelHandlerAdapter recorder = new ChannelHandlerAdapter() {
                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                    events.add(event);
                }
            };
            StreamChannel channel = (StreamChannel) transport().bootstrap().group(group).handler(() -> recorder)
                    .connect("127.0.0.1", peer.getLocalPort()).sync().channel();
            try (Socket accepted = peer.accept()) {
                accepted.setSoTimeout(TIMEOUT_SECONDS * 1000);
                channel.shutdownInput().sync();
                assertTrue(channel.isInputShutdown() && channel.isOpen() && !channel.isOutputShutdown());
                channel.writeAndFlush("still writing".getBytes(StandardCharsets.UTF_8)).sync();
                byte[] got = accepted.getInputStream().readNBytes(13);
                assertEquals("still writing", new String(got, StandardCharsets.UTF_8));
                assertEquals(List.of(ChannelInputShutdownEvent.INSTANCE), events);
                channel.shutdownOutput().sync();
                assertEquals(-1, accepted.getInputStream().read(), "the peer sees the FIN");
                assertTrue(channel.closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "both ways down: closed");
                assertEquals(List.of(ChannelInputShutdownEvent.INSTANCE, ChannelOutputShutdownEvent.INSTANCE), events);
            } finally {
                channel.close().sync();
            }
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
            return probe.getLocalPort();
        }
    }
}
