package io.panamanetty.testsuite;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelInputShutdownEvent;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import io.panamanetty.channel.StreamChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Half-closure both ways: a peer's FIN reported as {@link ChannelInputShutdownEvent}
 * (with {@link ChannelOption#ALLOW_HALF_CLOSURE}) or closing the channel (without),
 * and {@link Channel#shutdownOutput()} sending FIN after the queued bytes.
 */
@ExtendWith(LeakCheck.class)
public abstract class HalfCloseScenario extends TransportScenario {
    private static final int TIMEOUT_SECONDS = 30;

    /** Records what a server child sees; on the peer's FIN it replies, then shuts its output down. */
    private static final class ReplyOnInputShutdown extends ChannelHandlerAdapter {
        final List<String> events = new CopyOnWriteArrayList<>();
        final ByteArrayOutputStream received = new ByteArrayOutputStream();   // event loop only
        final CompletableFuture<byte[]> receivedAtShutdown = new CompletableFuture<>();
        final CompletableFuture<ChannelFuture> shutdownOutput = new CompletableFuture<>();
        final CountDownLatch inactive = new CountDownLatch(1);
        final byte[] tail;

        ReplyOnInputShutdown(byte[] tail) {
            this.tail = tail;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            Buffer buffer = (Buffer) message;
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.readBytes(bytes);
            received.writeBytes(bytes);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            events.add("event:" + event + ",open=" + ctx.channel().isOpen() + ",active=" + ctx.channel().isActive());
            if (event instanceof ChannelInputShutdownEvent) {
                byte[] bytes = received.toByteArray();
                receivedAtShutdown.complete(bytes);
                // Queued, not flushed: the FIN must still leave only after these bytes.
                ctx.write(("got " + bytes.length + " bytes: " + new String(bytes, StandardCharsets.UTF_8) + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                ctx.write(tail.clone());
                shutdownOutput.complete(((StreamChannel) ctx.channel()).shutdownOutput());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            events.add("exception:" + cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            events.add("inactive");
            if (!receivedAtShutdown.isDone()) {
                receivedAtShutdown.complete(received.toByteArray());
            }
            inactive.countDown();
        }
    }

    @Test
    public void withHalfClosureServerSeesInputShutdownRepliesThenShutsOutputDown() throws Exception {
        byte[] tail = new byte[512 * 1024];
        new Random(7).nextBytes(tail);
        ReplyOnInputShutdown handler = new ReplyOnInputShutdown(tail);
        try (EventLoopGroup group = transport().newGroup(2, "half-close")) {
            Channel server = transport().serverBootstrap().group(group)
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childHandler(() -> handler)
                    .bind(transport().serverAddress()).sync().channel();
            try (StreamPeer socket = StreamPeer.connect(server.localAddress())) {
                socket.out().write("hello".getBytes(StandardCharsets.UTF_8));
                socket.shutdownOutput();

                byte[] reply = socket.in().readAllBytes();   // up to the server's FIN
                byte[] header = "got 5 bytes: hello\n".getBytes(StandardCharsets.UTF_8);
                assertEquals(header.length + tail.length, reply.length, "reply length");
                assertArrayEquals(header, Arrays.copyOfRange(reply, 0, header.length));
                assertArrayEquals(tail, Arrays.copyOfRange(reply, header.length, reply.length));
            }
            assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8),
                    handler.receivedAtShutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            ChannelFuture shutdown = handler.shutdownOutput.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertTrue(shutdown.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "shutdownOutput did not complete");
            assertNull(shutdown.cause(), "shutdownOutput failed");
            assertTrue(handler.inactive.await(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                    "both directions shut down, yet the channel stayed open");
            assertEquals(List.of("event:ChannelInputShutdownEvent,open=true,active=true",
                    "event:ChannelOutputShutdownEvent,open=true,active=true", "inactive"), handler.events);
            server.close().sync();
        }
    }

    @Test
    public void withoutHalfClosureThePeersFinClosesTheChannel() throws Exception {
        ReplyOnInputShutdown handler = new ReplyOnInputShutdown(new byte[0]);
        try (EventLoopGroup group = transport().newGroup(2, "half-close")) {
            Channel server = transport().serverBootstrap().group(group)
                    .childHandler(() -> handler)
                    .bind(transport().serverAddress()).sync().channel();
            try (StreamPeer socket = StreamPeer.connect(server.localAddress())) {
                socket.out().write("hello".getBytes(StandardCharsets.UTF_8));
                socket.shutdownOutput();
                assertTrue(handler.inactive.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "channelInactive did not fire");
                assertEquals(-1, socket.in().read(), "the server closed without a reply");
            }
            assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8),
                    handler.receivedAtShutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertEquals(List.of("inactive"), handler.events, "no ChannelInputShutdownEvent without half-closure");
            assertFalse(handler.shutdownOutput.isDone());
            server.close().sync();
        }
    }

    @Test
    public void withoutHalfClosureWritesOfTheLastReadStillLeaveBeforeTheClose() throws Exception {
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        try (EventLoopGroup group = transport().newGroup(2, "fin-after-data")) {
            Channel server = transport().serverBootstrap().group(group)
                    .childInitializer(ch -> {
                        ch.pipeline().addLast("echo", new ChannelHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object message) {
                                ctx.write(message);   // no flush: a write sends by the end of the turn
                            }
                        });
                        accepted.complete(ch);
                    })
                    .bind(transport().serverAddress()).sync().channel();
            try (StreamPeer socket = StreamPeer.connect(server.localAddress())) {
                Channel child = accepted.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                CountDownLatch stageSet = new CountDownLatch(1);
                child.eventLoop().execute(() -> {   // holds the loop so the bytes and the FIN arrive together
                    try {
                        stageSet.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                socket.out().write("hello".getBytes(StandardCharsets.UTF_8));
                socket.shutdownOutput();
                Thread.sleep(100);   // loopback delivers at once; this only makes sure, it is not asserted on
                stageSet.countDown();
                assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), socket.in().readAllBytes(),
                        "the echo written in the read that met the FIN must leave before the close");
                assertTrue(child.closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            server.close().sync();
        }
    }

    @Test
    public void clientShutdownOutputSendsFinAfterQueuedBytesAndStillReads() throws Exception {
        clientShutsOutputDown(false);
    }

    @Test
    public void clientWithHalfClosureSeesInputShutdownAfterItsOwnAndCloses() throws Exception {
        clientShutsOutputDown(true);
    }

    /** Records what a client reads and sees. */
    private static final class ClientRecorder extends ChannelHandlerAdapter {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();   // event loop only
        final List<String> events = new CopyOnWriteArrayList<>();
        final CompletableFuture<byte[]> receivedAtClose = new CompletableFuture<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            Buffer buffer = (Buffer) message;
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.readBytes(bytes);
            received.writeBytes(bytes);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            events.add("event:" + event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            events.add("exception:" + cause);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            events.add("inactive");
            receivedAtClose.complete(received.toByteArray());
        }
    }

    @Test
    public void shutdownOutputRequestedBeforeTheConnectCompletesTakesEffectOnceConnected() throws Exception {
        try (PeerListener listener = transport().peerListener();
             EventLoopGroup group = transport().newGroup(1, "half-close-early")) {
            CompletableFuture<byte[]> peerReceived = new CompletableFuture<>();
            Thread peer = Thread.ofPlatform().name("half-close-early-peer").start(() -> {
                try (StreamPeer accepted = listener.accept()) {
                    peerReceived.complete(accepted.in().readAllBytes());   // up to the FIN
                    accepted.out().write("bye".getBytes(StandardCharsets.UTF_8));
                } catch (Throwable t) {
                    peerReceived.completeExceptionally(t);
                }
            });
            ClientRecorder recorder = new ClientRecorder();
            try {
                ChannelFuture connect = transport().bootstrap().group(group)
                        .handler(() -> recorder)
                        .connect(listener.address());
                // Nothing written, connect most likely still in progress: the FIN must
                // still be sent once the connection is up.
                ChannelFuture shutdown = ((StreamChannel) connect.channel()).shutdownOutput();
                connect.sync();
                assertArrayEquals(new byte[0], peerReceived.get(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                        "the peer should see EOF and no bytes");
                assertTrue(shutdown.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "shutdownOutput never completed");
                assertNull(shutdown.cause(), "shutdownOutput failed");
                assertEquals("bye", new String(recorder.receivedAtClose.get(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                        StandardCharsets.UTF_8));
                assertTrue(connect.channel().closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            } finally {
                peer.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            }
            assertFalse(peer.isAlive(), "the peer thread did not finish");
        }
    }

    private void clientShutsOutputDown(boolean allowHalfClosure) throws Exception {
        byte[] request = new byte[300 * 1024];
        new Random(11).nextBytes(request);
        try (PeerListener listener = transport().peerListener();
             EventLoopGroup group = transport().newGroup(1, "half-close-client")) {
            CompletableFuture<byte[]> peerReceived = new CompletableFuture<>();
            Thread peer = Thread.ofPlatform().name("half-close-peer").start(() -> {
                try (StreamPeer accepted = listener.accept()) {
                    InputStream in = accepted.in();
                    byte[] all = in.readAllBytes();   // returns on the client's FIN
                    peerReceived.complete(all);
                    OutputStream out = accepted.out();
                    out.write(("peer got " + all.length).getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (Throwable t) {
                    peerReceived.completeExceptionally(t);
                }
            });
            ClientRecorder recorder = new ClientRecorder();
            Channel client;
            try {
                client = transport().bootstrap().group(group)
                        .option(ChannelOption.ALLOW_HALF_CLOSURE, allowHalfClosure)
                        .handler(() -> recorder)
                        .connect(listener.address())
                        .sync().channel();
                ChannelFuture write = client.write(request.clone());
                ChannelFuture shutdown = ((StreamChannel) client).shutdownOutput();   // right away: FIN after the queued bytes

                assertArrayEquals(request, peerReceived.get(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                        "what the peer read up to the client's FIN");
                assertTrue(write.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                assertNull(write.cause(), "the write before the shutdown failed");
                assertTrue(shutdown.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                assertNull(shutdown.cause(), "shutdownOutput failed");

                ChannelFuture late = client.write("too late".getBytes(StandardCharsets.UTF_8));
                assertTrue(late.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                assertFalse(late.isSuccess(), "a write after shutdownOutput succeeded");
                assertInstanceOf(IOException.class, late.cause());

                byte[] reply = recorder.receivedAtClose.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertEquals("peer got " + request.length, new String(reply, StandardCharsets.UTF_8));
                assertTrue(client.closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "client not closed");
                assertEquals(allowHalfClosure
                        ? List.of("event:ChannelOutputShutdownEvent", "event:ChannelInputShutdownEvent", "inactive")
                        : List.of("event:ChannelOutputShutdownEvent", "inactive"), recorder.events);
            } finally {
                peer.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            }
            assertFalse(peer.isAlive(), "the peer thread did not finish");
        }
    }
}
