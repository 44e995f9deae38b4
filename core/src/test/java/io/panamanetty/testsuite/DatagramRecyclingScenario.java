package io.panamanetty.testsuite;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.IllegalReferenceCountException;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelInitializer;
import io.panamanetty.channel.DatagramChannel;
import io.panamanetty.channel.DatagramPacket;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Received packets are recycled by their loop, and never while someone may still use one: an
 * echo that turns each packet around gets the same few objects back again and again, while a
 * handler that keeps packets (retained, or their content handed on in new packets, or released
 * on another thread) sees every one of them intact after later datagrams arrived.
 */
@ExtendWith(LeakCheck.class)
public abstract class DatagramRecyclingScenario extends TransportScenario {

    /** Only for a transport that has them: one that declares it does not is skipped, visibly. */
    @BeforeEach
    void transportHasDatagrams() {
        requireFeature(TestTransport.Feature.DATAGRAM);
    }
    private static final int TIMEOUT_MILLIS = 30_000;
    private static final int COUNT = 200;

    /** Runs {@code handler} on a channel bound to 127.0.0.1 and returns it. */
    private DatagramChannel server(EventLoopGroup group, Supplier<ChannelHandler> handler) throws Exception {
        return (DatagramChannel) transport().bootstrap().group(group).channel(DatagramChannel.class)
                .handler(handler).bind("127.0.0.1", 0).sync().channel();
    }

    private static byte[] payload(int i) {
        return ("datagram " + i).getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(DatagramPacket packet) {
        Buffer content = packet.content();
        byte[] bytes = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), bytes, 0, bytes.length);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    /** An echo that turns packets around, noting each packet object it was handed. */
    @ChannelHandler.Sharable
    static final class NotingEcho extends ChannelHandlerAdapter {
        final Set<DatagramPacket> seen = Collections.newSetFromMap(new IdentityHashMap<>());

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            DatagramPacket packet = (DatagramPacket) message;
            seen.add(packet);
            ctx.write(packet.turnAround());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }

    @Test
    public void anEchoGetsItsPacketObjectsBackAgain() throws Exception {
        try (EventLoopGroup group = transport().newGroup(1, "udp-recycle");
             DatagramSocket peer = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            NotingEcho echo = new NotingEcho();
            DatagramChannel server = server(group, () -> echo);
            peer.setSoTimeout(TIMEOUT_MILLIS);
            byte[] room = new byte[100];
            for (int i = 0; i < COUNT; i++) {
                byte[] sent = payload(i);
                peer.send(new java.net.DatagramPacket(sent, sent.length, server.localAddress()));
                java.net.DatagramPacket reply = new java.net.DatagramPacket(room, room.length);
                peer.receive(reply);
                assertEquals(new String(sent, StandardCharsets.US_ASCII),
                        new String(room, 0, reply.getLength(), StandardCharsets.US_ASCII));
            }
            int distinct = onLoop(server, echo.seen::size);
            assertTrue(distinct <= 4, COUNT + " datagrams echoed one at a time came in " + distinct
                    + " packet objects (expected the loop to reuse them)");
            server.close().sync();
        }
    }

    /**
     * Keeps every packet, each way the ownership rule allows: retained; its content handed on
     * (fired) in a new packet, which {@link Collector} keeps; or retained and released on
     * another thread a while later.
     */
    static final class Keeper extends ChannelHandlerAdapter {
        enum Way { RETAIN, NEW_PACKET, OTHER_THREAD }

        final Way way;
        final List<DatagramPacket> kept = Collections.synchronizedList(new ArrayList<>());
        final List<String> texts = Collections.synchronizedList(new ArrayList<>());
        final List<InetSocketAddress> senders = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch all = new CountDownLatch(COUNT);
        final ExecutorService other;

        Keeper(Way way, ExecutorService other) {
            this.way = way;
            this.other = other;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            DatagramPacket packet = (DatagramPacket) message;
            texts.add(text(packet));
            senders.add(packet.sender());
            kept.add(packet);
            switch (way) {
                case RETAIN -> packet.retain();
                case NEW_PACKET -> ctx.fireChannelRead(new DatagramPacket(packet.content(), packet.sender()));
                case OTHER_THREAD -> {
                    packet.retain();
                    other.execute(() -> {   // released there, a while later
                        sleepQuietly();
                        packet.release();
                    });
                }
            }
            all.countDown();
        }

