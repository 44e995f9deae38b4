package io.panamanetty.examples;

import io.panamanetty.buffer.BufferStatistics;
import io.panamanetty.examples.TestSupport.Upstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.panamanetty.examples.TestSupport.connect;
import static io.panamanetty.examples.TestSupport.inThread;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The forwarder with {@code --splice} between real peers on loopback, in this JVM:
 * the scenarios of {@link ForwarderTest} that splicing changes the inside of.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SpliceForwarderTest {
    private static final int MB = 1 << 20;

    private static Forwarder splicingForwarderTo(int upstreamPort) throws InterruptedException {
        return Forwarder.start(new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", upstreamPort), 2, true);
    }

    private static int port(Forwarder forwarder) {
        return forwarder.localAddress().getPort();
    }

    @Test
    void carries100MegabytesIntactBothWays() throws Exception {
        long total = 100L * MB;
        long buffersAtStart = BufferStatistics.outstandingBytes();
        try (Upstream<Long> echo = Upstream.start(ForwarderTest::echoUntilEof);
             Forwarder forwarder = splicingForwarderTo(echo.port());
             Socket client = connect(port(forwarder))) {
            CompletableFuture<byte[]> sent = inThread("sender", () -> ForwarderTest.send(client, total, 1));
            MessageDigest received = MessageDigest.getInstance("SHA-256");
            long count = ForwarderTest.readUntilEof(client.getInputStream(), received);

            assertEquals(total, count, "bytes echoed back through the splicing forwarder");
            assertEquals(total, echo.result(), "bytes the upstream received");
            assertEquals(HexFormat.of().formatHex(sent.get(1, TimeUnit.MINUTES)),
                    HexFormat.of().formatHex(received.digest()), "SHA-256 of what was sent and what came back");
            assertEquals(0, BufferStatistics.outstandingBytes() - buffersAtStart,
                    "splicing forwards without buffers of its own");
        }
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
    void halfClosePassesThroughBothWays() throws Exception {
        try (Upstream<String> upstream = Upstream.start(socket -> {
                 String request = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                 socket.getOutputStream().write(("reply to " + request).getBytes(StandardCharsets.UTF_8));
                 return request;
             });
             Forwarder forwarder = splicingForwarderTo(upstream.port());
             Socket client = connect(port(forwarder))) {
            client.getOutputStream().write("request".getBytes(StandardCharsets.UTF_8));
            client.shutdownOutput();
            assertEquals("request", upstream.result(), "what the upstream read before EOF");
            assertEquals("reply to request", new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        try (Upstream<String> upstream = Upstream.start(socket -> {
                 socket.getOutputStream().write("greeting".getBytes(StandardCharsets.UTF_8));
                 socket.shutdownOutput();
                 return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
             });
             Forwarder forwarder = splicingForwarderTo(upstream.port());
             Socket client = connect(port(forwarder))) {
            assertEquals("greeting", new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            client.getOutputStream().write("answer".getBytes(StandardCharsets.UTF_8));
            client.shutdownOutput();
            assertEquals("answer", upstream.result(), "what the upstream read after its own FIN");
        }
    }

    @Test
    void aLargeReplyBeforeCloseReachesASlowClientInFull() throws Exception {
        int size = 20 * MB;
        byte[] reply = new byte[size];
        new Random(3).nextBytes(reply);
        try (Upstream<Boolean> upstream = Upstream.start(socket -> {
                 socket.getOutputStream().write(reply);
                 return true;   // closes at once: the end of the reply is still in the kernel's buffers
             });
             Forwarder forwarder = splicingForwarderTo(upstream.port());
             Socket client = connect(port(forwarder))) {
            Thread.sleep(300);   // a slow start: the pipe fills and the upstream is held back
            MessageDigest received = MessageDigest.getInstance("SHA-256");
            long count = ForwarderTest.readUntilEof(client.getInputStream(), received);
            assertTrue(upstream.result());
            assertEquals(size, count, "bytes of the reply the client read before EOF");
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(reply), received.digest());
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

    @Test
    void aClientThatLeavesEarlyClosesTheUpstreamAfterItsBytes() throws Exception {
        try (Upstream<String> upstream = Upstream.start(socket ->
                     new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
             Forwarder forwarder = splicingForwarderTo(upstream.port())) {
            try (Socket client = connect(port(forwarder))) {
                client.getOutputStream().write("last words".getBytes(StandardCharsets.UTF_8));
            }
            assertEquals("last words", upstream.result(), "what the upstream read before the connection ended");
        }
    }
}
