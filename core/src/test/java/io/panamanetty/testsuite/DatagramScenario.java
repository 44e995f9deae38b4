package io.panamanetty.testsuite;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.DatagramChannel;
import io.panamanetty.channel.DatagramChannelOption;
import io.panamanetty.channel.DatagramPacket;
import io.panamanetty.channel.DatagramTooLargeException;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * UDP channels: echo with a plain JDK socket as the peer over IPv4, IPv6 and a dual-stack
 * socket, connected clients, ICMP errors, truncation, bad writes and a burst of datagrams.
 */
@ExtendWith(LeakCheck.class)
public abstract class DatagramScenario extends TransportScenario {

    /** Only for a transport that has them: one that declares it does not is skipped, visibly. */
    @BeforeEach
    void transportHasDatagrams() {
        requireFeature(TestTransport.Feature.DATAGRAM);
    }
    private static final int TIMEOUT_MILLIS = 30_000;

    /** What a handler saw: packets (their bytes copied) and exceptions. */
    public static final class Recorder extends ChannelHandlerAdapter {
        public final BlockingQueue<Received> packets = new LinkedBlockingQueue<>();
        public final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            DatagramPacket packet = (DatagramPacket) message;
            Buffer content = packet.content();
            byte[] bytes = new byte[content.readableBytes()];
            content.getBytes(content.readerIndex(), bytes, 0, bytes.length);
            packets.add(new Received(bytes, packet.sender()));
            packet.release();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
        }

        public Received next() throws InterruptedException {
            Received received = packets.poll(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            assertNotNull(received, "no datagram arrived");
            return received;
        }

        public Throwable nextError() throws InterruptedException {
            Throwable error = errors.poll(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            assertNotNull(error, "no exception reached the handler");
            return error;
        }
    }

    /** One received datagram. */
    public record Received(byte[] bytes, InetSocketAddress sender) {
    }

    private DatagramChannel echoServer(EventLoopGroup group, String host) throws InterruptedException {
        return (DatagramChannel) transport().bootstrap().group(group).channel(DatagramChannel.class)
                .bind(host, 0).sync().channel();
    }

    private static byte[] exchange(DatagramSocket socket, byte[] payload, InetSocketAddress to) throws Exception {
        socket.send(new java.net.DatagramPacket(payload, payload.length, to));
        byte[] room = new byte[65_536];
        java.net.DatagramPacket reply = new java.net.DatagramPacket(room, room.length);
        socket.receive(reply);
        return Arrays.copyOf(reply.getData(), reply.getLength());
    }

    private static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    public void echoesEverySizeOverIpv4() throws Exception {
        try (EventLoopGroup group = transport().newGroup(1, "udp-echo4")) {
            DatagramChannel server = echoServer(group, "127.0.0.1");
            assertTrue(server.isActive());
            assertFalse(server.isConnected());
            try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
                socket.setSoTimeout(TIMEOUT_MILLIS);
                for (int size : new int[] {0, 1, 100, 1_200, 8_192, 16_385, 65_507}) {
                    byte[] payload = random(size, size);
                    assertArrayEquals(payload, exchange(socket, payload, server.localAddress()), size + " bytes");
                }
            }
            server.close().sync();
        }
    }

    @Test
    public void dualStackSocketServesIpv4AndIpv6() throws Exception {
        try (EventLoopGroup group = transport().newGroup(1, "udp-dual")) {
            DatagramChannel server = echoServer(group, "::");
            int port = server.localAddress().getPort();
            try (DatagramSocket v4 = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
                 DatagramSocket v6 = new DatagramSocket(0, InetAddress.getByName("::1"))) {
                v4.setSoTimeout(TIMEOUT_MILLIS);
                v6.setSoTimeout(TIMEOUT_MILLIS);
                byte[] four = "over IPv4".getBytes(StandardCharsets.UTF_8);
                byte[] six = random(40_000, 6);
                assertArrayEquals(four, exchange(v4, four, new InetSocketAddress("127.0.0.1", port)));
                assertArrayEquals(six, exchange(v6, six, new InetSocketAddress("::1", port)));
            }
            server.close().sync();
        }
    }

