package io.panamanetty.testsuite;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import io.panamanetty.handler.EchoHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lifecycle callbacks of a connection, on the accepting and the connecting side:
 * registered, active, reads in batches each ended by readComplete, inactive,
 * unregistered; nothing else (no writability change, no exception) on a small echo.
 */
@ExtendWith(LeakCheck.class)
public abstract class CallbackOrderScenario extends TransportScenario {
    private static final int TIMEOUT_SECONDS = 30;
    /** One or more batches of reads, each batch closed by a readComplete. */
    private static final Pattern LIFECYCLE =
            Pattern.compile("registered active (read )+readComplete( (read )+readComplete)* inactive unregistered");

    /** Records every callback, with the thread it ran on, and passes every event on. */
    private static final class Recorder extends ChannelHandlerAdapter {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<String> wrongThread = new CopyOnWriteArrayList<>();
        final StringBuilder text = new StringBuilder();   // event loop only
        final CountDownLatch unregistered = new CountDownLatch(1);
        final CountDownLatch gotReply = new CountDownLatch(1);
        final String expectedReply;
        volatile String textAtInactive;

        Recorder(String expectedReply) {
            this.expectedReply = expectedReply;
        }

        private void record(ChannelHandlerContext ctx, String event) {
            events.add(event);
            if (!ctx.channel().eventLoop().inEventLoop()) {
                wrongThread.add(event + " on " + Thread.currentThread().getName());
            }
        }

        @Override
        public void channelRegistered(ChannelHandlerContext ctx) throws Exception {
            record(ctx, "registered");
            super.channelRegistered(ctx);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            record(ctx, "active");
            super.channelActive(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) throws Exception {
            record(ctx, "read");
            Buffer buffer = (Buffer) message;
            text.append(buffer.toString(StandardCharsets.UTF_8));
            if (expectedReply != null && text.toString().equals(expectedReply)) {
                gotReply.countDown();
            }
            super.channelRead(ctx, message);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
            record(ctx, "readComplete");
            super.channelReadComplete(ctx);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
            record(ctx, "writabilityChanged");
            super.channelWritabilityChanged(ctx);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            record(ctx, "userEvent:" + event);
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
            record(ctx, "exception:" + cause);
            super.exceptionCaught(ctx, cause);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            record(ctx, "inactive");
            textAtInactive = text.toString();
            super.channelInactive(ctx);
        }

        @Override
        public void channelUnregistered(ChannelHandlerContext ctx) throws Exception {
            record(ctx, "unregistered");
            super.channelUnregistered(ctx);
            unregistered.countDown();
        }

        String sequence() {
            return String.join(" ", events);
        }
    }

    @Test
    public void serverChildAndClientSeeTheLifecycleInOrder() throws Exception {
        String message = "ping: a small message echoed once";
        Recorder serverSide = new Recorder(null);
        Recorder clientSide = new Recorder(message);
        try (EventLoopGroup servers = transport().newGroup(1, "order-server");
             EventLoopGroup clients = transport().newGroup(1, "order-client")) {
            Channel server = transport().serverBootstrap().group(servers)
                    .childInitializer(channel -> {
                        channel.pipeline().addLast("recorder", serverSide);
                        channel.pipeline().addLast("echo", new EchoHandler());
                    })
                    .bind(transport().serverAddress()).sync().channel();
            Channel client = transport().bootstrap().group(clients)
                    .handler(() -> clientSide)
                    .connect(server.localAddress()).sync().channel();
            client.writeAndFlush(message.getBytes(StandardCharsets.UTF_8));
            assertTrue(clientSide.gotReply.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "no echo");
            client.close().sync();

            assertTrue(clientSide.unregistered.await(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                    "client events: " + clientSide.sequence());
            assertTrue(serverSide.unregistered.await(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                    "server child events: " + serverSide.sequence());
            assertLifecycle("client", clientSide);
            assertLifecycle("server child", serverSide);
            assertEquals(message, clientSide.textAtInactive);
            assertEquals(message, serverSide.textAtInactive);
            assertTrue(clientSide.wrongThread.isEmpty(), () -> "off-loop callbacks: " + clientSide.wrongThread);
            assertTrue(serverSide.wrongThread.isEmpty(), () -> "off-loop callbacks: " + serverSide.wrongThread);
            server.close().sync();
        }
    }

    @Test
    public void serverClosingFirstGivesTheSameOrderOnBothSides() throws Exception {
        String message = "bye";
        Recorder serverSide = new Recorder(null);
        Recorder clientSide = new Recorder(message);
        try (EventLoopGroup group = transport().newGroup(2, "order")) {
            Channel server = transport().serverBootstrap().group(group)
                    .childInitializer(channel -> {
                        channel.pipeline().addLast("recorder", serverSide);
                        channel.pipeline().addLast("reply-and-close", new ChannelHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ctx.write(msg);
                            }

                            @Override
                            public void channelReadComplete(ChannelHandlerContext ctx) {
                                // Closing at the end of the batch. (A close inside channelRead
                                // ends the batch without channelReadComplete; see
                                // CloseFromAnywhereScenario for that case.)
                                ctx.writeAndFlush(new byte[0]).addListener(f -> ctx.close());
                            }
                        });
                    })
                    .bind(transport().serverAddress()).sync().channel();
            Channel client = transport().bootstrap().group(group)
                    .handler(() -> clientSide)
                    .connect(server.localAddress()).sync().channel();
            client.writeAndFlush(message.getBytes(StandardCharsets.UTF_8));

            assertTrue(serverSide.unregistered.await(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                    "server child events: " + serverSide.sequence());
            assertTrue(clientSide.unregistered.await(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                    "client events: " + clientSide.sequence());
            assertTrue(client.closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertLifecycle("client", clientSide);
            assertLifecycle("server child", serverSide);
            assertEquals(message, clientSide.textAtInactive, "the reply arrived before the close");
            server.close().sync();
        }
    }

    private static void assertLifecycle(String side, Recorder recorder) {
        String sequence = recorder.sequence();
        assertTrue(LIFECYCLE.matcher(sequence).matches(), side + " saw: " + sequence);
        assertFalse(sequence.contains("writabilityChanged"), side + " saw a writability change: " + sequence);
    }
}
