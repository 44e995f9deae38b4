package io.panamanetty.channel.internal;

import io.panamanetty.testing.LeakCheck;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.IllegalReferenceCountException;
import io.panamanetty.buffer.PooledBufferAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.panamanetty.channel.embedded.EmbeddedChannel;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;

/**
 * The channel layer's bookkeeping when the pooled allocator hands a released buffer object
 * back out at once: the ownership rule of {@code channelRead} and the outbound queue must
 * tell the new buffer from the old reference.
 */
@ExtendWith(LeakCheck.class)
class RecycledBufferRulesTest {
    private final PooledBufferAllocator pooled = new PooledBufferAllocator();

    @AfterEach
    void releaseCaches() {
        PooledBufferAllocator.releaseThreadCaches();
    }

    @Test
    void aCallbackThatReleasesItsInputAndKeepsTheSameObjectAsANewBufferKeepsIt() {
        AtomicBoolean sameObject = new AtomicBoolean();
        Buffer[] kept = new Buffer[1];
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object message) {
                ((Buffer) message).release();
                Buffer reply = pooled.allocate(64);
                sameObject.set(reply == message);
                kept[0] = reply.retain();   // two references, both the handler's
            }
        });
        try {
            channel.writeInbound(pooled.allocate(64).writeInt(42));
            assertTrue(sameObject.get(), "precondition: the released object came back from allocate()");
            assertEquals(2, kept[0].refCnt(), "the framework released a buffer the callback did not receive");
        } finally {
            channel.finish();
        }
        assertFalse(kept[0].release());
        assertTrue(kept[0].release());
    }

    @Test
    void anEntryWhoseBufferWasReleasedAndReusedIsDroppedNotSent() {
        EmbeddedChannel channel = new EmbeddedChannel();
        try {
            OutboundBuffer queue = new OutboundBuffer();
            Buffer once = pooled.allocate(16).writeBytes("first".getBytes(StandardCharsets.US_ASCII));
            DefaultChannelPromise firstWrite = new DefaultChannelPromise(channel);
            DefaultChannelPromise secondWrite = new DefaultChannelPromise(channel);
            queue.add(once, firstWrite);
            queue.add(once, secondWrite);   // the same reference written twice: a handler's bug

            queue.removeWritten(5);   // the first entry went out: its release frees the buffer
            assertTrue(firstWrite.isSuccess());
            Buffer other = pooled.allocate(16).writeBytes("SECRET".getBytes(StandardCharsets.US_ASCII));
            assertSame(once, other, "precondition: the freed object is reused at once");

            assertNull(queue.first(), "the stale entry must not be sent: it would send SECRET");
            assertTrue(queue.isEmpty());
            assertEquals(0, queue.pendingBytes());
            assertTrue(secondWrite.isDone() && !secondWrite.isSuccess());
            assertInstanceOf(IllegalReferenceCountException.class, secondWrite.cause());
            assertEquals(1, other.refCnt(), "the new owner's buffer was not released");
            assertTrue(other.release());
        } finally {
            channel.finish();
        }
    }

    @Test
    void anEntryReleasedWhileItsBytesWereInFlightIsNotReleasedAgain() {
        EmbeddedChannel channel = new EmbeddedChannel();
        try {
            OutboundBuffer queue = new OutboundBuffer();
            Buffer once = pooled.allocate(16).writeBytes("abc".getBytes(StandardCharsets.US_ASCII));
            DefaultChannelPromise firstWrite = new DefaultChannelPromise(channel);
            DefaultChannelPromise secondWrite = new DefaultChannelPromise(channel);
            Buffer[] reused = new Buffer[1];
            firstWrite.addListener(f -> reused[0] = pooled.allocate(16));   // takes the freed object
            queue.add(once, firstWrite);
            queue.add(once, secondWrite);

            queue.removeWritten(6);   // one writev sent both entries
            assertSame(once, reused[0], "precondition: the listener got the freed object");
            assertTrue(queue.isEmpty());
            assertEquals(0, queue.pendingBytes());
            assertInstanceOf(IllegalReferenceCountException.class, secondWrite.cause());
            assertEquals(1, reused[0].refCnt(), "the listener's new buffer was not released by the queue");
            assertTrue(reused[0].release());
        } finally {
            channel.finish();
        }
    }
}
