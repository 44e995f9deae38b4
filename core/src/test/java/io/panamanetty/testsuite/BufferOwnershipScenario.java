package io.panamanetty.testsuite;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferStatistics;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.JulCapture;
import io.panamanetty.testing.LeakCheck;
import io.panamanetty.handler.EchoHandler;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cases of the buffer ownership rule (see {@link Buffer}), each on real sockets:
 * every buffer comes back ({@link BufferStatistics#outstandingBuffers()} returns to
 * where it started while the connection is still open), and nothing is released twice
 * (no {@code IllegalReferenceCountException} anywhere, logged or caught).
 */
@ExtendWith(LeakCheck.class)
public abstract class BufferOwnershipScenario extends TransportScenario {
    private static final long TIMEOUT_SECONDS = 30;
    private static final int ROUNDS = 20;

    /** What the handler does with the buffer it receives. */
    enum Case {
        /** Only reads it: the framework releases it. */
        READ_ONLY,
        /** Writes it back: the write path releases it. */
        ECHO,
        /** Writes a buffer of its own from {@code ctx.alloc()}; the received one is released by the framework. */
        WRITE_ALLOCATED,
        /** Retains it, writes it, keeps the extra reference and releases it later. */
        RETAIN_THEN_WRITE,
        /** Writes it twice, retaining it before the second write. */
        WRITE_TWICE_WITH_RETAIN,
        /** Writes it twice, the first time as a retained duplicate. */
        WRITE_TWICE_WITH_RETAINED_DUPLICATE,
        /** Copies the bytes, releases it itself, writes the copy. */
        RELEASE_ITSELF,
        /** Passes it to a channel of another event loop ({@code write} and {@code writeAndFlush}). */
        FORWARD_TO_ANOTHER_LOOP,
        /** Fires it on to the next handler, which writes it back. */
        FIRE_TO_NEXT_HANDLER,
        /** Writes a retained slice of it (a reference of its own); the received buffer is left to the framework. */
        WRITE_RETAINED_SLICE;

        /** What the peer gets back for {@code message}. */
        byte[] reply(byte[] message) {
            return switch (this) {
                case READ_ONLY -> new byte[0];
                case WRITE_ALLOCATED -> new String(message, StandardCharsets.US_ASCII)
                        .toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
                case WRITE_TWICE_WITH_RETAIN, WRITE_TWICE_WITH_RETAINED_DUPLICATE -> {
                    byte[] twice = new byte[message.length * 2];
                    System.arraycopy(message, 0, twice, 0, message.length);
                    System.arraycopy(message, 0, twice, message.length, message.length);
                    yield twice;
                }
                default -> message;
            };
        }
    }

    static final class CaseHandler extends ChannelHandlerAdapter {
        final Case kind;
        final List<Buffer> kept = new ArrayList<>();   // event-loop confined
        final AtomicLong bytesSeen = new AtomicLong();
        final AtomicLong checksum = new AtomicLong();
        final List<Throwable> exceptions = Collections.synchronizedList(new ArrayList<>());
        final CompletableFuture<Channel> active = new CompletableFuture<>();
        volatile Channel sink;
        private int forwarded;

        CaseHandler(Case kind) {
            this.kind = kind;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            active.complete(ctx.channel());
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            Buffer in = (Buffer) message;
            bytesSeen.addAndGet(in.readableBytes());
            switch (kind) {
                case READ_ONLY -> {
                    long sum = 0;
                    for (int i = in.readerIndex(); i < in.writerIndex(); i++) {
                        sum += in.getByte(i);
                    }
                    checksum.addAndGet(sum);
                }
                case ECHO -> ctx.writeAndFlush(in);
                case WRITE_ALLOCATED -> {
                    Buffer out = ctx.alloc().allocate(in.readableBytes());
                    for (int i = in.readerIndex(); i < in.writerIndex(); i++) {
                        out.writeByte(Character.toUpperCase((char) in.getByte(i)));
                    }
                    ctx.writeAndFlush(out);
                }
                case RETAIN_THEN_WRITE -> {
                    in.retain();
                    ctx.writeAndFlush(in);
                    kept.add(in);
                }
                case WRITE_TWICE_WITH_RETAIN -> {
                    in.retain();
                    ctx.write(in);
                    ctx.writeAndFlush(in);
                }
                case WRITE_TWICE_WITH_RETAINED_DUPLICATE -> {
                    ctx.write(in.retainedDuplicate());
                    ctx.writeAndFlush(in);
                }
                case RELEASE_ITSELF -> {
                    byte[] copy = new byte[in.readableBytes()];
                    in.readBytes(copy);
                    in.release();
                    ctx.writeAndFlush(copy);
                }
                case FORWARD_TO_ANOTHER_LOOP -> {
                    if (forwarded++ % 2 == 0) {
                        sink.writeAndFlush(in);
                    } else {
                        sink.write(in);   // sent at the end of the sink loop's turn
                    }
                }
                case FIRE_TO_NEXT_HANDLER -> ctx.fireChannelRead(in);
                case WRITE_RETAINED_SLICE -> ctx.writeAndFlush(in.retainedSlice(in.readerIndex(), in.readableBytes()));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            exceptions.add(cause);
        }
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    public void everyBufferComesBackExactlyOnce(Case kind) throws Exception {
        CaseHandler handler = new CaseHandler(kind);
        CompletableFuture<Channel> sinkChannel = new CompletableFuture<>();
        AtomicInteger accepted = new AtomicInteger();
        List<Throwable> otherExceptions = Collections.synchronizedList(new ArrayList<>());
        try (JulCapture log = new JulCapture();
             EventLoopGroup group = transport().newGroup(2, "ownership")) {
            Channel server = transport().serverBootstrap().group(group).childInitializer(ch -> {
                boolean sinkConnection = kind == Case.FORWARD_TO_ANOTHER_LOOP && accepted.getAndIncrement() == 0;
                if (sinkConnection) {
                    ch.pipeline().addLast("sink", new ChannelHandlerAdapter() {
                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            sinkChannel.complete(ctx.channel());
                        }

                        @Override
                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                            otherExceptions.add(cause);
                        }
                    });
                    return;
                }
                ch.pipeline().addLast("case", handler);
                if (kind == Case.FIRE_TO_NEXT_HANDLER) {
                    ch.pipeline().addLast("echo", new EchoHandler() {
                        @Override
                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                            otherExceptions.add(cause);
                        }
                    });
                }
            }).bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            long baseline = handlersBuffers();

            // The sink connects (and is set up) first, so that the second connection gets the case handler.
            Socket sink = kind == Case.FORWARD_TO_ANOTHER_LOOP ? connect(port) : null;
            try (Socket client = connectAfter(sink == null ? null : sinkChannel, port)) {
                if (sink != null) {
                    handler.sink = sinkChannel.getNow(null);
                }
                Channel channel = handler.active.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (handler.sink != null) {
                    assertNotSame(handler.sink.eventLoop(), channel.eventLoop(), "the sink is on another loop");
                }
                Socket replies = sink != null ? sink : client;
                OutputStream out = client.getOutputStream();
                long sent = 0;
                for (int i = 0; i < ROUNDS; i++) {
                    byte[] message = ("message " + i + "\n").getBytes(StandardCharsets.US_ASCII);
                    out.write(message);
                    out.flush();
                    sent += message.length;
                    byte[] expected = kind.reply(message);
                    if (expected.length > 0) {   // lockstep: one message per read on the server
                        byte[] reply;
                        try {
                            reply = replies.getInputStream().readNBytes(expected.length);
                        } catch (java.net.SocketTimeoutException e) {
                            throw new AssertionError("no reply to message " + i + "; handler saw "
                                    + handler.bytesSeen.get() + " bytes, exceptions " + handler.exceptions
                                    + otherExceptions, e);
                        }
                        assertArrayEquals(expected, reply, "reply to message " + i);
                    }
                }
                long total = sent;
                awaitTrue(() -> handler.bytesSeen.get() == total, "the handler saw every byte");

                if (kind == Case.RETAIN_THEN_WRITE) {
                    CompletableFuture<List<Integer>> refCnts = new CompletableFuture<>();
                    channel.eventLoop().execute(() ->
                            refCnts.complete(handler.kept.stream().map(Buffer::refCnt).toList()));
                    assertEquals(Collections.nCopies(ROUNDS, 1), refCnts.get(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                            "the handler's extra references are alive after the writes");
                    assertTrue(handlersBuffers() - baseline >= ROUNDS);
                    CompletableFuture<Void> released = new CompletableFuture<>();
                    channel.eventLoop().execute(() -> {
                        handler.kept.forEach(Buffer::release);
                        handler.kept.clear();
                        released.complete(null);
                    });
                    released.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                }

                awaitTrue(() -> handlersBuffers() == baseline,
                        "every buffer released with the connection still open");
                assertEquals(List.of(), handler.exceptions);
                assertEquals(List.of(), otherExceptions);
                String logged = log.text();
                assertFalse(logged.contains("IllegalReferenceCountException"), logged);
            } finally {
                if (sink != null) {
                    sink.close();
                }
            }
            server.close().sync();
        }
    }

    /** Connects once {@code first} (if any) is done. */
    private static Socket connectAfter(CompletableFuture<?> first, int port) throws Exception {
        if (first != null) {
            first.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        return connect(port);
    }

    private static Socket connect(int port) throws Exception {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        return socket;
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(5);
        }
    }

    /** Buffers outstanding, less those the transport's loops lent to the kernel ({@link TestTransport#buffersLentToTheKernel}). */
    private long handlersBuffers() {
        return BufferStatistics.outstandingBuffers() - transport().buffersLentToTheKernel();
    }
}
