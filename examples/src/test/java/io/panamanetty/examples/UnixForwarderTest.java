package io.panamanetty.examples;

import io.panamanetty.buffer.BufferStatistics;
import io.panamanetty.channel.DomainSocketAddress;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.panamanetty.examples.TestSupport.connect;
import static io.panamanetty.examples.TestSupport.inThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The forwarder between TCP and a Unix domain socket, both ways round, with and without
 * {@code --splice}: 100 MB echoed back byte-exact (SHA-256 compared), each side's half-close
 * passed through. The Unix peers are the JDK's Unix {@link SocketChannel}s, blocking, one
 * thread reading and one writing.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class UnixForwarderTest {
    private static final long TOTAL = 100L << 20;

    @ParameterizedTest(name = "splice: {0}")
    @ValueSource(booleans = {false, true})
    void tcpClientToAUnixUpstream(boolean splice, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("upstream.sock");
        long bytesAtStart = BufferStatistics.outstandingBytes();
        try (ServerSocketChannel upstream = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            upstream.bind(UnixDomainSocketAddress.of(file));
            CompletableFuture<Long> echoed = inThread("unix-upstream", () -> {
                try (SocketChannel peer = upstream.accept()) {
                    return echoUntilEof(peer);
                }
            });
            try (Forwarder forwarder = Forwarder.start(Endpoint.of(new HostPort("127.0.0.1", 0)),
                         Endpoint.parse("--to", "unix:" + file, false), 2, splice);
                 Socket client = connect(forwarder.localAddress().getPort())) {
                CompletableFuture<byte[]> sent = inThread("tcp-sender", () -> ForwarderTest.send(client, TOTAL, 21));
                MessageDigest received = MessageDigest.getInstance("SHA-256");
                long count = ForwarderTest.readUntilEof(client.getInputStream(), received);
                assertEquals(TOTAL, count, "bytes echoed back through the forwarder");
                assertEquals(TOTAL, echoed.get(1, TimeUnit.MINUTES), "bytes the Unix upstream received");
                assertEquals(HexFormat.of().formatHex(sent.get(1, TimeUnit.MINUTES)),
                        HexFormat.of().formatHex(received.digest()));
                assertNoBuffersWhenSplicing(splice, bytesAtStart);
            }
        }
    }

    @ParameterizedTest(name = "splice: {0}")
    @ValueSource(booleans = {false, true})
    void unixClientToATcpUpstream(boolean splice, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("listen.sock");
        long bytesAtStart = BufferStatistics.outstandingBytes();
        try (TestSupport.Upstream<Long> echo = TestSupport.Upstream.start(ForwarderTest::echoUntilEof);
             Forwarder forwarder = Forwarder.start(Endpoint.parse("--listen", "unix:" + file, true),
                     Endpoint.of(new HostPort("127.0.0.1", echo.port())), 2, splice)) {
            assertEquals(DomainSocketAddress.of(file), forwarder.serverChannel().localAddress());
            try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(file))) {
                CompletableFuture<byte[]> sent = inThread("unix-sender", () -> send(client, TOTAL, 22));
                MessageDigest received = MessageDigest.getInstance("SHA-256");
                long count = readUntilEof(client, received);
                assertEquals(TOTAL, count, "bytes echoed back through the forwarder");
                assertEquals(TOTAL, echo.result(), "bytes the TCP upstream received");
                assertEquals(HexFormat.of().formatHex(sent.get(1, TimeUnit.MINUTES)),
                        HexFormat.of().formatHex(received.digest()));
                assertNoBuffersWhenSplicing(splice, bytesAtStart);
            }
        }
        assertFalse(Files.exists(file), "the forwarder removed its socket file");
    }

    private static void assertNoBuffersWhenSplicing(boolean splice, long bytesAtStart) {
        if (splice) {
            assertEquals(0, BufferStatistics.outstandingBytes() - bytesAtStart,
                    "splicing forwards without buffers of its own");
        }
    }

    /** Echoes everything until EOF, then half-closes; returns the byte count. */
    private static long echoUntilEof(SocketChannel peer) throws Exception {
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        long count = 0;
        for (int n; (n = peer.read(chunk)) >= 0; ) {
            chunk.flip();
            while (chunk.hasRemaining()) {
                peer.write(chunk);
            }
            chunk.clear();
            count += n;
        }
        peer.shutdownOutput();
        return count;
    }

    /** Sends {@code total} pseudo-random bytes, then half-closes; returns their SHA-256. */
    private static byte[] send(SocketChannel channel, long total, long seed) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        Random random = new Random(seed);
        byte[] chunk = new byte[256 * 1024];
        for (long left = total; left > 0; ) {
            int n = (int) Math.min(chunk.length, left);
            random.nextBytes(chunk);
            digest.update(chunk, 0, n);
            ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, n);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            left -= n;
        }
        channel.shutdownOutput();
        return digest.digest();
    }

    /** Reads until EOF into {@code digest}; returns the byte count. */
    private static long readUntilEof(SocketChannel channel, MessageDigest digest) throws Exception {
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        long count = 0;
        for (int n; (n = channel.read(chunk)) >= 0; ) {
            digest.update(chunk.array(), 0, n);
            chunk.clear();
            count += n;
        }
        return count;
    }
}
