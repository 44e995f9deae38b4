package io.panamanetty.testsuite;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.BlockingOperationException;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Waiting on a loop thread for a future that only that loop can complete throws
 * {@link BlockingOperationException} at once; waiting for another loop's future works.
 */
@ExtendWith(LeakCheck.class)
public abstract class FutureDeadlockScenario extends TransportScenario {
    private static final long TIMEOUT_SECONDS = 30;

    /** Runs {@code body} in the first channelRead of each accepted channel and reports what it returned or threw. */
    static final class OnFirstRead extends ChannelHandlerAdapter {
        interface Body {
            Object run(ChannelHandlerContext ctx, Buffer message) throws Exception;
        }

        final Body body;
        final CompletableFuture<Object> outcome = new CompletableFuture<>();

        OnFirstRead(Body body) {
            this.body = body;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (outcome.isDone()) {
                return;
            }
            try {
                outcome.complete(body.run(ctx, (Buffer) message));
            } catch (Throwable t) {
                outcome.complete(t);
            }
        }
    }

    private Object runInChannelRead(EventLoopGroup group, OnFirstRead.Body body) throws Exception {
        OnFirstRead handler = new OnFirstRead(body);
        Channel server = transport().serverBootstrap().group(group).childHandler(() -> handler)
                .bind("127.0.0.1", 0).sync().channel();
        try (Socket client = new Socket("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort())) {
            client.getOutputStream().write(1);
            return handler.outcome.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } finally {
            server.close().sync();
        }
    }

    @Test
    public void syncOnAConnectFutureOfTheSameLoopThrowsAtOnce() throws Exception {
        try (EventLoopGroup group = transport().newGroup(1, "same-loop-connect")) {
            Channel target = transport().serverBootstrap().group(group).bind("127.0.0.1", 0).sync().channel();
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", ((InetSocketAddress) target.localAddress()).getPort());
            List<ChannelFuture> connects = Collections.synchronizedList(new ArrayList<>());
            Object outcome = runInChannelRead(group, (ctx, message) -> {
                ChannelFuture connect = transport().bootstrap().group(ctx.channel().eventLoop()).connect(address);
                connects.add(connect);
                List<Throwable> thrown = new ArrayList<>();
                try {
                    connect.sync();
                } catch (BlockingOperationException e) {
                    thrown.add(e);
                }
                try {
                    connect.await();
                } catch (BlockingOperationException e) {
                    thrown.add(e);
                }
                try {
                    connect.await(10, TimeUnit.SECONDS);
                } catch (BlockingOperationException e) {
                    thrown.add(e);
                }
                return thrown;
            });
            assertInstanceOf(List.class, outcome, "no unexpected exception: " + outcome);
            assertEquals(3, ((List<?>) outcome).size(), "sync(), await() and await(timeout) all threw: " + outcome);
            // The connect itself goes on and succeeds once the loop is free again.
            ChannelFuture connect = connects.get(0);
            assertTrue(connect.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertTrue(connect.isSuccess(), connect.toString());
            connect.channel().close().sync();
            target.close().sync();
        }
    }

    @Test
    public void syncOnTheOwnCloseFutureFromChannelReadThrowsAtOnce() throws Exception {
        try (EventLoopGroup group = transport().newGroup(2, "own-close-future")) {
            Object outcome = runInChannelRead(group, (ctx, message) -> {
                try {
                    ctx.channel().closeFuture().sync();
                    return "sync returned";
                } catch (BlockingOperationException e) {
                    // Already-done futures may be waited on, even on the loop.
                    ChannelPromise done = ctx.newPromise();
                    done.setSuccess();
                    done.sync();
                    done.await();
                    return e;
                }
            });
            assertInstanceOf(BlockingOperationException.class, outcome);
        }
    }

    @Test
    public void syncOnAFutureOfAnotherGroupFromALoopThreadWorks() throws Exception {
        try (EventLoopGroup groupA = transport().newGroup(1, "proxy-front");
             EventLoopGroup groupB = transport().newGroup(1, "proxy-back")) {
            Channel backend = transport().serverBootstrap().group(groupB).bind("127.0.0.1", 0).sync().channel();
            InetSocketAddress backendAddress = new InetSocketAddress("127.0.0.1", ((InetSocketAddress) backend.localAddress()).getPort());

            // As py-netty's proxy: connect to the backend from channelRead, sync(), forward.
            CompletableFuture<Throwable> problem = new CompletableFuture<>();
            Channel front = transport().serverBootstrap().group(groupA).childHandler(() -> new ChannelHandlerAdapter() {
                private Channel outbound;

                @Override
                public void channelRead(ChannelHandlerContext ctx, Object message) throws Exception {
                    if (outbound == null) {
                        Channel inbound = ctx.channel();
                        outbound = transport().bootstrap().group(groupB).handler(() -> new ChannelHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext backCtx, Object reply) {
                                inbound.writeAndFlush(reply);
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext backCtx) {
                                inbound.close();
                            }
                        }).connect(backendAddress).sync().channel();
                    }
                    outbound.writeAndFlush(message).sync();   // another loop's future: fine
                }

                @Override
                public void channelInactive(ChannelHandlerContext ctx) {
                    if (outbound != null) {
                        outbound.close();
                    }
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    problem.complete(cause);
                    ctx.close();
                }
            }).bind("127.0.0.1", 0).sync().channel();

            try (Socket client = new Socket("127.0.0.1", ((InetSocketAddress) front.localAddress()).getPort())) {
                client.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
                InputStream in = client.getInputStream();
                for (int i = 0; i < 5; i++) {
                    byte[] line = ("through the proxy " + i + "\n").getBytes(StandardCharsets.UTF_8);
                    client.getOutputStream().write(line);
                    assertArrayEquals(line, in.readNBytes(line.length),
                            () -> "echoed through the proxy; problem: " + problem.getNow(null));
                }
            }
            assertTrue(!problem.isDone(), () -> "no exception in the proxy: " + problem.join());
            front.close().sync();
            backend.close().sync();
        }
    }

    @Test
    public void syncOnAFutureOfAnotherLoopOfTheSameGroupWorks() throws Exception {
        try (EventLoopGroup group = transport().newGroup(2, "sibling-loops")) {
            Channel target = transport().serverBootstrap().group(group).bind("127.0.0.1", 0).sync().channel();
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", ((InetSocketAddress) target.localAddress()).getPort());
            Object outcome = runInChannelRead(group, (ctx, message) -> {
                EventLoop mine = ctx.channel().eventLoop();
                EventLoop sibling = group.loops().stream().filter(l -> l != mine).findFirst().orElseThrow();
                Channel connected = transport().bootstrap().group(sibling).connect(address).sync().channel();
                connected.close().sync();
                return connected;
            });
            assertInstanceOf(Channel.class, outcome, "connected and closed from a sibling loop: " + outcome);
            assertNotNull(((Channel) outcome).closeFuture());
            assertTrue(((Channel) outcome).closeFuture().isSuccess());
            target.close().sync();
        }
    }
}
