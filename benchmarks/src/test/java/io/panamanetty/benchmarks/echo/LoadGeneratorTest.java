package io.panamanetty.benchmarks.echo;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both load generators (the C one and the Java one) against small in-process servers: a
 * faithful echo passes with every message counted, and a server that changes one byte,
 * or sends one too many, fails the run.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadGeneratorTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    /** What the test server does to the stream it echoes. */
    private enum Fault { NONE, FLIP_ONE_BYTE, EXTRA_BYTE }

    @ParameterizedTest
    @EnumSource(EchoClient.Kind.class)
    void countsEveryMessageOfAFaithfulEcho(EchoClient.Kind kind) throws Exception {
        try (TestServer server = new TestServer(Fault.NONE); EchoClient client = kind.open()) {
            WorkloadResult rtt = client.run(server.address(), Workload.roundTrip(100, 3, 50, LIMIT));
            assertEquals(150, rtt.messages());
            assertEquals(150, rtt.roundTrips().length);
            assertEquals(150 * 100, rtt.bytes());
            assertFalse(rtt.timedOut());

            WorkloadResult pipelined = client.run(server.address(), Workload.pipelined(1000, 2, 16, 200, LIMIT));
            assertEquals(400, pipelined.messages());
            assertEquals(0, pipelined.roundTrips().length);
            assertTrue(pipelined.elapsedNanos() > 0);
        }
    }

    @ParameterizedTest
    @EnumSource(EchoClient.Kind.class)
    void failsOnAChangedByte(EchoClient.Kind kind) throws Exception {
        try (TestServer server = new TestServer(Fault.FLIP_ONE_BYTE); EchoClient client = kind.open()) {
            EchoMismatchException e = assertThrows(EchoMismatchException.class,
                    () -> client.run(server.address(), Workload.roundTrip(64, 1, 100, LIMIT)));
            assertTrue(e.getMessage().contains("byte 1000"), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(EchoClient.Kind.class)
    void failsOnAnExtraByte(EchoClient.Kind kind) throws Exception {
        try (TestServer server = new TestServer(Fault.EXTRA_BYTE); EchoClient client = kind.open()) {
            // Depending on how the reads fall, the extra byte shows up as a shifted (wrong)
            // byte or as more bytes than were sent: either way the run must fail.
            assertThrows(EchoMismatchException.class,
                    () -> client.run(server.address(), Workload.roundTrip(64, 1, 100, LIMIT)));
        }
    }

    /** A blocking echo server on virtual threads that can be told to misbehave at byte 1000. */
    private static final class TestServer implements AutoCloseable {
        private final ServerSocket socket;
        private final Fault fault;

        TestServer(Fault fault) throws IOException {
            this.fault = fault;
            this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(this::acceptLoop);
        }

        InetSocketAddress address() {
            return new InetSocketAddress(socket.getInetAddress(), socket.getLocalPort());
        }

        private void acceptLoop() {
            try {
                while (true) {
                    Socket connection = socket.accept();
                    Thread.ofVirtual().start(() -> echo(connection));
                }
            } catch (IOException e) {
                // closed
            }
        }

        private void echo(Socket connection) {
            try (connection; InputStream in = connection.getInputStream();
                 OutputStream out = connection.getOutputStream()) {
                connection.setTcpNoDelay(true);
                byte[] buffer = new byte[4096];
                long position = 0;
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (position <= 1000 && 1000 < position + n) {
                        int at = (int) (1000 - position);
                        if (fault == Fault.FLIP_ONE_BYTE) {
                            buffer[at] ^= 0x01;
                        } else if (fault == Fault.EXTRA_BYTE) {
                            out.write(buffer, 0, at + 1);
                            out.write(buffer[at]);
                            out.write(buffer, at + 1, n - at - 1);
                            position += n;
                            continue;
                        }
                    }
                    out.write(buffer, 0, n);
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
