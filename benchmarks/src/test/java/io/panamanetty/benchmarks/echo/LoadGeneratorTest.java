package io.panamanetty.benchmarks.echo;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both load generators (the C one and the Java one), over loopback TCP and over a Unix
 * socket file, against small in-process servers: a faithful echo passes with every message
 * counted, and a server that changes one byte, or sends one too many, fails the run.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadGeneratorTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    /** What the test server does to the stream it echoes. */
    private enum Fault { NONE, FLIP_ONE_BYTE, EXTRA_BYTE }

    @TempDir
    Path dir;

    /** Every client over every transport: true for a Unix socket. */
    static List<Arguments> clientsAndTransports() {
        List<Arguments> all = new ArrayList<>();
        for (EchoClient.Kind kind : EchoClient.Kind.values()) {
            all.add(Arguments.of(kind, false));
            all.add(Arguments.of(kind, true));
        }
        return all;
    }

    @ParameterizedTest(name = "{0}, unix={1}")
    @MethodSource("clientsAndTransports")
    void countsEveryMessageOfAFaithfulEcho(EchoClient.Kind kind, boolean unix) throws Exception {
        try (TestServer server = new TestServer(Fault.NONE, unix ? dir : null); EchoClient client = kind.open()) {
            WorkloadResult rtt = client.run(server.endpoint(), Workload.roundTrip(100, 3, 50, LIMIT));
            assertEquals(150, rtt.messages());
            assertEquals(150, rtt.roundTrips().length);
            assertEquals(150 * 100, rtt.bytes());
            assertFalse(rtt.timedOut());

            WorkloadResult pipelined = client.run(server.endpoint(), Workload.pipelined(1000, 2, 16, 200, LIMIT));
            assertEquals(400, pipelined.messages());
            assertEquals(0, pipelined.roundTrips().length);
            assertTrue(pipelined.elapsedNanos() > 0);
            assertEquals(5, server.accepted(), "3 round-trip and 2 pipelined connections");
        }
    }

    @ParameterizedTest(name = "{0}, unix={1}")
    @MethodSource("clientsAndTransports")
    void failsOnAChangedByte(EchoClient.Kind kind, boolean unix) throws Exception {
        try (TestServer server = new TestServer(Fault.FLIP_ONE_BYTE, unix ? dir : null);
             EchoClient client = kind.open()) {
            EchoMismatchException e = assertThrows(EchoMismatchException.class,
                    () -> client.run(server.endpoint(), Workload.roundTrip(64, 1, 100, LIMIT)));
            assertTrue(e.getMessage().contains("byte 1000"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}, unix={1}")
    @MethodSource("clientsAndTransports")
    void failsOnAnExtraByte(EchoClient.Kind kind, boolean unix) throws Exception {
        try (TestServer server = new TestServer(Fault.EXTRA_BYTE, unix ? dir : null);
             EchoClient client = kind.open()) {
            // Depending on how the reads fall, the extra byte shows up as a shifted (wrong)
            // byte or as more bytes than were sent: either way the run must fail.
            assertThrows(EchoMismatchException.class,
                    () -> client.run(server.endpoint(), Workload.roundTrip(64, 1, 100, LIMIT)));
        }
    }

    /**
     * A blocking echo server on virtual threads, on loopback TCP or on a Unix socket file in
     * a given directory, that can be told to misbehave at byte 1000.
     */
    private static final class TestServer implements AutoCloseable {
        private final ServerSocketChannel socket;
        private final EchoEndpoint endpoint;
        private final Fault fault;
        private volatile int accepted;

        /** On a Unix socket file in {@code unixDirectory}, or on loopback TCP if it is null. */
        TestServer(Fault fault, Path unixDirectory) throws IOException {
            this.fault = fault;
            if (unixDirectory == null) {
                socket = ServerSocketChannel.open(StandardProtocolFamily.INET)
                        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                endpoint = EchoEndpoint.tcp(((InetSocketAddress) socket.getLocalAddress()).getPort());
            } else {
                Path file = unixDirectory.resolve("echo.sock");
                socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(file));
                endpoint = EchoEndpoint.unix(file.toString());
            }
            Thread.ofVirtual().start(this::acceptLoop);
        }

        EchoEndpoint endpoint() {
            return endpoint;
        }

        int accepted() {
            return accepted;
        }

        private void acceptLoop() {
            try {
                while (true) {
                    SocketChannel connection = socket.accept();
                    accepted++;
                    Thread.ofVirtual().start(() -> echo(connection));
                }
            } catch (IOException e) {
                // closed
            }
        }

        private void echo(SocketChannel connection) {
            try (connection) {
                if (!endpoint.isUnix()) {
                    connection.setOption(StandardSocketOptions.TCP_NODELAY, true);
                }
                ByteBuffer buffer = ByteBuffer.allocate(4097);
                long position = 0;
                int n;
                while ((n = connection.read(buffer.clear().limit(4096))) >= 0) {
                    buffer.flip();
                    if (position <= 1000 && 1000 < position + n) {
                        int at = (int) (1000 - position);
                        if (fault == Fault.FLIP_ONE_BYTE) {
                            buffer.put(at, (byte) (buffer.get(at) ^ 0x01));
                        } else if (fault == Fault.EXTRA_BYTE) {
                            // Shift what follows byte 1000 on by one and send byte 1000 twice.
                            byte[] rest = new byte[n - at - 1];
                            buffer.get(at + 1, rest);
                            buffer.limit(n + 1).put(at + 1, buffer.get(at)).put(at + 2, rest);
                        }
                    }
                    while (buffer.hasRemaining()) {
                        connection.write(buffer);
                    }
                    position += n;
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