        private static void sleepQuietly() {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Keeps (retains) the packets the {@link Keeper} handed on. */
    static final class Collector extends ChannelHandlerAdapter {
        final List<DatagramPacket> packets = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            DatagramPacket packet = (DatagramPacket) message;
            packets.add(packet.retain());
        }
    }

    private void keptPacketsStayIntact(Keeper.Way way) throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (EventLoopGroup group = transport().newGroup(1, "udp-keep");
             DatagramSocket a = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
             DatagramSocket b = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            Keeper keeper = new Keeper(way, other);
            Collector collector = new Collector();
            DatagramChannel server = server(group, () -> new ChannelInitializer<DatagramChannel>() {
                @Override
                protected void initChannel(DatagramChannel channel) {
                    channel.pipeline().addLast(keeper, collector);
                }
            });
            for (int i = 0; i < COUNT; i++) {
                byte[] sent = payload(i);
                (i % 2 == 0 ? a : b).send(new java.net.DatagramPacket(sent, sent.length, server.localAddress()));
                if (i % 20 == 19) {
                    Thread.sleep(5);   // several turns of the loop, so released packets could come back
                }
            }
            assertTrue(keeper.all.await(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS), "not every datagram arrived");
            other.shutdown();
            assertTrue(other.awaitTermination(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
            onLoop(server, () -> {
                Set<DatagramPacket> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
                for (int i = 0; i < COUNT; i++) {
                    DatagramPacket packet = keeper.kept.get(i);
                    assertTrue(distinct.add(packet), "packet " + i + " is an object handed out before");
                    InetSocketAddress expected = (InetSocketAddress) (i % 2 == 0 ? a : b).getLocalSocketAddress();
                    assertEquals(expected, keeper.senders.get(i));
                    assertEquals(new String(payload(i), StandardCharsets.US_ASCII), keeper.texts.get(i));
                    if (way != Keeper.Way.OTHER_THREAD) {
                        assertEquals(expected, packet.sender(), "packet " + i + " was reused while kept");
                    }
                    if (way == Keeper.Way.RETAIN) {
                        assertEquals(new String(payload(i), StandardCharsets.US_ASCII), text(packet));
                        packet.release();
                    }
                    if (way == Keeper.Way.NEW_PACKET) {
                        DatagramPacket next = collector.packets.get(i);
                        assertEquals(new String(payload(i), StandardCharsets.US_ASCII), text(next));
                        next.release();
                    }
                }
                return null;
            });
            server.close().sync();
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    public void retainedPacketsAreNotReused() throws Exception {
        keptPacketsStayIntact(Keeper.Way.RETAIN);
    }

    @Test
    public void aPacketWhoseContentWentOnInANewPacketIsNotReused() throws Exception {
        keptPacketsStayIntact(Keeper.Way.NEW_PACKET);
    }

    @Test
    public void packetsReleasedOnAnotherThreadAreNotReused() throws Exception {
        keptPacketsStayIntact(Keeper.Way.OTHER_THREAD);
    }

    @Test
    public void aReleasedPacketRefusesUseAndATurnAroundNeedsASender() throws Exception {
        CompletableFuture<DatagramPacket> released = new CompletableFuture<>();
        try (EventLoopGroup group = transport().newGroup(1, "udp-released");
             DatagramSocket peer = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            DatagramChannel server = server(group, () -> new ChannelHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object message) {
                    DatagramPacket packet = (DatagramPacket) message;
                    assertTrue(packet.release());
                    released.complete(packet);
                }
            });
            byte[] sent = payload(1);
            peer.send(new java.net.DatagramPacket(sent, sent.length, server.localAddress()));
            DatagramPacket packet = released.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            onLoop(server, () -> {   // until the loop reuses it, the released packet refuses every use
                assertEquals(0, packet.refCnt());
                assertThrows(IllegalReferenceCountException.class, packet::content);
                assertThrows(IllegalReferenceCountException.class, packet::release);
                assertThrows(IllegalReferenceCountException.class, packet::retain);
                assertThrows(IllegalReferenceCountException.class, packet::turnAround);
                return null;
            });
            server.close().sync();
        }
        DatagramPacket toSend = new DatagramPacket(io.panamanetty.buffer.BufferAllocator.defaultAllocator()
                .allocate(4), new InetSocketAddress("127.0.0.1", 9));
        assertThrows(IllegalStateException.class, toSend::turnAround);
        assertTrue(toSend.release());
    }

    private static <T> T onLoop(DatagramChannel channel, Supplier<T> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            try {
                result.complete(action.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }
}