    @Test
    public void inboundPacketsCarryTheSender() throws Exception {
        try (EventLoopGroup group = transport().newGroup(1, "udp-sender")) {
            Recorder recorder = new Recorder();
            DatagramChannel channel = (DatagramChannel) transport().bootstrap().group(group)
                    .channel(DatagramChannel.class).handler(() -> recorder).bind("127.0.0.1", 0).sync().channel();
            try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
                for (int i = 0; i < 3; i++) {
                    byte[] payload = ("datagram " + i).getBytes(StandardCharsets.UTF_8);
                    socket.send(new java.net.DatagramPacket(payload, payload.length, channel.localAddress()));
                    Received received = recorder.next();
                    assertArrayEquals(payload, received.bytes());
                    assertEquals(socket.getLocalSocketAddress(), received.sender());
                    assertInstanceOf(Inet4Address.class, received.sender().getAddress());
                }
            }
            channel.close().sync();
        }
    }

    @Test
    public void connectedClientWritesPlainMessagesAndHearsOnlyItsPeer() throws Exception {
        try (EventLoopGroup group = transport().newGroup(1, "udp-connected");
             DatagramSocket peer = new DatagramSocket(0, InetAddress.getByName("::1"));
             DatagramSocket stranger = new DatagramSocket(0, InetAddress.getByName("::1"))) {
            peer.setSoTimeout(TIMEOUT_MILLIS);
            Recorder recorder = new Recorder();
            DatagramChannel client = (DatagramChannel) transport().bootstrap().group(group)
                    .channel(DatagramChannel.class).handler(() -> recorder)
                    .bind("::1", freePort()).sync().channel();   // a port of its own: a disconnect keeps it
            assertFalse(client.isConnected());
            client.connect((InetSocketAddress) peer.getLocalSocketAddress()).sync();
            assertTrue(client.isConnected());
            assertEquals(peer.getLocalPort(), client.remoteAddress().getPort());
            client.writeAndFlush("ping".getBytes(StandardCharsets.UTF_8)).sync();
            byte[] room = new byte[100];
            java.net.DatagramPacket got = new java.net.DatagramPacket(room, room.length);
            peer.receive(got);
            assertEquals("ping", new String(got.getData(), 0, got.getLength(), StandardCharsets.UTF_8));
            assertEquals(client.localAddress().getPort(), got.getPort());

            byte[] noise = "noise".getBytes(StandardCharsets.UTF_8);
            stranger.send(new java.net.DatagramPacket(noise, noise.length, got.getSocketAddress()));
            byte[] pong = "pong".getBytes(StandardCharsets.UTF_8);
            peer.send(new java.net.DatagramPacket(pong, pong.length, got.getSocketAddress()));
            Received reply = recorder.next();
            assertArrayEquals(pong, reply.bytes());   // the stranger's datagram was filtered out by the kernel
            assertEquals(peer.getLocalPort(), reply.sender().getPort());

            client.disconnect().sync();
            assertFalse(client.isConnected());
            stranger.send(new java.net.DatagramPacket(noise, noise.length, got.getSocketAddress()));
            assertArrayEquals(noise, recorder.next().bytes());
            client.close().sync();
        }
    }

    @Test
    public void bootstrapConnectsAClientSocket() throws Exception {
        try (EventLoopGroup group = transport().newGroup(1, "udp-client");
             DatagramSocket peer = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            peer.setSoTimeout(TIMEOUT_MILLIS);
            Recorder recorder = new Recorder();
            DatagramChannel client = (DatagramChannel) transport().bootstrap().group(group)
                    .channel(DatagramChannel.class).handler(() -> recorder)
                    .connect("localhost", peer.getLocalPort()).sync().channel();
            assertTrue(client.isConnected());
            client.writeAndFlush("hello").sync();
            byte[] room = new byte[100];
            java.net.DatagramPacket got = new java.net.DatagramPacket(room, room.length);
            peer.receive(got);
            assertEquals("hello", new String(got.getData(), 0, got.getLength(), StandardCharsets.UTF_8));
            peer.send(new java.net.DatagramPacket(room, 3, got.getSocketAddress()));
            assertEquals(3, recorder.next().bytes().length);
            client.close().sync();
        }
    }

    @Test
    public void refusedDatagramsAreReportedAndTheChannelStaysOpen() throws Exception {
        int closedPort;
        try (DatagramSocket gone = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            closedPort = gone.getLocalPort();
        }
        try (EventLoopGroup group = transport().newGroup(1, "udp-refused")) {
            Recorder recorder = new Recorder();
            DatagramChannel client = (DatagramChannel) transport().bootstrap().group(group)
                    .channel(DatagramChannel.class).handler(() -> recorder)
                    .connect("127.0.0.1", closedPort).sync().channel();
            for (int round = 0; round < 2; round++) {
                client.writeAndFlush("anyone?".getBytes(StandardCharsets.UTF_8));
                Throwable error = recorder.nextError();
                NativeIoException refused = assertInstanceOf(NativeIoException.class, error);
                assertEquals(Errno.ECONNREFUSED, refused.errno(), refused.getMessage());
                assertTrue(refused.getMessage().contains("ECONNREFUSED"), refused.getMessage());
                assertTrue(client.isOpen() && client.isActive());
            }
            client.close().sync();
        }
    }

    @Test
    public void aDatagramLongerThanTheReceiveSizeIsReportedNotCut() throws Exception {
        try (EventLoopGroup group = transport().newGroup(1, "udp-trunc")) {
            Recorder recorder = new Recorder();
            DatagramChannel channel = (DatagramChannel) transport().bootstrap().group(group)
                    .channel(DatagramChannel.class).option(DatagramChannelOption.MAX_DATAGRAM_SIZE, 1_000)
                    .handler(() -> recorder).bind("127.0.0.1", 0).sync().channel();
            try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
                byte[] tooLong = random(2_000, 1);
                byte[] fits = random(1_000, 2);
                socket.send(new java.net.DatagramPacket(tooLong, tooLong.length, channel.localAddress()));
                socket.send(new java.net.DatagramPacket(fits, fits.length, channel.localAddress()));
                DatagramTooLargeException error = assertInstanceOf(DatagramTooLargeException.class,
                        recorder.nextError());
                assertEquals(2_000, error.length());
                assertTrue(error.getMessage().contains("MAX_DATAGRAM_SIZE (1000 bytes)"), error.getMessage());
                assertEquals(socket.getLocalSocketAddress(), error.sender());
                assertArrayEquals(fits, recorder.next().bytes());
                assertTrue(recorder.packets.isEmpty());
            }
            assertTrue(channel.isOpen());
            channel.close().sync();
        }
    }

    @Test
    public void badWritesFailTheirPromiseAndTheChannelGoesOn() throws Exception {
        try (EventLoopGroup group = transport().newGroup(1, "udp-bad");
             DatagramSocket peer = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            peer.setSoTimeout(TIMEOUT_MILLIS);
            DatagramChannel channel = (DatagramChannel) transport().bootstrap().group(group)
                    .channel(DatagramChannel.class).handler(Recorder::new).bind("127.0.0.1", 0).sync().channel();
            ChannelFuture noRecipient = channel.writeAndFlush("to whom?".getBytes(StandardCharsets.UTF_8)).await();
            assertInstanceOf(IllegalArgumentException.class, noRecipient.cause());
            assertTrue(noRecipient.cause().getMessage().contains("needs a recipient"), noRecipient.cause().getMessage());

            Buffer huge = channel.config().allocator().allocate(65_508).writerIndex(65_508);
            ChannelFuture tooLarge = channel.writeAndFlush(new DatagramPacket(huge, peerAddress(peer))).await();
            assertInstanceOf(IllegalArgumentException.class, tooLarge.cause());
            assertTrue(tooLarge.cause().getMessage().contains("65507"), tooLarge.cause().getMessage());

            Buffer fine = channel.config().allocator().copyOf("still here".getBytes(StandardCharsets.UTF_8));
            channel.writeAndFlush(new DatagramPacket(fine, peerAddress(peer))).sync();
            byte[] room = new byte[100];
            java.net.DatagramPacket got = new java.net.DatagramPacket(room, room.length);
            peer.receive(got);
            assertEquals("still here", new String(got.getData(), 0, got.getLength(), StandardCharsets.UTF_8));
            channel.close().sync();
        }
    }

    private static int freePort() throws Exception {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getByName("::1"))) {
            return probe.getLocalPort();
        }
    }

    private static InetSocketAddress peerAddress(DatagramSocket socket) {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    @Test
    public void queuedDatagramsPassTheWaterMarksAndWritabilityComesBack() throws Exception {
        try (EventLoopGroup group = transport().newGroup(1, "udp-marks");
             DatagramSocket peer = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            BlockingQueue<Boolean> writability = new LinkedBlockingQueue<>();
            DatagramChannel channel = (DatagramChannel) transport().bootstrap().group(group)
                    .channel(DatagramChannel.class)
                    .option(io.panamanetty.channel.ChannelOption.WRITE_BUFFER_HIGH_WATER_MARK, 10_000)
                    .option(io.panamanetty.channel.ChannelOption.WRITE_BUFFER_LOW_WATER_MARK, 5_000)
                    .handler(() -> new ChannelHandlerAdapter() {
                        @Override
                        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                            writability.add(ctx.channel().isWritable());
                        }
                    }).connect("127.0.0.1", peer.getLocalPort()).sync().channel();
            java.util.concurrent.CompletableFuture<Boolean> writableAfterWrites = new java.util.concurrent.CompletableFuture<>();
            channel.eventLoop().execute(() -> {
                for (int i = 0; i < 20; i++) {
                    channel.write(new byte[1_000]);   // queued until the turn ends
                }
                writableAfterWrites.complete(channel.isWritable());
            });
            assertFalse(writableAfterWrites.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
            assertEquals(Boolean.FALSE, writability.poll(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
            assertEquals(Boolean.TRUE, writability.poll(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
            assertTrue(channel.isWritable());
            channel.close().sync();
        }
    }

    /**
     * 20,000 datagrams of random sizes (mostly small, one in ten up to 65,507 bytes) from four
     * clients at once, each with up to 32 in flight: every one comes back whole, none lost
     * on loopback.
     */
    @Test
    public void twentyThousandDatagramsOfRandomSizesFromSeveralClientsComeBackWhole() throws Exception {
        int clients = 4;
        int perClient = 5_000;
        int window = 32;
        try (EventLoopGroup group = transport().newGroup(2, "udp-many")) {
            DatagramChannel server = (DatagramChannel) transport().bootstrap().group(group)
                    .channel(DatagramChannel.class).option(io.panamanetty.channel.ChannelOption.SO_RCVBUF, 8 << 20)
                    .option(io.panamanetty.channel.ChannelOption.SO_SNDBUF, 8 << 20).bind("127.0.0.1", 0).sync()
                    .channel();
            java.util.List<java.util.concurrent.CompletableFuture<Void>> runs = new java.util.ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                runs.add(java.util.concurrent.CompletableFuture.runAsync(() -> {
                    try {
                        runWindowedClient(group, server.localAddress().getPort(), client, perClient, window);
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                }, runnable -> Thread.ofPlatform().name("udp-many-client-" + client).start(runnable)));
            }
            for (java.util.concurrent.CompletableFuture<Void> run : runs) {
                run.get(120, TimeUnit.SECONDS);
            }
            server.close().sync();
        }
    }

    private void runWindowedClient(EventLoopGroup group, int port, int client, int count, int window)
            throws Exception {
        java.util.Map<Integer, byte[]> inFlight = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.Semaphore permits = new java.util.concurrent.Semaphore(window);
        BlockingQueue<String> problems = new LinkedBlockingQueue<>();
        java.util.concurrent.atomic.AtomicInteger echoed = new java.util.concurrent.atomic.AtomicInteger();
        DatagramChannel channel = (DatagramChannel) transport().bootstrap().group(group).channel(DatagramChannel.class)
                .option(io.panamanetty.channel.ChannelOption.SO_RCVBUF, 4 << 20)
                .handler(() -> new ChannelHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object message) {
                        Buffer content = ((DatagramPacket) message).content();
                        byte[] bytes = new byte[content.readableBytes()];
                        content.getBytes(content.readerIndex(), bytes, 0, bytes.length);
                        int sequence = java.nio.ByteBuffer.wrap(bytes).getInt();
                        byte[] sent = inFlight.remove(sequence);
                        if (sent == null || !Arrays.equals(sent, bytes)) {
                            problems.add("client " + client + ": echo of datagram " + sequence + " ("
                                    + bytes.length + " bytes) " + (sent == null ? "unexpected" : "differs"));
                        }
                        echoed.incrementAndGet();
                        permits.release();
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        problems.add("client " + client + ": " + cause);
                    }
                }).connect("127.0.0.1", port).sync().channel();
        Random random = new Random(client);
        for (int i = 0; i < count; i++) {
            assertTrue(permits.tryAcquire(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS),
                    "client " + client + ": no echo for 30 s, " + inFlight.size() + " datagrams lost: " + problems);
            int size = random.nextInt(10) == 0 ? 4 + random.nextInt(65_507 - 3) : 4 + random.nextInt(1_197);
            byte[] payload = new byte[size];
            random.nextBytes(payload);
            java.nio.ByteBuffer.wrap(payload).putInt(i);
            inFlight.put(i, payload);
            channel.writeAndFlush(payload);
        }
        assertTrue(permits.tryAcquire(window, TIMEOUT_MILLIS, TimeUnit.MILLISECONDS),
                "client " + client + ": " + inFlight.size() + " datagrams lost: " + problems);
        assertTrue(problems.isEmpty(), problems.toString());
        assertEquals(count, echoed.get());
        channel.close().sync();
    }

    @Test
    public void aBurstOfDatagramsArrivesIntactAndInCount() throws Exception {
        int count = 500;
        try (EventLoopGroup group = transport().newGroup(2, "udp-burst")) {
            DatagramChannel server = (DatagramChannel) transport().bootstrap().group(group)
                    .channel(DatagramChannel.class).option(io.panamanetty.channel.ChannelOption.SO_RCVBUF, 4 << 20)
                    .bind("127.0.0.1", 0).sync().channel();
            Recorder recorder = new Recorder();
            DatagramChannel client = (DatagramChannel) transport().bootstrap().group(group)
                    .channel(DatagramChannel.class).option(io.panamanetty.channel.ChannelOption.SO_RCVBUF, 4 << 20)
                    .handler(() -> recorder).connect("127.0.0.1", server.localAddress().getPort()).sync().channel();
            client.eventLoop().execute(() -> {
                for (int i = 0; i < count; i++) {
                    client.write(random(1 + i % 1_400, i));   // all leave in sendmmsg batches as this turn ends
                }
            });
            boolean[] seen = new boolean[count];
            for (int n = 0; n < count; n++) {
                byte[] bytes = recorder.next().bytes();
                int i = bytes.length - 1;
                assertArrayEquals(random(1 + i % 1_400, i), bytes);
                assertFalse(seen[i], "datagram " + i + " twice");
                seen[i] = true;
            }
            assertTrue(recorder.errors.isEmpty(), () -> "errors: " + recorder.errors);
            client.close().sync();
            server.close().sync();
        }
    }
}
