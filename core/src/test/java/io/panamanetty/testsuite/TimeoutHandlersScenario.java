package io.panamanetty.testsuite;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.PendingOutboundBytes;
import io.panamanetty.handler.IdleState;
import io.panamanetty.handler.IdleStateEvent;
import io.panamanetty.handler.IdleStateHandler;
import io.panamanetty.handler.ReadTimeoutException;
import io.panamanetty.handler.ReadTimeoutHandler;
import io.panamanetty.handler.WriteTimeoutException;
import io.panamanetty.handler.WriteTimeoutHandler;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The timeout and idle handlers on real connections and the loop's real clock: a silent
 * peer is timed out, a write to a peer that never reads is failed and its channel closed, and
 * {@code observeOutput} keeps a slowly drained write from looking idle until the peer stops
 * reading. Periods are short and waits long; no duration is asserted.
 */
@ExtendWith(LeakCheck.class)
public abstract class TimeoutHandlersScenario extends TransportScenario {
    private static final int TIMEOUT_SECONDS = 30;

    /** Completes with the first exception that reaches it. */
    static final class FirstException extends ChannelHandlerAdapter {
        final CompletableFuture<Throwable> caught = new CompletableFuture<>();

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            caught.complete(cause);
        }
    }

    private Channel serve(EventLoopGroup loops, Supplier<ChannelHandler> child) throws InterruptedException {
        return transport().serverBootstrap().group(loops).childHandler(child)
                .childOption(ChannelOption.SO_SNDBUF, 64 * 1024)
                .bind("127.0.0.1", 0).sync().channel();
    }

    private static Socket connect(Channel server, int receiveBuffer) throws IOException {
        Socket peer = new Socket();
        peer.setReceiveBufferSize(receiveBuffer);
        peer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        peer.connect(new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort()));
        return peer;
    }

    @Test
    public void aSilentPeerIsTimedOutAndDisconnected() throws Exception {
        FirstException exceptions = new FirstException();
        try (EventLoopGroup loops = transport().newGroup(1, "read-timeout")) {
            Channel server = serve(loops, () -> new ChannelHandlerAdapter() {
                @Override
                public void handlerAdded(ChannelHandlerContext ctx) {
                    ctx.pipeline().addLast(new ReadTimeoutHandler(200, TimeUnit.MILLISECONDS), exceptions);
                }
            });
            try (Socket peer = connect(server, 64 * 1024)) {
                peer.getOutputStream().write("one read, then silence".getBytes());
                Throwable cause = exceptions.caught.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertInstanceOf(ReadTimeoutException.class, cause);
                assertEquals(-1, peer.getInputStream().read(), "the server closed the connection");
            } finally {
                server.close().sync();
            }
        }
    }

    @Test
    public void aWriteToAPeerThatNeverReadsTimesOut() throws Exception {
        FirstException exceptions = new FirstException();
        CompletableFuture<ChannelFuture> write = new CompletableFuture<>();
        AtomicReference<Channel> child = new AtomicReference<>();
        try (EventLoopGroup loops = transport().newGroup(1, "write-timeout")) {
            Channel server = serve(loops, () -> new ChannelHandlerAdapter() {
                @Override
                public void handlerAdded(ChannelHandlerContext ctx) {
                    ctx.pipeline().addLast(new WriteTimeoutHandler(300, TimeUnit.MILLISECONDS), exceptions);
                }

                @Override
                public void channelActive(ChannelHandlerContext ctx) {
                    child.set(ctx.channel());
                    Buffer big = ctx.alloc().allocate(16 << 20);
                    big.writerIndex(big.capacity());   // 16 MiB: far more than the socket buffers hold
                    write.complete(ctx.channel().writeAndFlush(big));   // from the tail, through the timeout handler
                    ctx.fireChannelActive();
                }
            });
            try (Socket peer = connect(server, 16 * 1024)) {
                ChannelFuture written = write.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertTrue(written.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                assertInstanceOf(WriteTimeoutException.class, written.cause());
                assertTrue(exceptions.caught.get(TIMEOUT_SECONDS, TimeUnit.SECONDS) instanceof WriteTimeoutException);
                assertTrue(child.get().closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the channel closed");
                assertTrue(peer.isConnected());
            } finally {
                server.close().sync();
            }
        }
    }

    @Test
    public void aSlowlyDrainedWriteIsNotIdleUntilThePeerStopsReading() throws Exception {
        int total = 5 << 20;
        int readBeforeStall = 4 << 20;
        AtomicInteger idleWhileReading = new AtomicInteger();
        AtomicInteger stalled = new AtomicInteger();   // 0 while the peer reads, 1 once it has stopped
        CompletableFuture<Boolean> idleAfterStall = new CompletableFuture<>();   // whether the write was still pending
        CompletableFuture<ChannelFuture> write = new CompletableFuture<>();
        CompletableFuture<long[]> countsAtStall = new CompletableFuture<>();   // pending, written
        try (EventLoopGroup loops = transport().newGroup(1, "observe-output")) {
            Channel server = serve(loops, () -> new ChannelHandlerAdapter() {
                @Override
                public void handlerAdded(ChannelHandlerContext ctx) {
                    ctx.pipeline().addFirst(new IdleStateHandler(true, 0, 1, 0, TimeUnit.SECONDS));
                }

                @Override
                public void channelActive(ChannelHandlerContext ctx) {
                    Buffer big = ctx.alloc().allocate(total);
                    big.writerIndex(total);
                    write.complete(ctx.writeAndFlush(big));   // one write: its future completes only at the end
                    ctx.fireChannelActive();
                }

                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                    if (event instanceof IdleStateEvent idle && idle.state() == IdleState.WRITER_IDLE) {
                        if (stalled.get() == 0) {
                            idleWhileReading.incrementAndGet();
                        } else {
                            countsAtStall.complete(new long[] {PendingOutboundBytes.pending(ctx.channel()),
                                    PendingOutboundBytes.written(ctx.channel())});
                            idleAfterStall.complete(!write.join().isDone());
                        }
                    }
                }
            });
            try (Socket peer = connect(server, 16 * 1024)) {
                InputStream in = peer.getInputStream();
                byte[] chunk = new byte[16 * 1024];
                int received = 0;
                while (received < readBeforeStall) {   // about 1.6 MB/s: every 10 ms some bytes move
                    int n = in.read(chunk, 0, Math.min(chunk.length, readBeforeStall - received));
                    assertTrue(n > 0, "the stream ended early");
                    received += n;
                    Thread.sleep(10);
                }
                assertEquals(0, idleWhileReading.get(), "no WRITER_IDLE while the write's bytes kept leaving");
                stalled.set(1);
                assertTrue(idleAfterStall.get(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                        "WRITER_IDLE once the peer stopped, with the write still unfinished");
                long[] counts = countsAtStall.join();
                assertTrue(counts[0] > 0 && counts[1] >= readBeforeStall, "part sent, part pending: " + counts[0] + ", " + counts[1]);
                assertEquals(total, counts[0] + counts[1], "the one write's bytes are either sent or pending");
                while (received < total) {
                    int n = in.read(chunk);
                    assertTrue(n > 0, "the stream ended early");
                    received += n;
                }
                ChannelFuture written = write.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertTrue(written.await(TIMEOUT_SECONDS, TimeUnit.SECONDS) && written.isSuccess());
                assertEquals(total, received);
            } finally {
                server.close().sync();
            }
        }
    }
}
