package io.panamanetty.examples;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.DatagramChannel;
import io.panamanetty.channel.DatagramPacket;
import io.panamanetty.channel.EventLoopGroup;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code echo-client --udp}: sends datagrams to a UDP echo server one at a time over a
 * connected socket and checks that each comes back whole, as one datagram of the same bytes;
 * prints the datagrams per second and the round-trip percentiles.
 */
final class UdpEchoClient {
    /** UDP's largest payload over IPv4. */
    static final int MAX_SIZE = 65_507;
    /** How long the client waits for one echo: a datagram may be lost, and then this ends the run. */
    private static final int REPLY_TIMEOUT_SECONDS = 10;

    private UdpEchoClient() {
    }

    /** What came back: a datagram's bytes, or why the socket failed. */
    private record Reply(byte[] bytes, Throwable failure) {
    }

    /** Queues every echoed datagram's bytes and every error. */
    private static final class Collector extends ChannelHandlerAdapter {
        final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            Buffer content = ((DatagramPacket) message).content();
            byte[] bytes = new byte[content.readableBytes()];
            content.readBytes(bytes, 0, bytes.length);
            replies.add(new Reply(bytes, null));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            replies.add(new Reply(null, cause));
        }
    }

    /**
     * Runs the client; false if anything failed, after printing why in one line.
     *
     * @param count the number of datagrams, at least 1
     * @param size the bytes of each, 1 to {@link #MAX_SIZE}
     */
    static boolean run(String host, int port, int count, int size) throws InterruptedException {
        if (count < 1 || size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("count must be at least 1 and size 1 to " + MAX_SIZE + ", not "
                    + count + " and " + size);
        }
        try (EventLoopGroup group = new EventLoopGroup(1, "udp-echo-client")) {
            Collector collector = new Collector();
            DatagramChannel channel;
            try {
                channel = (DatagramChannel) new Bootstrap().group(group).channel(DatagramChannel.class)
                        .handler(() -> collector).connect(host, port).sync().channel();
            } catch (RuntimeException e) {
                System.err.println("echo-client: " + e.getMessage());
                return false;
            }
            String server = new HostPort(channel.remoteAddress().getAddress().getHostAddress(),
                    channel.remoteAddress().getPort()).toString();
            byte[] message = new byte[size];
            Random random = new Random(42);
            long[] rtts = new long[count];
            long begin = System.nanoTime();
            for (int i = 0; i < count; i++) {
                random.nextBytes(message);
                long start = System.nanoTime();
                channel.writeAndFlush(message.clone());
                Reply reply = collector.replies.poll(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                rtts[i] = System.nanoTime() - start;
                String problem = null;
                if (reply == null) {
                    problem = "no echo of datagram " + (i + 1) + " of " + count + " within " + REPLY_TIMEOUT_SECONDS
                            + " s (lost, or no UDP echo server at " + server + ")";
                } else if (reply.failure() != null) {
                    problem = "datagram " + (i + 1) + " of " + count + " to " + server + " failed: "
                            + reply.failure().getMessage();
                } else if (reply.bytes().length != size) {
                    problem = "the echo of datagram " + (i + 1) + " of " + count + " came back as " + reply.bytes().length
                            + " bytes, not " + size + ": a datagram's boundary was not kept";
                } else if (!Arrays.equals(message, reply.bytes())) {
                    problem = "the echo of datagram " + (i + 1) + " of " + count + " differs from what was sent";
                }
                if (problem != null) {
                    System.err.println("echo-client: " + problem);
                    channel.close();
                    return false;
                }
            }
            long elapsed = System.nanoTime() - begin;
            channel.close().sync();
            if (!collector.replies.isEmpty()) {
                System.err.println("echo-client: " + collector.replies.size() + " datagrams more came back than were sent");
                return false;
            }
            Arrays.sort(rtts);
            double average = Arrays.stream(rtts).average().orElse(0) / 1000.0;
            System.out.printf("echo-client: %d datagrams of %d bytes echoed intact over UDP, %.0f datagrams/s;"
                            + " RTT avg %.1f us, p50 %.1f us, p99 %.1f us, p99.9 %.1f us%n", count, size,
                    count * 1e9 / elapsed, average, rtts[count / 2] / 1000.0,
                    rtts[Math.min(count - 1, (int) (count * 0.99))] / 1000.0,
                    rtts[Math.min(count - 1, (int) (count * 0.999))] / 1000.0);
            return true;
        }
    }
}
