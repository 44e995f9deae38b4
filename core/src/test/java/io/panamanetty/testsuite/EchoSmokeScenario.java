package io.panamanetty.testsuite;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The smallest echo round trips: a server with the default (echo) handler answering a plain
 * Java socket, and a bootstrap client talking to it through its own handlers.
 */
@ExtendWith(LeakCheck.class)
public abstract class EchoSmokeScenario extends TransportScenario {

    @Test
    public void defaultServerEchoesToAPlainJavaSocket() throws Exception {
        try (EventLoopGroup group = transport().newGroup(2, "echo-smoke")) {
            Channel server = transport().serverBootstrap().group(group).bind(transport().serverAddress())
                    .sync().channel();
            byte[] payload = new byte[300_000];
            new java.util.Random(1).nextBytes(payload);
            try (StreamPeer socket = StreamPeer.connect(server.localAddress())) {
                OutputStream out = socket.out();
                Thread writer = Thread.ofPlatform().start(() -> {
                    try {
                        out.write(payload);
                        socket.shutdownOutput();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                InputStream in = socket.in();
                ByteArrayOutputStream echoed = new ByteArrayOutputStream();
                in.transferTo(echoed);
                writer.join();
                assertArrayEquals(payload, echoed.toByteArray());
            }
            server.close().sync();
        }
    }

    @Test
    public void clientTalksToServerThroughHandlers() throws Exception {
        try (EventLoopGroup group = transport().newGroup(2, "echo-client")) {
            Channel server = transport().serverBootstrap().group(group).bind(transport().serverAddress())
                    .sync().channel();
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            Channel client = transport().connectByName(transport().bootstrap().group(group)
                    .handler(() -> new ChannelHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object message) {
                            received.add(((Buffer) message).toString(StandardCharsets.UTF_8));
                        }
                    }), server).sync().channel();
            client.write("hello".getBytes(StandardCharsets.UTF_8));
            String reply = received.poll(30, TimeUnit.SECONDS);
            assertNotNull(reply);
            assertEquals("hello", reply);
            client.close().sync();
            server.close().sync();
        }
    }
}
