package io.panamanetty.testsuite;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.CompositeBuffer;
import io.panamanetty.buffer.WrappedBuffers;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelInputShutdownEvent;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.StreamChannel;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.DataInputStream;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link CompositeBuffer} written to a real socket: every component arrives, in order,
 * whatever memory it lies in (pooled, wrapped native, wrapped heap); the write's promise
 * completes only once the last byte has left (here the components exceed what the kernel
 * buffers hold, so the writes are partial), and every component is released then.
 */
@ExtendWith(LeakCheck.class)
public abstract class CompositeWriteScenario extends TransportScenario {
    private static final int PART = 4 << 20;

    @Test
    public void aCompositeLargerThanTheSocketBuffersArrivesWholeAndIsReleasedAsOne() throws Exception {
        Random random = new Random(15);
        byte[][] parts = new byte[5][];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = new byte[i == 0 ? 7 : PART + i];
            random.nextBytes(parts[i]);
        }
        CountDownLatch lentReturned = new CountDownLatch(1);
        CompletableFuture<ChannelFuture> written = new CompletableFuture<>();
        try (EventLoopGroup group = transport().newGroup(1, "composite-write");
             Arena arena = Arena.ofShared()) {
            MemorySegment lent = arena.allocate(parts[3].length);
            MemorySegment.copy(MemorySegment.ofArray(parts[3]), 0, lent, 0, parts[3].length);
            Channel server = transport().serverBootstrap().group(group)
                    .childHandler(() -> new ChannelHandlerAdapter() {
                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            CompositeBuffer composite = ctx.alloc().compositeBuffer()
                                    .addComponent(ctx.alloc().copyOf(parts[0]))
                                    .addComponent(ctx.alloc().copyOf(parts[1]))
                                    .addComponent(WrappedBuffers.wrap(parts[2]))
                                    .addComponent(WrappedBuffers.wrap(lent, lentReturned::countDown))
                                    .addComponent(ctx.alloc().copyOf(parts[4]));
                            written.complete(ctx.writeAndFlush(composite));
                        }
                    })
                    .bind("127.0.0.1", 0).sync().channel();
            try (Socket socket = new Socket()) {
                socket.setReceiveBufferSize(64 * 1024);
                socket.setSoTimeout(60_000);
                socket.connect(new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort()));
                ChannelFuture promise = written.get(30, TimeUnit.SECONDS);
                assertFalse(promise.isDone(), "16 MiB cannot all be in the kernel before the peer reads: " + promise);
                InputStream in = socket.getInputStream();
                DataInputStream data = new DataInputStream(in);
                for (int i = 0; i < parts.length; i++) {
                    byte[] got = new byte[parts[i].length];
                    data.readFully(got);
                    if (!Arrays.equals(parts[i], got)) {
                        throw new AssertionError("component " + i + " arrived altered");
                    }
                }
                promise.await(30, TimeUnit.SECONDS);
                assertTrue(promise.isSuccess(), "the write completes once every component has left: " + promise.cause());
                assertTrue(lentReturned.await(30, TimeUnit.SECONDS), "the lent memory is handed back after the write");
                socket.shutdownOutput();
                assertEquals(-1, in.read(new byte[1]), "nothing after the composite");
            }
            server.close().sync();
        }
    }

    /**
     * Echoes each read as a composite of the received buffer's first half and a copy of its
     * second half; at the end of input, sends FIN once everything queued has left.
     */
    private static final class SplittingEcho extends ChannelHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ChannelInputShutdownEvent) {
                ((StreamChannel) ctx.channel()).shutdownOutput();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            Buffer in = (Buffer) message;
            int start = in.readerIndex();
            int middle = start + in.readableBytes() / 2;
            Buffer tail = ctx.alloc().allocate(in.writerIndex() - middle).writeBytes(in.readerIndex(middle));
            in.readerIndex(start).writerIndex(middle);
            ctx.write(ctx.alloc().compositeBuffer().addComponent(in.retain()).addComponent(tail));
        }
    }

    @Test
    public void anEchoOfCompositesHoldingTheReceivedBufferReturnsEveryByteAndLeaksNothing() throws Exception {
        byte[] payload = new byte[1 << 20];
        new Random(16).nextBytes(payload);
        try (EventLoopGroup group = transport().newGroup(1, "composite-echo")) {
            Channel server = transport().serverBootstrap().group(group)
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true).childHandler(SplittingEcho::new)
                    .bind("127.0.0.1", 0).sync().channel();
            try (Socket socket = new Socket("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort())) {
                socket.setSoTimeout(60_000);
                Thread writer = Thread.ofPlatform().start(() -> {
                    try {
                        socket.getOutputStream().write(payload);
                        socket.shutdownOutput();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                byte[] echoed = socket.getInputStream().readAllBytes();
                writer.join(60_000);
                assertEquals(payload.length, echoed.length);
                assertTrue(Arrays.equals(payload, echoed), "the echo differs from what was sent");
            }
            server.close().sync();
        }
    }
}
