package io.panamanetty.codec;

import io.panamanetty.testing.LeakCheck;

import java.net.InetSocketAddress;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.bootstrap.ServerBootstrap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The line limit over real sockets: an oversized line costs its sender the connection, nobody else. */
@ExtendWith(LeakCheck.class)
class LineLimitOverSocketTest {
    private static final int TIMEOUT_MILLIS = 10_000;

    /** Echoes each line back; closes its connection on any exception. */
    private static final class LineEcho implements ChannelHandler {
        private final BlockingQueue<Throwable> errors;

        LineEcho(BlockingQueue<Throwable> errors) {
            this.errors = errors;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            ctx.write((Buffer) message);
            ctx.writeAndFlush("\n");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
            ctx.close();
        }
    }

    @Test
    void aClientSendingAnOversizedLineIsDisconnectedWhileAnotherKeepsWorking() throws Exception {
        BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
        try (EventLoopGroup group = new EventLoopGroup(2, "codec-lines")) {
            Channel server = new ServerBootstrap().group(group)
                    .childInitializer(ch -> ch.pipeline()
                            .addLast("lines", new LineFrameDecoder(64))
                            .addLast("echo", new LineEcho(errors)))
                    .bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            try (Socket good = new Socket("127.0.0.1", port); Socket bad = new Socket("127.0.0.1", port)) {
                good.setSoTimeout(TIMEOUT_MILLIS);
                bad.setSoTimeout(TIMEOUT_MILLIS);
                BufferedReader goodIn = new BufferedReader(new InputStreamReader(good.getInputStream(),
                        StandardCharsets.US_ASCII));
                OutputStream goodOut = good.getOutputStream();

                goodOut.write("hello\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("hello", goodIn.readLine());

                bad.getOutputStream().write(("y".repeat(1000) + "\n").getBytes(StandardCharsets.US_ASCII));
                assertDisconnected(bad.getInputStream());
                Throwable cause = errors.poll(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                TooLongFrameException tooLong = assertInstanceOf(TooLongFrameException.class, cause);
                assertEquals(64, tooLong.maxLength());
                assertTrue(tooLong.getMessage().contains("64"), tooLong.getMessage());

                goodOut.write(("z".repeat(64) + "\n").getBytes(StandardCharsets.US_ASCII));
                assertEquals("z".repeat(64), goodIn.readLine());
                goodOut.write("still here\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("still here", goodIn.readLine());
                assertTrue(errors.isEmpty(), "unexpected errors: " + errors);
            }
            server.close().sync();
        }
    }

    /** Reads until the peer closes: end of stream, or a reset (the server closed with bytes unread). */
    private static void assertDisconnected(InputStream in) throws IOException {
        byte[] sink = new byte[4096];
        try {
            while (in.read(sink) >= 0) {
                // the server echoes nothing for the bad line; drain anyway
            }
        } catch (SocketException reset) {
            assertTrue(String.valueOf(reset.getMessage()).toLowerCase().contains("reset"), reset.toString());
        }
    }
}
