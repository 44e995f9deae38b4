package io.panamanetty.transport.uring;

import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.buffer.BufferStatistics;
import io.panamanetty.buffer.UnpooledBufferAllocator;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.IoHandlerFactory;
import io.panamanetty.channel.internal.LoopInternals;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Large receives go up the pipeline in the ring's own buffer ({@link ReceiveBuffers}): a
 * handler keeps every read of 2 MiB, far more buffers than the loop's ring of 4 has, most of
 * them the ring's own (each one taken is replaced); the bytes are all there, in order;
 * once the handler lets them go every buffer comes back (and closing the loop returns the lent
 * ones: {@link LeakCheck} counts them). A channel with an allocator of its own gets copies in its allocator instead.
 */
@ExtendWith(LeakCheck.class)
@Timeout(120)
class IoUringReceiveHandOnTest {
    private static final int BYTES = 2 << 20;
    private static final int RING = 4;

    @BeforeAll
    static void ioUringWorksHere() {
        IoUringRequired.check();
    }

    @ParameterizedTest
    @ValueSource(strings = {"default allocator", "own allocator"})
    void largeReceivesAreHandedOnWholeAndTheRingNeverRunsShort(String mode) throws Exception {
        boolean own = mode.equals("own allocator");
        BufferAllocator allocator = own ? new UnpooledBufferAllocator() : BufferAllocator.defaultAllocator();
        IoHandlerFactory smallRing = () -> {
            IoUringIoHandler handler = (IoUringIoHandler) new IoUringIoHandlerFactory().newHandler();
            handler.receiveBufferCount(RING);
            return handler;
        };
        List<Buffer> kept = new ArrayList<>();
        CompletableFuture<Channel> allIn = new CompletableFuture<>();
        try (EventLoopGroup group = new EventLoopGroup(1, "uring-hand-on", smallRing)) {
            Channel server = new ServerBootstrap().group(group).childHandler(() -> new ChannelHandler() {
                long received;

                @Override
                public void channelActive(ChannelHandlerContext ctx) {
                    ctx.channel().config().setAllocator(allocator);
                }

                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    Buffer buffer = (Buffer) msg;
                    kept.add(buffer);
                    buffer.retain();   // kept (the callback's own reference goes as it returns) until the test says so
                    received += buffer.readableBytes();
                    if (received == BYTES) {
                        allIn.complete(ctx.channel());
                    }
                }
            }).bind("127.0.0.1", 0).sync().channel();
            long outstandingBefore = BufferStatistics.outstandingBuffers() - ReceiveBuffers.lentNow();
            byte[] data = new byte[BYTES];
            new Random(18).nextBytes(data);
            try (Socket socket = new Socket("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort())) {
                OutputStream out = socket.getOutputStream();
                for (int at = 0; at < BYTES; at += 64 * 1024) {
                    out.write(data, at, 64 * 1024);
                }
                Channel child = allIn.get(60, TimeUnit.SECONDS);
                ByteArrayOutputStream joined = new ByteArrayOutputStream();
                long[] handedOn = new long[1];
                child.eventLoop().submit(() -> {
                    for (Buffer buffer : kept) {
                        byte[] bytes = new byte[buffer.readableBytes()];
                        buffer.getBytes(buffer.readerIndex(), bytes, 0, bytes.length);
                        joined.writeBytes(bytes);
                    }
                    IoUringIoHandler io = (IoUringIoHandler) LoopInternals.access().ioHandler(child.eventLoop());
                    handedOn[0] = io.receiveBuffers().handedOn();
                    return null;
                }).get(30, TimeUnit.SECONDS);
                assertArrayEquals(data, joined.toByteArray(), mode + ": the bytes, in order");
                if (own) {
                    assertEquals(0, handedOn[0], "an allocator of its own: every receive copied into it");
                } else {
                    assertTrue(kept.size() > RING, "more reads kept (" + kept.size() + ") than the ring has buffers");
                    assertTrue(handedOn[0] > RING, "ring buffers handed on: " + handedOn[0] + " of " + kept.size());
                }
                child.eventLoop().submit(() -> kept.forEach(Buffer::release)).get(30, TimeUnit.SECONDS);
                assertEquals(outstandingBefore, BufferStatistics.outstandingBuffers() - ReceiveBuffers.lentNow(),
                        mode + ": every buffer the handler had came back");
            }
            server.close().sync();
        }
    }
}
