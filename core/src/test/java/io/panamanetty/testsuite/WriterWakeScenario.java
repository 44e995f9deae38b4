package io.panamanetty.testsuite;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import io.panamanetty.tls.TlsContext;
import io.panamanetty.tls.TlsContexts;
import io.panamanetty.tls.TlsTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.panamanetty.tls.TlsTestSupport.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Netty's writer habit: write while {@code isWritable()}, flush, and go on when
 * {@code channelWritabilityChanged} says it is writable again. Under TLS the writes are held
 * until the flush, so the channel turns unwritable while the writer writes and, with a send
 * buffer that takes the whole batch, writable again inside the flush, before the put-off
 * event for the first change runs. The writer read {@code false}: it must still be woken.
 */
@ExtendWith(LeakCheck.class)
public abstract class WriterWakeScenario extends TransportScenario {
    private static final int MESSAGE = 8 * 1024;
    private static final int HIGH_WATER_MARK = 64 * 1024;
    private static final long TOTAL = 8L * 1024 * 1024;

    @TempDir
    static Path dir;
    static TlsTestSupport.Certificate cert;

    @BeforeAll
    static void certificates() throws Exception {
        cert = TlsTestSupport.selfSigned(dir, "writer-wake");
    }

    /** The byte at {@code offset} of the stream the writer sends. */
    static byte streamByte(long offset) {
        return (byte) (offset ^ offset >>> 9 ^ offset >>> 17);
    }

    /** Writes {@link #TOTAL} bytes in messages of {@link #MESSAGE}, only while the channel is writable. */
    static final class WriteWhileWritable extends WhenReady {
        final CompletableFuture<Long> done = new CompletableFuture<>();
        final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
        long sent;
        int batches;

        WriteWhileWritable(boolean tls) {
            super(tls);
        }

        @Override
        void ready(ChannelHandlerContext ctx) {
            writeMore(ctx);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            writeMore(ctx);
            ctx.fireChannelWritabilityChanged();
        }

        private void writeMore(ChannelHandlerContext ctx) {
            if (sent == TOTAL) {
                return;
            }
            batches++;
            while (sent < TOTAL && ctx.channel().isWritable()) {
                Buffer message = ctx.alloc().allocate(MESSAGE);
                for (int i = 0; i < MESSAGE; i++) {
                    message.writeByte(streamByte(sent + i));
                }
                sent += MESSAGE;
                ctx.write(message, ctx.voidPromise());
            }
            ctx.flush();
            if (sent == TOTAL) {
                done.complete(sent);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
        }
    }

    /** Counts and checks what arrives. */
    static final class CheckingReader implements ChannelHandler {
        final CompletableFuture<Long> all = new CompletableFuture<>();
        final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
        long received;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            Buffer buffer = (Buffer) message;
            try {
                while (buffer.readableBytes() > 0) {
                    byte b = buffer.readByte();
                    if (b != streamByte(received)) {
                        all.completeExceptionally(new AssertionError("byte " + received + " differs"));
                        ctx.close();
                        return;
                    }
                    received++;
                }
            } finally {
                buffer.release();
            }
            if (received == TOTAL) {
                all.complete(received);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"clear", "tls"})
    public void aWriterThatStopsOnUnwritableIsAlwaysWokenAgain(String mode) throws Exception {
        boolean tls = mode.equals("tls");
        TlsContext serverTls = tls ? TlsContexts.server(cert.cert(), cert.key()).build() : null;
        TlsContext clientTls = tls ? TlsContexts.client().trust(cert.cert()).build() : null;
        WriteWhileWritable writer = new WriteWhileWritable(tls);
        CheckingReader reader = new CheckingReader();
        try (EventLoopGroup group = transport().newGroup(2, "writer-wake")) {
            Channel listener = transport().serverBootstrap().group(group)
                    .childOption(ChannelOption.WRITE_BUFFER_HIGH_WATER_MARK, HIGH_WATER_MARK)
                    .childOption(ChannelOption.WRITE_BUFFER_LOW_WATER_MARK, HIGH_WATER_MARK / 2)
                    .childOption(ChannelOption.SO_SNDBUF, 4 * 1024 * 1024)   // a batch always fits
                    .childInitializer(ch -> {
                        if (serverTls != null) {
                            ch.pipeline().addLast("tls", serverTls.newHandler());
                        }
                        ch.pipeline().addLast("writer", writer);
                    }).bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            Channel client = transport().bootstrap().group(group).initializer(ch -> {
                if (clientTls != null) {
                    ch.pipeline().addLast("tls", clientTls.newHandler("localhost", port));
                }
                ch.pipeline().addLast("reader", reader);
            }).connect("127.0.0.1", port).sync().channel();

            assertEquals(TOTAL, writer.done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                    mode + ": the writer was never woken after it stopped");
            assertEquals(TOTAL, reader.all.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), mode + ": bytes read");
            assertTrue(writer.batches > 1, mode + ": the writer never had to stop");
            client.close().sync();
            listener.close().sync();
            assertTrue(writer.errors.isEmpty(), () -> mode + ": " + writer.errors);
            assertTrue(reader.errors.isEmpty(), () -> mode + ": " + reader.errors);
        }
    }
}
