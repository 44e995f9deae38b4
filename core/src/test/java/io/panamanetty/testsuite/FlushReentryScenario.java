package io.panamanetty.testsuite;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelFutureListener;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A write future's listener that writes and flushes while a flush is accounting for sent bytes. */
@ExtendWith(LeakCheck.class)
public abstract class FlushReentryScenario extends TransportScenario {

    @Test
    public void aListenerFlushingInsideAFlushNeitherRepeatsNorSkipsBytes() throws Exception {
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 40; i++) {   // more writes than the queue's initial 16 slots
            expected.append((char) ('a' + i % 26));
        }
        expected.append("Z");
        try (EventLoopGroup group = transport().newGroup(1, "flush-reentry")) {
            Channel server = transport().serverBootstrap().group(group).childHandler(() -> new ChannelHandlerAdapter() {
                @Override
                public void channelActive(ChannelHandlerContext ctx) {
                    for (int i = 0; i < 40; i++) {
                        ChannelFuture written = ctx.write(String.valueOf((char) ('a' + i % 26)));
                        if (i == 0) {
                            // completes during the flush's accounting, before the other 39 are
                            // accounted for: the nested flush must not resend or skip them
                            written.addListener(f -> ctx.writeAndFlush("Z").addListener(ChannelFutureListener.CLOSE));
                        }
                    }
                    ctx.flush();
                }
            }).bind(transport().serverAddress()).sync().channel();
            try (StreamPeer socket = StreamPeer.connect(server.localAddress())) {
                InputStream in = socket.in();
                assertEquals(expected.toString(), new String(in.readAllBytes(), StandardCharsets.US_ASCII));
            }
            server.close().sync();
        }
    }
}
