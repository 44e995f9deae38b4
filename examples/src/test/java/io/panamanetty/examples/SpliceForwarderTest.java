package io.panamanetty.examples;


import io.panamanetty.examples.TestSupport.Upstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.panamanetty.examples.TestSupport.connect;
import static io.panamanetty.examples.TestSupport.inThread;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The forwarder with {@code --splice} between real peers on loopback, in this JVM: the
 * scenarios only splicing has (a full pipe behind a slow receiver, a hang-up while the
 * pipe is full). {@link ForwarderTest} runs the common ones in both modes.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SpliceForwarderTest {
    private static final int MB = 1 << 20;

    private static Forwarder splicingForwarderTo(int upstreamPort) throws InterruptedException {
        return ForwarderTest.forwarderTo(upstreamPort, true);
    }

    private static int port(Forwarder forwarder) {
        return ForwarderTest.port(forwarder);
    }

    @Test
    void aSlowReceiverGetsEveryByte() throws Exception {
        long total = 64L * MB;
        try (Upstream<Long> slow = Upstream.start(socket -> {
                 long count = 0;
                 byte[] chunk = new byte[64 * 1024];
                 InputStream in = socket.getInputStream();
                 for (int n; (n = in.read(chunk)) >= 0; ) {
                     count += n;
                     Thread.sleep(2);   // about 32 MB/s at most: far slower than the sender
                 }
                 new DataOutputStream(socket.getOutputStream()).writeLong(count);
                 return count;
             });
             Forwarder forwarder = splicingForwarderTo(slow.port());
             Socket client = connect(port(forwarder))) {
            CompletableFuture<byte[]> sent = inThread("fast-sender", () -> ForwarderTest.send(client, total, 2));
            sent.get(3, TimeUnit.MINUTES);
            assertEquals(total, new DataInputStream(client.getInputStream()).readLong(),
                    "bytes the slow upstream received, as it reports");
            assertEquals(total, slow.result());
        }
    }

    @Test
    void aLargeReplyAfterBothFinsReachesASlowClientInFull() throws Exception {
        // The upstream connection is shut both ways (its FIN in, ours out) while the pipe
        // still waits for the slow client: the hang-up must neither spin nor lose bytes.
        int size = 20 * MB;
        byte[] reply = new byte[size];
        new Random(4).nextBytes(reply);
        try (Upstream<String> upstream = Upstream.start(socket -> {
                 String request = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                 socket.getOutputStream().write(reply);
                 return request;   // closes at once
             });
             Forwarder forwarder = splicingForwarderTo(upstream.port());
             Socket client = connect(port(forwarder))) {
            client.getOutputStream().write("send it".getBytes(StandardCharsets.UTF_8));
            client.shutdownOutput();
            Thread.sleep(300);   // a slow start: the reply waits in the forwarder's pipe and socket buffers
            MessageDigest received = MessageDigest.getInstance("SHA-256");
            InputStream in = client.getInputStream();
            byte[] chunk = new byte[32 * 1024];
            long count = 0;
            for (int n; (n = in.read(chunk)) >= 0; ) {   // slowly: the pipe stays full as the upstream hangs up
                received.update(chunk, 0, n);
                count += n;
                Thread.sleep(1);
            }
            assertEquals("send it", upstream.result(), "the request, up to the client's FIN");
            assertEquals(size, count, "bytes of the reply the client read before EOF");
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(reply), received.digest());
        }
    }

}
