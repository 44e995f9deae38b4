package io.panamanetty.benchmarks.echo;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The client side: one thread and one selector drive every connection of a
 * {@link Workload}, so the load costs the same CPU whichever server answers. Each
 * connection sends the {@link EchoPattern} stream, keeps at most {@code window}
 * messages in flight, and checks every echoed byte against what it sent; a wrong,
 * missing or extra byte fails the run with {@link EchoMismatchException}.
 *
 * <p>It connects over loopback TCP or to a Unix socket file (the JDK has no address for a
 * Linux abstract name; the C load generator reaches those).
 *
 * <p>Before the clock starts, every connection echoes one message (so the server has
 * accepted and registered all of them). Exchanges are bounded in count and in time.
 */
final class LoadGenerator implements EchoClient {
    /** How long connecting and the first echo on every connection may take. */
    private static final long SETUP_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Selector selector;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(EchoPattern.MAX_CHUNK);
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(EchoPattern.MAX_CHUNK);
    private final byte[] received = new byte[EchoPattern.MAX_CHUNK];
    private int connectionsOpened;

    // State of the exchange in progress.
    private int payload;
    private int window;
    private int active;
    private long[] roundTrips;
    private int roundTripCount;

    /** One client connection and its position in its pattern stream. */
    private static final class Connection {
        final SocketChannel channel;
        final int seed;
        SelectionKey key;
        long sent;          // bytes written
        long received;      // bytes read back and checked
        long phaseStart;    // stream position where the current exchange began
        long target;        // stream position where it ends
        long sendLimit;     // bytes that may be written so far (the window)
        long messageStart;  // System.nanoTime() when the message in flight was sent (window 1)
        boolean wantsWrite;

        Connection(SocketChannel channel, int seed) {
            this.channel = channel;
            this.seed = seed;
        }
    }

    LoadGenerator() throws IOException {
        selector = Selector.open();
    }

    @Override
    public WorkloadResult run(EchoEndpoint server, Workload workload) throws IOException {
        List<Connection> connections = new ArrayList<>(workload.connections());
        try {
            long setupDeadline = System.nanoTime() + SETUP_LIMIT_NANOS;
            for (int i = 0; i < workload.connections(); i++) {
                connections.add(connect(server));
            }
            WorkloadResult primed = exchange(connections, workload.payload(), 1, 1, setupDeadline, false);
            if (primed.timedOut()) {
                throw new IOException("the server at " + server + " did not echo a first message on all "
                        + workload.connections() + " connections within " + SETUP_LIMIT_NANOS / 1_000_000_000 + " s");
            }
            long deadline = System.nanoTime() + workload.timeLimit().toNanos();
            return exchange(connections, workload.payload(), workload.window(),
                    workload.messagesPerConnection(), deadline, workload.isRoundTrip());
        } finally {
            for (Connection connection : connections) {
                connection.channel.close();
            }
            selector.selectNow();   // completes the deregistration of the closed channels
        }
    }

    private Connection connect(EchoEndpoint server) throws IOException {
        SocketChannel channel = SocketChannel.open(
                server.isUnix() ? StandardProtocolFamily.UNIX : StandardProtocolFamily.INET);
        try {
            if (!server.isUnix()) {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            channel.connect(server.socketAddress());
            channel.configureBlocking(false);
            Connection connection = new Connection(channel, EchoPattern.seed(connectionsOpened++));
            connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
            return connection;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Every connection echoes {@code messages} more messages, or the deadline passes. */
    private WorkloadResult exchange(List<Connection> connections, int payload, int window, int messages,
                                    long deadline, boolean recordRoundTrips) throws IOException {
        this.payload = payload;
        this.window = window;
        this.active = connections.size();
        this.roundTrips = recordRoundTrips ? new long[Math.multiplyExact(connections.size(), messages)] : null;
        this.roundTripCount = 0;
        long start = System.nanoTime();
        for (Connection c : connections) {
            c.phaseStart = c.received;
            c.target = c.received + (long) messages * payload;
            c.messageStart = start;
            allowMore(c);
            flush(c);
        }
        boolean timedOut = false;
        while (active > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                timedOut = true;
                break;
            }
            if (selector.select(Math.clamp(TimeUnit.NANOSECONDS.toMillis(left), 1, 100)) == 0) {
                continue;
            }
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                Connection c = (Connection) key.attachment();
                if (key.isReadable()) {
                    read(c);
                }
                if (key.isValid() && key.isWritable()) {
                    flush(c);
                }
            }
        }
        long elapsed = System.nanoTime() - start;
        long done = 0;
        for (Connection c : connections) {
            done += (c.received - c.phaseStart) / payload;
        }
        long[] times = roundTrips == null ? new long[0] : Arrays.copyOf(roundTrips, roundTripCount);
        roundTrips = null;
        return new WorkloadResult(done, done * payload, elapsed, times, timedOut);
    }

    private void read(Connection c) throws IOException {
        readBuffer.clear();
        int n = c.channel.read(readBuffer);
        if (n < 0) {
            throw new EchoMismatchException("the server closed a connection after echoing " + c.received
                    + " of " + c.sent + " bytes");
        }
        if (n == 0) {
            return;
        }
        if (c.received + n > c.sent) {
            throw new EchoMismatchException("the server echoed " + (c.received + n) + " bytes but only "
                    + c.sent + " were sent");
        }
        readBuffer.flip().get(received, 0, n);
        int bad = EchoPattern.mismatch(received, n, c.seed, c.received);
        if (bad >= 0) {
            int expected = EchoPattern.bytes()[EchoPattern.index(c.seed, c.received + bad)];
            throw new EchoMismatchException("echoed byte " + (c.received + bad) + " of a connection is "
                    + received[bad] + ", sent " + expected);
        }
        long before = (c.received - c.phaseStart) / payload;
        c.received += n;
        if ((c.received - c.phaseStart) / payload == before) {
            return;   // no message completed
        }
        if (roundTrips != null) {
            long now = System.nanoTime();
            roundTrips[roundTripCount++] = now - c.messageStart;
            c.messageStart = now;
        }
        if (c.received == c.target) {
            active--;
        } else {
            allowMore(c);
            flush(c);
        }
    }

    /** Opens the window: whole messages, up to {@code window} beyond the last complete one. */
    private void allowMore(Connection c) {
        long completeBytes = (c.received - c.phaseStart) / payload * payload;
        c.sendLimit = Math.min(c.target, c.phaseStart + completeBytes + (long) window * payload);
    }

    private void flush(Connection c) throws IOException {
        byte[] pattern = EchoPattern.bytes();
        while (c.sent < c.sendLimit) {
            int length = (int) Math.min(EchoPattern.MAX_CHUNK, c.sendLimit - c.sent);
            writeBuffer.clear().put(pattern, EchoPattern.index(c.seed, c.sent), length).flip();
            int written = c.channel.write(writeBuffer);
            c.sent += written;
            if (written < length) {
                if (!c.wantsWrite) {
                    c.wantsWrite = true;
                    c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                }
                return;
            }
        }
        if (c.wantsWrite) {
            c.wantsWrite = false;
            c.key.interestOps(SelectionKey.OP_READ);
        }
    }

    @Override
    public void close() throws IOException {
        selector.close();
    }
}
