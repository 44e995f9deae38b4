package io.panamanetty.testsuite;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.PooledBufferAllocator;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.group.ChannelGroup;
import io.panamanetty.channel.group.ChannelGroupFuture;
import io.panamanetty.channel.group.ChannelMatcher;
import io.panamanetty.channel.group.DefaultChannelGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A channel group of 100 accepted connections (and their listening channel): one pooled
 * buffer written to all of them arrives whole at every peer without being copied, and is
 * freed exactly once all writes are done; peers that hang up leave the group by themselves;
 * a matcher picks a subset; closing the group closes everything with one future.
 */
@ExtendWith(LeakCheck.class)
public abstract class ChannelGroupScenario extends TransportScenario {
    private static final int PEERS = 100;
    private static final int PAYLOAD = 100 * 1024;
    private static final int TIMEOUT_SECONDS = 30;

    @Test
    public void oneBufferReachesAHundredPeersAndIsFreedOnce() throws Exception {
        PooledBufferAllocator allocator = new PooledBufferAllocator();
        ChannelGroup group = new DefaultChannelGroup("hundred");
        CountDownLatch joined = new CountDownLatch(PEERS);
        List<Socket> peers = new ArrayList<>();
        try (EventLoopGroup loops = transport().newGroup(2, "group-server")) {
            Channel server = transport().serverBootstrap().group(loops).childHandler(() -> new ChannelHandlerAdapter() {
                @Override
                public void channelActive(ChannelHandlerContext ctx) {
                    group.add(ctx.channel());
                    joined.countDown();
                    ctx.fireChannelActive();
                }
            }).bind("127.0.0.1", 0).sync().channel();
            group.add(server);
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            try {
                for (int i = 0; i < PEERS; i++) {
                    Socket peer = new Socket();
                    peers.add(peer);
                    peer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
                    peer.connect(new InetSocketAddress("127.0.0.1", port));
                }
                assertTrue(joined.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "every connection joined the group");
                assertEquals(PEERS + 1, group.size(), "100 connections and the listening channel");
                assertTrue(group.contains(server));

                byte[] payload = new byte[PAYLOAD];
                new Random(16).nextBytes(payload);
                Buffer shared = allocator.allocate(PAYLOAD).writeBytes(payload);
                ChannelGroupFuture written = group.writeAndFlush(shared);
                assertEquals(PEERS, written.size(), "written to every connection, not to the listening channel");
                assertNull(written.find(server));
                for (Socket peer : peers) {
                    assertArrayEquals(payload, readExactly(peer.getInputStream(), PAYLOAD), "each peer got the exact bytes");
                }
                assertTrue(written.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                assertTrue(written.isSuccess(), () -> String.valueOf(written.cause()));
                assertEquals(0, shared.refCnt(), "the one buffer was freed once every write was done");
                assertEquals(0, allocator.statistics().buffersInUse(), "no buffer of the pool is left in use");

                // Ten peers hang up: their channels close and leave the group by themselves.
                Set<Socket> gone = new HashSet<>(peers.subList(0, 10));
                for (Socket peer : gone) {
                    peer.close();
                }
                assertTrue(eventually(() -> group.size() == PEERS - 10 + 1), "closed channels left: " + group.size());

                // A matcher's subset: every other remaining connection.
                Set<Channel> picked = new HashSet<>();
                boolean pick = true;
                for (Channel channel : group) {
                    if (channel != server && (pick = !pick)) {
                        picked.add(channel);
                    }
                }
                Buffer second = allocator.copyOf(new byte[] {1, 2, 3});
                ChannelGroupFuture subset = group.writeAndFlush(second, picked::contains);
                assertTrue(subset.await(TIMEOUT_SECONDS, TimeUnit.SECONDS) && subset.isSuccess());
                assertEquals(picked.size(), subset.size());
                assertEquals(0, second.refCnt());

                ChannelGroupFuture closed = group.close();
                assertTrue(closed.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                assertTrue(closed.isSuccess(), () -> String.valueOf(closed.cause()));
                assertEquals(PEERS - 10 + 1, closed.size(), "one future for every member, the listener too");
                assertFalse(server.isOpen());
                for (ChannelFuture part : closed) {
                    assertFalse(part.channel().isOpen());
                }
                assertTrue(eventually(group::isEmpty), "the closed channels left the group");

                int pickedPeers = 0;
                for (Socket peer : peers) {
                    if (gone.contains(peer)) {
                        continue;
                    }
                    InputStream in = peer.getInputStream();
                    int first = in.read();
                    if (first == 1) {
                        pickedPeers++;
                        assertEquals(2, in.read());
                        assertEquals(3, in.read());
                        first = in.read();
                    }
                    assertEquals(-1, first, "nothing else arrived, then the close");
                }
                assertEquals(picked.size(), pickedPeers, "exactly the picked peers got the second write");
            } finally {
                for (Socket peer : peers) {
                    peer.close();
                }
                server.close().sync();
            }
        }
    }

    private static byte[] readExactly(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        assertEquals(length, bytes.length, "the peer's stream ended early");
        return bytes;
    }

    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}
