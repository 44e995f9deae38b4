package io.panamanetty.channel.group;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.UnpooledBufferAllocator;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.embedded.EmbeddedChannel;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(LeakCheck.class)
class DefaultChannelGroupTest {

    /** Fails every write, releasing what it was given. */
    private static final class RefusingWrites extends ChannelHandlerAdapter {
        @Override
        public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
            if (message instanceof Buffer buffer) {
                buffer.release();
            }
            promise.tryFailure(new IOException("refused"));
        }
    }

    @Test
    void aFailedPartFailsTheGroupFutureNamingTheChannel(UnpooledBufferAllocator allocator) {
        EmbeddedChannel good = new EmbeddedChannel();
        EmbeddedChannel bad = new EmbeddedChannel(new RefusingWrites());
        try {
            ChannelGroup group = new DefaultChannelGroup("mixed");
            group.add(good);
            group.add(bad);
            Buffer buffer = allocator.copyOf("hi", StandardCharsets.US_ASCII);
            AtomicInteger notified = new AtomicInteger();
            ChannelGroupFuture future = group.writeAndFlush(buffer).addListener(f -> notified.incrementAndGet());
            assertTrue(future.isDone());
            assertEquals(1, notified.get());
            assertFalse(future.isSuccess());
            assertTrue(future.isPartialSuccess() && future.isPartialFailure());
            List<Map.Entry<Channel, Throwable>> failures = future.cause().failures();
            assertEquals(1, failures.size());
            assertSame(bad, failures.getFirst().getKey());
            assertEquals("refused", failures.getFirst().getValue().getMessage());
            assertTrue(future.find(good).isSuccess());
            assertThrows(ChannelGroupException.class, future::sync);

            Buffer sent = good.readOutbound();
            assertEquals("hi", sent.toString(StandardCharsets.US_ASCII));
            assertEquals(1, buffer.refCnt(), "only the good channel's view holds a reference");
            sent.release();
            assertEquals(0, buffer.refCnt());
        } finally {
            good.finish();
            bad.finish();
        }
    }

    @Test
    void eachChannelGetsItsOwnIndicesOverTheSameMemory(UnpooledBufferAllocator allocator) {
        EmbeddedChannel a = new EmbeddedChannel();
        EmbeddedChannel b = new EmbeddedChannel();
        try {
            ChannelGroup group = new DefaultChannelGroup();
            group.add(a);
            group.add(b);
            Buffer buffer = allocator.copyOf("shared", StandardCharsets.US_ASCII);
            assertTrue(group.write(buffer).isSuccess());
            Buffer toA = a.readOutbound();
            Buffer toB = b.readOutbound();
            assertEquals(toA.memoryAddress(), toB.memoryAddress(), "one memory, not a copy");
            toA.skipBytes(6);
            assertEquals("shared", toB.toString(StandardCharsets.US_ASCII), "reading one view moves no other");
            toA.release();
            toB.release();
            assertEquals(0, buffer.refCnt());
        } finally {
            a.finish();
            b.finish();
        }
    }

    @Test
    void removedAndClosedChannelsLeaveAndAnEmptyOperationSucceeds() {
        EmbeddedChannel a = new EmbeddedChannel();
        EmbeddedChannel b = new EmbeddedChannel();
        try {
            ChannelGroup group = new DefaultChannelGroup("leaving");
            assertTrue(group.add(a));
            assertFalse(group.add(a), "already a member");
            assertTrue(group.add(b));
            assertSame(a, group.find(a.id()));
            for (int i = 0; i < 1000; i++) {   // each removal takes its close listener back
                assertTrue(group.remove(a));
                assertTrue(group.add(a));
            }
            ChannelGroupFuture bothClosed = group.newCloseFuture();
            b.close();
            assertFalse(group.contains(b), "a closed channel leaves by itself");
            assertFalse(bothClosed.isDone());
            group.remove(a);
            a.close();
            assertTrue(bothClosed.isSuccess(), "closing is what it waits for, membership aside");
            assertTrue(group.isEmpty());
            assertTrue(group.writeAndFlush("nobody").isSuccess(), "no member: done at once");
        } finally {
            a.finish();
            b.finish();
        }
    }

    @Test
    void aStayClosedGroupClosesLateArrivals() {
        EmbeddedChannel early = new EmbeddedChannel();
        EmbeddedChannel late = new EmbeddedChannel();
        try {
            ChannelGroup group = new DefaultChannelGroup("stays-closed", true);
            group.add(early);
            assertTrue(group.close().isSuccess());
            assertFalse(early.isOpen());
            group.add(late);
            assertFalse(late.isOpen(), "added after the group closed: closed at once");
            assertTrue(group.isEmpty());
        } finally {
            early.finish();
            late.finish();
        }
    }

    @Test
    void matchersPickChannels() {
        EmbeddedChannel a = new EmbeddedChannel();
        EmbeddedChannel b = new EmbeddedChannel();
        try {
            ChannelGroup group = new DefaultChannelGroup("matched");
            group.add(a);
            group.add(b);
            assertEquals(1, group.writeAndFlush("to b", ChannelMatcher.isNot(a)).size());
            assertEquals("to b", b.readOutbound());
            assertEquals(1, group.close(ChannelMatcher.is(a).and(ChannelMatcher.isNonServerChannel())).size());
            assertFalse(a.isOpen());
            assertTrue(b.isOpen());
            assertEquals(0, group.close(ChannelMatcher.isServerChannel()).size());
        } finally {
            a.finish();
            b.finish();
        }
    }
}
