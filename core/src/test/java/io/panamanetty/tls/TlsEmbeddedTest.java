package io.panamanetty.tls;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.embedded.EmbeddedChannel;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.panamanetty.tls.TlsTestSupport.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two handlers talking through embedded channels, the records cut into tiny pieces. */
@ExtendWith(LeakCheck.class)
class TlsEmbeddedTest {
    @TempDir
    Path dir;

    @Test
    void recordsSplitIntoTinyPiecesAreCumulated() throws Exception {
        TlsTestSupport.Certificate cert = TlsTestSupport.selfSigned(dir, "e");
        TlsHandler serverTls = TlsContexts.server(cert.cert(), cert.key()).build().newHandler();
        TlsHandler clientTls = TlsContexts.client().trust(cert.cert()).build().newHandler("localhost", 443);
        EmbeddedChannel server = new EmbeddedChannel(serverTls);
        EmbeddedChannel client = new EmbeddedChannel(clientTls);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (!(serverTls.handshakeFuture().isDone() && clientTls.handshakeFuture().isDone())) {
                boolean moved = transfer(client, server, 3) | transfer(server, client, 5);
                if (!moved) {
                    assertTrue(System.nanoTime() < deadline, "handshake stalled");
                    Thread.sleep(2);
                }
            }
            clientTls.handshakeFuture().get();
            serverTls.handshakeFuture().get();

            byte[] payload = new byte[40_000];
            new Random(3).nextBytes(payload);
            client.writeOutbound(client.alloc().copyOf(payload));
            transfer(client, server, 7);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            Buffer b;
            while ((b = server.readInbound()) != null) {
                received.writeBytes(b.toByteArray());
                b.release();
            }
            assertArrayEquals(payload, received.toByteArray());

            client.close().sync();   // sends close_notify
            transfer(client, server, 11);
            assertFalse(server.isOpen(), "close_notify did not close the server side");
            server.checkException();
            client.checkException();
        } finally {
            client.finish();
            server.finish();
        }
    }

    /** Moves everything {@code from} wrote to {@code to}'s inbound side, {@code piece} bytes at a time. */
    private static boolean transfer(EmbeddedChannel from, EmbeddedChannel to, int piece) {
        from.runPendingTasks();   // the handshake's delegated tasks ran on other threads and queued their results
        boolean moved = false;
        Buffer out;
        while ((out = from.readOutbound()) != null) {
            try {
                while (out.isReadable()) {
                    int n = Math.min(piece, out.readableBytes());
                    if (to.isOpen()) {
                        to.writeInbound(out.readBytes(n));
                    } else {
                        out.skipBytes(n);
                    }
                    moved = true;
                }
            } finally {
                out.release();
            }
        }
        return moved;
    }
}
