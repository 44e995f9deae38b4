package io.panamanetty.channel.internal;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.CompositeBuffer;
import io.panamanetty.buffer.UnpooledBufferAllocator;
import io.panamanetty.buffer.WrappedBuffers;
import io.panamanetty.channel.embedded.EmbeddedChannel;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A composite written to the outbound queue: every component in one description (one writev), one promise. */
@ExtendWith(LeakCheck.class)
class GatheredWritesTest {

    private record Range(long address, int length) {
    }

    @Test
    void allComponentsAreDescribedTogetherAndThePromiseFollowsTheLast(UnpooledBufferAllocator alloc) {
        EmbeddedChannel ch = new EmbeddedChannel();
        try {
            Buffer a = alloc.allocate(16).writeLong(1);
            Buffer b = alloc.allocate(16).writeInt(2);
            Buffer c = alloc.allocate(16).writeShort(3);
            CompositeBuffer composite = CompositeBuffer.of(a, b, c);
            composite.skipBytes(3);
            OutboundBuffer outbound = new OutboundBuffer();
            DefaultChannelPromise promise = new DefaultChannelPromise(ch);
            GatheredWrites.add(outbound::add, composite, alloc, promise);
            assertEquals(0, composite.refCnt(), "the composite itself is gone; its components are queued");
            assertEquals(3, outbound.size());
            assertEquals(11, outbound.pendingBytes());

            List<Range> ranges = new ArrayList<>();
            int count = outbound.describe((i, address, length) -> ranges.add(new Range(address, length)), 1024);
            assertEquals(3, count, "one gathering write holds every component");
            assertEquals(List.of(new Range(a.memoryAddress() + 3, 5), new Range(b.memoryAddress(), 4),
                    new Range(c.memoryAddress(), 2)), ranges, "the components' own memory: no copy");

            outbound.removeWritten(9);
            assertFalse(promise.isDone(), "not before the last component has left");
            assertEquals(0, a.refCnt(), "a sent component is released at once");
            outbound.removeWritten(2);
            assertTrue(promise.isSuccess());
            assertTrue(outbound.isEmpty());
        } finally {
            ch.finish();
        }
    }

    @Test
    void aHeapComponentIsCopiedAndAFailureFailsThePromise(UnpooledBufferAllocator alloc) {
        EmbeddedChannel ch = new EmbeddedChannel();
        try {
            Buffer heap = WrappedBuffers.wrap(new byte[] {1, 2, 3});
            CompositeBuffer composite = CompositeBuffer.of(alloc.allocate(4).writeByte(0), heap);
            OutboundBuffer outbound = new OutboundBuffer();
            DefaultChannelPromise promise = new DefaultChannelPromise(ch);
            GatheredWrites.add(outbound::add, composite, alloc, promise);
            assertEquals(0, heap.refCnt(), "copied into a native buffer, then released");
            assertEquals(4, outbound.pendingBytes());
            outbound.failAll(new java.io.IOException("connection reset"));
            assertInstanceOf(java.io.IOException.class, promise.cause());
        } finally {
            ch.finish();
        }
    }

    @Test
    void anEmptyCompositeCompletesAtOnce(UnpooledBufferAllocator alloc) {
        EmbeddedChannel ch = new EmbeddedChannel();
        try {
            OutboundBuffer outbound = new OutboundBuffer();
            DefaultChannelPromise promise = new DefaultChannelPromise(ch);
            GatheredWrites.add(outbound::add, CompositeBuffer.create(), alloc, promise);
            assertTrue(promise.isSuccess());
            assertTrue(outbound.isEmpty());
        } finally {
            ch.finish();
        }
    }
}
