package io.panamanetty.testsuite;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The end of input without half-closure closes the channel only once what it owes the peer
 * has left: here the echo server's socket and the peer's receive buffer are small, the peer
 * reads only after it has sent everything and its FIN, so when the server reads the end of
 * input much of the echo still waits in its outbound queue (a close then dropped it).
 */
@ExtendWith(LeakCheck.class)
public abstract class EndOfInputScenario extends TransportScenario {

    @Test
    public void theEchoOwedWhenTheInputEndsLeavesBeforeTheClose() throws Exception {
        byte[] payload = new byte[200 * 1024];
        new Random(11).nextBytes(payload);
        try (EventLoopGroup group = transport().newGroup(1, "end-of-input")) {
            Channel server = transport().serverBootstrap().group(group)
                    .childOption(ChannelOption.SO_SNDBUF, 4096).bind("127.0.0.1", 0).sync().channel();
            try (SocketChannel peer = SocketChannel.open()) {
                peer.setOption(StandardSocketOptions.SO_RCVBUF, 4096);   // before connecting: a small window
                peer.connect((InetSocketAddress) server.localAddress());
                Thread writer = Thread.ofPlatform().start(() -> {
                    try {
                        ByteBuffer out = ByteBuffer.wrap(payload);
                        while (out.hasRemaining()) {
                            peer.write(out);
                        }
                        peer.shutdownOutput();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                Thread.sleep(300);   // the echo backs up meanwhile; nothing is read here yet
                ByteArrayOutputStream echoed = new ByteArrayOutputStream();
                ByteBuffer in = ByteBuffer.allocate(64 * 1024);
                while (peer.read(in.clear()) >= 0) {
                    echoed.write(in.array(), 0, in.position());
                }
                writer.join();
                assertArrayEquals(payload, echoed.toByteArray());
            }
            server.close().sync();
        }
    }
}
