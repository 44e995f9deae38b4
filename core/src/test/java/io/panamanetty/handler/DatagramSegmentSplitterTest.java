package io.panamanetty.handler;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.UnpooledBufferAllocator;
import io.panamanetty.channel.DatagramPacket;
import io.panamanetty.channel.embedded.EmbeddedChannel;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** {@link DatagramSegmentSplitter} cuts a coalesced packet into its datagrams and leaves others alone. */
@ExtendWith(LeakCheck.class)
class DatagramSegmentSplitterTest {
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 9);
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 7);

    @Test
    void aCoalescedPacketBecomesOnePacketPerSegment(UnpooledBufferAllocator allocator) {
        EmbeddedChannel channel = new EmbeddedChannel(new DatagramSegmentSplitter());
        Buffer content = allocator.copyOf("aaaabbbbcc".getBytes(StandardCharsets.US_ASCII));
        channel.writeInbound(new DatagramPacket(content, LOCAL, PEER, 4));
        for (String expected : new String[] {"aaaa", "bbbb", "cc"}) {
            DatagramPacket piece = channel.readInbound();
            assertEquals(expected, piece.content().toString(StandardCharsets.US_ASCII));
            assertEquals(0, piece.segmentSize());
            assertSame(PEER, piece.sender());
            assertSame(LOCAL, piece.recipient());
            piece.release();
        }
        assertNull(channel.readInbound());
        channel.finish();
    }

    @Test
    void aSingleDatagramPassesUnchanged(UnpooledBufferAllocator allocator) {
        EmbeddedChannel channel = new EmbeddedChannel(new DatagramSegmentSplitter());
        DatagramPacket single = new DatagramPacket(allocator.copyOf(new byte[] {1, 2, 3}), LOCAL, PEER);
        channel.writeInbound(single);
        DatagramPacket passed = channel.readInbound();
        assertSame(single, passed);
        passed.release();
        channel.finish();
    }
}
