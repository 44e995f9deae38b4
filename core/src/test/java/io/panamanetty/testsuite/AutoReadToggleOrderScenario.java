package io.panamanetty.testsuite;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.handler.EchoHandler;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The echo turning auto-read off and on many times a second (tiny water marks, a small send
 * buffer) while a peer writes and reads a few megabytes: every byte comes back in order. On
 * io_uring this covers data that arrives after reads come back on but before the data kept
 * while they were off has been delivered (the cancelled multishot receive may still deliver):
 * it must wait behind the kept data, not pass it.
 */
@ExtendWith(LeakCheck.class)
public abstract class AutoReadToggleOrderScenario extends TransportScenario {
    private static final int CONNECTIONS = 12;
    private static final int PAYLOAD = 2 << 20;

    @Test
    public void everyByteComesBackInOrderWhileAutoReadFlips() throws Exception {
        try (EventLoopGroup group = transport().newGroup(1, "autoread-order")) {
            Channel server = transport().serverBootstrap().group(group)
                    .option(ChannelOption.SO_RCVBUF, 8 * 1024)
                    .childOption(ChannelOption.SO_SNDBUF, 4 * 1024)
                    .childOption(ChannelOption.WRITE_BUFFER_LOW_WATER_MARK, 1024)
                    .childOption(ChannelOption.WRITE_BUFFER_HIGH_WATER_MARK, 4 * 1024)
                    .childInitializer(ch -> ch.pipeline().addLast("echo", new EchoHandler()))
                    .bind("127.0.0.1", 0).sync().channel();
            for (int c = 0; c < CONNECTIONS; c++) {
                byte[] payload = new byte[PAYLOAD];
                new Random(7 + c).nextBytes(payload);
                ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
                try (StreamPeer peer = StreamPeer.connect(server.localAddress())) {
                    Thread writer = Thread.ofPlatform().start(() -> {
                        try {
                            for (int at = 0; at < PAYLOAD; at += 16 * 1024) {   // in pieces: many receives
                                peer.out().write(payload, at, Math.min(16 * 1024, PAYLOAD - at));
                            }
                        } catch (Exception e) {
                            failures.add(e);
                        }
                    });
                    byte[] echoed = peer.in().readNBytes(PAYLOAD);
                    assertTrue(writer.join(java.time.Duration.ofSeconds(60)), "the writer did not finish");
                    assertTrue(failures.isEmpty(), () -> "the writer failed: " + failures);
                    assertArrayEquals(payload, echoed, "connection " + c + ": the echo");
                }
            }
            server.close().sync();
        }
    }
}
