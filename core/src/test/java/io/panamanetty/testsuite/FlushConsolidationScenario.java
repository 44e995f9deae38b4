package io.panamanetty.testsuite;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.PendingOutboundBytes;
import io.panamanetty.handler.FlushConsolidationHandler;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FlushConsolidationHandler} in front of a handler that flushes every 16 bytes it
 * echoes: every byte comes back to a real peer, and the flushes that reach the head are about
 * one per read batch instead of one per 16 bytes. A held flush goes out as the channel turns
 * unwritable.
 */
@ExtendWith(LeakCheck.class)
public abstract class FlushConsolidationScenario extends TransportScenario {
    private static final int PAYLOAD = 256 * 1024;
    private static final int SLICE = 16;

    @Test
    public void anEchoFlushingEverySixteenBytesReachesTheHeadOncePerReadBatch() throws Exception {
        AtomicInteger flushesAtHead = new AtomicInteger();
        AtomicInteger flushesAsked = new AtomicInteger();
        AtomicInteger readBatches = new AtomicInteger();
        try (EventLoopGroup loops = transport().newGroup(1, "flush-consolidation")) {
            Channel server = transport().serverBootstrap().group(loops).childHandler(() -> new ChannelHandlerAdapter() {
                @Override
                public void handlerAdded(ChannelHandlerContext ctx) {
                    ctx.pipeline().addFirst(new ChannelHandlerAdapter() {   // nearest the head: counts what gets there
                        @Override
                        public void flush(ChannelHandlerContext ctx) {
                            flushesAtHead.incrementAndGet();
                            ctx.flush();
                        }
                    });
                    ctx.pipeline().addBefore(ctx.name(), null, new FlushConsolidationHandler());
                }

                @Override
                public void channelRead(ChannelHandlerContext ctx, Object message) {
                    Buffer in = (Buffer) message;
                    while (in.isReadable()) {
                        ctx.writeAndFlush(in.readBytes(Math.min(SLICE, in.readableBytes())));
                        flushesAsked.incrementAndGet();
                    }
                }

                @Override
                public void channelReadComplete(ChannelHandlerContext ctx) {
                    readBatches.incrementAndGet();
                    ctx.fireChannelReadComplete();
                }
            }).bind("127.0.0.1", 0).sync().channel();
            try (Socket peer = new Socket()) {
                peer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(30));
                peer.connect(new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort()));
                byte[] payload = new byte[PAYLOAD];
                new Random(3).nextBytes(payload);
                Thread writer = Thread.ofPlatform().name("flush-peer-writer").start(() -> {
                    try {
                        peer.getOutputStream().write(payload);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                InputStream in = peer.getInputStream();
                byte[] echoed = in.readNBytes(PAYLOAD);
                writer.join(TimeUnit.SECONDS.toMillis(30));
                assertArrayEquals(payload, echoed, "every byte came back, in order");
            } finally {
                server.close().sync();
            }
        }
        int asked = flushesAsked.get();
        int atHead = flushesAtHead.get();
        assertTrue(asked >= PAYLOAD / SLICE, "one flush asked per 16 bytes: " + asked);
        assertTrue(atHead >= 1 && atHead <= readBatches.get() + asked / FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES,
                atHead + " flushes reached the head for " + asked + " asked in " + readBatches.get() + " read batches");
    }

    @Test
    public void aHeldFlushGoesOutAsTheChannelTurnsUnwritable() throws Exception {
        CompletableFuture<Boolean> flushedDuringTheEvent = new CompletableFuture<>();
        CompletableFuture<Channel> active = new CompletableFuture<>();
        try (EventLoopGroup loops = transport().newGroup(1, "flush-unwritable")) {
            Channel server = transport().serverBootstrap().group(loops).childHandler(() -> new ChannelHandlerAdapter() {
                private boolean inWritabilityEvent;

                @Override
                public void handlerAdded(ChannelHandlerContext ctx) {
                    // this handler sits nearest the head: it sees flushes last and inbound events first
                    ctx.pipeline().addLast(new FlushConsolidationHandler(256, true));
                }

                @Override
                public void channelActive(ChannelHandlerContext ctx) {
                    active.complete(ctx.channel());
                    ctx.fireChannelActive();
                }

                @Override
                public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                    inWritabilityEvent = true;
                    try {
                        ctx.fireChannelWritabilityChanged();
                    } finally {
                        inWritabilityEvent = false;
                    }
                }

                @Override
                public void flush(ChannelHandlerContext ctx) {
                    flushedDuringTheEvent.complete(inWritabilityEvent);
                    ctx.flush();
                }
            }).bind("127.0.0.1", 0).sync().channel();
            try (Socket peer = new Socket()) {
                peer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(30));
                peer.connect(new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort()));
                Channel child = active.get(30, TimeUnit.SECONDS);
                long held = child.config().writeBufferHighWaterMark() + 1;
                child.eventLoop().execute(() -> {
                    PendingOutboundBytes.increment(child, held);   // unwritable now; its event comes in a later task
                    child.writeAndFlush("held flush");             // the flush is held for a later task too, queued after
                });
                assertTrue(flushedDuringTheEvent.get(30, TimeUnit.SECONDS), "flushed as the channel turned unwritable");
                assertEquals("held flush", new String(peer.getInputStream().readNBytes(10), StandardCharsets.UTF_8));
                child.eventLoop().execute(() -> PendingOutboundBytes.decrement(child, held));
            } finally {
                server.close().sync();
            }
        }
    }
}
