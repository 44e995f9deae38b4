package io.panamanetty.testsuite;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelInitializer;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.StreamChannel;
import io.panamanetty.codec.LineFrameDecoder;
import io.panamanetty.codec.StringDecoder;
import io.panamanetty.codec.StringEncoder;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server written the way a Netty user writes one: a typed {@link ChannelInitializer}
 * instance given to {@code childHandler}, {@code addLast(h1, h2, h3)}, a
 * {@link StringDecoder} and {@link StringEncoder} without a charset (UTF-8).
 */
@ExtendWith(LeakCheck.class)
public abstract class NettyHabitsScenario extends TransportScenario {

    @Test
    public void typedInitializerAndVarargsAddLastServeUtf8Lines() throws Exception {
        List<String> kinds = new CopyOnWriteArrayList<>();
        List<String> received = new CopyOnWriteArrayList<>();
        try (EventLoopGroup group = transport().newGroup(2, "habits")) {
            Channel server = transport().serverBootstrap().group(group)
                    .childHandler(new ChannelInitializer<StreamChannel>() {
                        @Override
                        protected void initChannel(StreamChannel ch) {
                            kinds.add(ch.getClass().getSimpleName());
                            ch.pipeline().addLast(new LineFrameDecoder(1024), new StringDecoder(), new StringEncoder(),
                                    new ChannelHandlerAdapter() {
                                        @Override
                                        public void channelRead(ChannelHandlerContext ctx, Object message) {
                                            String line = assertInstanceOf(String.class, message);
                                            received.add(line);
                                            ctx.writeAndFlush(line.toUpperCase() + "\n");
                                        }
                                    });
                        }
                    })
                    .bind(transport().serverAddress()).sync().channel();
            for (int client = 0; client < 2; client++) {   // one initializer instance serves both
                try (StreamPeer socket = StreamPeer.connect(server.localAddress())) {
                    OutputStream out = socket.out();
                    out.write("grüße\nnaïve\n".getBytes(StandardCharsets.UTF_8));
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.in(),
                            StandardCharsets.UTF_8));
                    assertEquals("GRÜSSE", in.readLine());
                    assertEquals("NAÏVE", in.readLine());
                }
            }
            assertEquals(List.of("grüße", "naïve", "grüße", "naïve"), received);
            assertEquals(2, kinds.size());
            server.close().sync();
        }
    }

    @Test
    public void aHandlerThatIsNotSharableIsRefusedAsAChildHandlerInstance() {
        ChannelHandler unsharable = new ChannelHandlerAdapter() {
        };
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> transport().serverBootstrap().childHandler(unsharable));
        assertTrue(refused.getMessage().contains("childHandler(() -> new"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> transport().bootstrap().handler(unsharable));
    }
}
