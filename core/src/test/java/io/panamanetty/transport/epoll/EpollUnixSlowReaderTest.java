package io.panamanetty.transport.epoll;

import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFutureListener;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelInputShutdownEvent;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.StreamChannel;
import io.panamanetty.handler.EchoHandler;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scenario suite's slow-reader cases over a Unix socket (the suite's {@code SlowReaderScenario}
 * is TCP, with TLS): a socket that holds a few hundred KiB, a peer that reads a little at a time,
 * and 4 MiB, so most of the echo waits in the server's queue when the end comes. JDK Unix channels
 * have no read timeout: a watchdog closes the peer if the test outlives its bound.
 */
@ExtendWith(LeakCheck.class)
class EpollUnixSlowReaderTest {
    private static final int PAYLOAD = 4 << 20;
    private static final Duration BOUND = Duration.ofSeconds(60);

    /** Echoes; on the peer's FIN (half-closure allowed) shuts its output down after the echo. */
    private static final class EchoThenShutdown extends EchoHandler {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ChannelInputShutdownEvent) {
                ((StreamChannel) ctx.channel()).shutdownOutput();
            }
            ctx.fireUserEventTriggered(event);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void thePeersFinAfterALargeSendComesAfterEveryEchoedByte(boolean halfClosure, @TempDir Path dir) throws Exception {
        byte[] payload = payload(41);
        try (EventLoopGroup group = new EventLoopGroup(1, "unix-slow-fin")) {
            Channel server = new ServerBootstrap().group(group)
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, halfClosure)
                    .childHandler(halfClosure ? EchoThenShutdown::new : EchoHandler::new)
                    .bind(dir.resolve("echo.sock")).sync().channel();
            try (SocketChannel peer = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                peer.connect(UnixDomainSocketAddress.of(dir.resolve("echo.sock")));
                AtomicReference<Throwable> writerFailure = new AtomicReference<>();
                Thread writer = Thread.ofPlatform().start(() -> {
                    try {
                        ByteBuffer out = ByteBuffer.wrap(payload);
                        while (out.hasRemaining()) {
                            peer.write(out);
                        }
                        peer.shutdownOutput();
                    } catch (Throwable t) {
                        writerFailure.set(t);
                    }
                });
                byte[] echoed = readSlowly(peer);
                assertTrue(writer.join(BOUND), "the writer did not finish");
                assertNull(writerFailure.get());
                assertArrayEquals(payload, echoed, "the echo before the end");
            }
            server.close().sync();
        }
    }

    @Test
    void aCloseFromTheLastWritesListenerComesAfterEveryByte(@TempDir Path dir) throws Exception {
        byte[] payload = payload(43);
        try (EventLoopGroup group = new EventLoopGroup(1, "unix-slow-close")) {
            Channel server = new ServerBootstrap().group(group)
                    .childHandler(() -> new ChannelHandlerAdapter() {
                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            int piece = 64 * 1024;
                            for (int offset = 0; offset < payload.length; offset += piece) {
                                var buffer = ctx.alloc().allocate(piece);
                                buffer.writeBytes(payload, offset, piece);
                                if (offset + piece < payload.length) {
                                    ctx.write(buffer);
                                } else {
                                    ctx.writeAndFlush(buffer).addListener(ChannelFutureListener.CLOSE);
                                }
                            }
                        }
                    })
                    .bind(dir.resolve("close.sock")).sync().channel();
            try (SocketChannel peer = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                peer.connect(UnixDomainSocketAddress.of(dir.resolve("close.sock")));
                assertArrayEquals(payload, readSlowly(peer), "the bytes before the end");
            }
            server.close().sync();
        }
    }

    private static byte[] payload(int seed) {
        byte[] payload = new byte[PAYLOAD];
        new Random(seed).nextBytes(payload);
        return payload;
    }

    /** Reads to the end, 4 KiB at a time with a pause every 64 KiB; closes the peer if that outlasts {@link #BOUND}. */
    private static byte[] readSlowly(SocketChannel peer) throws Exception {
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(BOUND);
                peer.close();
            } catch (Exception interrupted) {
                // the read finished first
            }
        });
        try {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(4096);
            int sincePause = 0;
            while (received.size() <= PAYLOAD && peer.read(in.clear()) >= 0) {
                received.write(in.array(), 0, in.position());
                sincePause += in.position();
                if (sincePause >= 64 * 1024) {
                    sincePause = 0;
                    Thread.sleep(1);
                }
            }
            return received.toByteArray();
        } finally {
            watchdog.interrupt();
        }
    }
}
