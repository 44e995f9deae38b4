package io.panamanetty.benchmarks.udp;

import io.panamanetty.benchmarks.echo.EchoMismatchException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The C UDP load generator against a small in-process echo on a real loopback socket: a
 * faithful echo passes with every datagram counted; one that changes a byte, cuts a
 * datagram short or echoes one twice fails the run with a message that says so; one that
 * drops a datagram costs a resend, counted as lost, and the run still completes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UdpLoadGeneratorTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);
    /** The test echo misbehaves on this datagram (counting from 1, the set-up datagrams included). */
    private static final int FAULTY = 50;

    /** What the test echo does to datagram {@link #FAULTY}. */
    private enum Fault { NONE, FLIP_ONE_BYTE, CUT_ONE_BYTE, DROP, ECHO_TWICE }

    @Test
    void countsEveryDatagramOfAFaithfulEcho() throws Exception {
        try (TestEcho echo = new TestEcho(Fault.NONE); UdpLoadGenerator client = new UdpLoadGenerator()) {
            UdpResult rtt = client.run(echo.address(), UdpWorkload.roundTrip(100, 150, LIMIT));
            assertEquals(150, rtt.datagrams());
            assertEquals(150, rtt.roundTrips().length);
            assertEquals(150 * 100, rtt.bytes());
            assertEquals(0, rtt.lost());
            assertFalse(rtt.timedOut());

            UdpResult throughput = client.run(echo.address(), UdpWorkload.throughput(1200, 3, 16, 400, LIMIT));
            assertEquals(1200, throughput.datagrams());
            assertEquals(0, throughput.roundTrips().length);
            assertEquals(0, throughput.lost());
            assertTrue(throughput.elapsedNanos() > 0);
            assertTrue(throughput.sendCalls() < throughput.datagrams(), "sendmmsg sent several datagrams a call: "
                    + throughput.sendCalls() + " calls for " + throughput.datagrams());
        }
    }

    @Test
    void failsOnAChangedByte() throws Exception {
        EchoMismatchException e = wrongEcho(Fault.FLIP_ONE_BYTE);
        assertTrue(e.getMessage().contains("byte 20 of datagram"), e.getMessage());
    }

    @Test
    void failsOnATruncatedDatagram() throws Exception {
        EchoMismatchException e = wrongEcho(Fault.CUT_ONE_BYTE);
        assertTrue(e.getMessage().contains("a datagram of 63 bytes came back where every one sent has 64"),
                e.getMessage());
    }

    @Test
    void failsOnADatagramEchoedTwice() throws Exception {
        EchoMismatchException e = wrongEcho(Fault.ECHO_TWICE);
        assertTrue(e.getMessage().contains("came back twice, though it was sent once"), e.getMessage());
    }

    @Test
    void sendsALostDatagramAgainAndCountsIt() throws Exception {
        try (TestEcho echo = new TestEcho(Fault.DROP); UdpLoadGenerator client = new UdpLoadGenerator()) {
            UdpResult result = client.run(echo.address(), UdpWorkload.throughput(64, 2, 8, 100, LIMIT));
            assertEquals(200, result.datagrams());
            assertEquals(1, result.lost());
            assertFalse(result.timedOut());
        }
    }

    private static EchoMismatchException wrongEcho(Fault fault) throws IOException {
        try (TestEcho echo = new TestEcho(fault); UdpLoadGenerator client = new UdpLoadGenerator()) {
            return assertThrows(EchoMismatchException.class,
                    () -> client.run(echo.address(), UdpWorkload.throughput(64, 2, 8, 100, LIMIT)));
        }
    }

    /** A blocking JDK datagram echo on its own thread that can be told to misbehave once. */
    private static final class TestEcho implements AutoCloseable {
        private final DatagramChannel channel;
        private final Fault fault;
        private final Thread thread;

        TestEcho(Fault fault) throws IOException {
            this.fault = fault;
            channel = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            thread = Thread.ofPlatform().name("udp-test-echo").start(this::run);
        }

        InetSocketAddress address() throws IOException {
            return (InetSocketAddress) channel.getLocalAddress();
        }

        private void run() {
            ByteBuffer buffer = ByteBuffer.allocate(65_536);
            try {
                for (int n = 1; ; n++) {
                    buffer.clear();
                    SocketAddress sender = channel.receive(buffer);
                    buffer.flip();
                    if (n == FAULTY) {
                        switch (fault) {
                            case FLIP_ONE_BYTE -> buffer.put(20, (byte) (buffer.get(20) ^ 1));
                            case CUT_ONE_BYTE -> buffer.limit(buffer.limit() - 1);
                            case DROP -> {
                                continue;
                            }
                            case ECHO_TWICE -> channel.send(buffer.duplicate(), sender);
                            case NONE -> { }
                        }
                    }
                    channel.send(buffer, sender);
                }
            } catch (ClosedChannelException e) {
                // closed by the test
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
