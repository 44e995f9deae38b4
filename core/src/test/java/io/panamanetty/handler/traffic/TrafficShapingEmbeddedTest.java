package io.panamanetty.handler.traffic;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.embedded.EmbeddedChannel;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shaping handlers on the embedded loop's clock: when held writes leave, when reads pause and resume. */
@ExtendWith(LeakCheck.class)
class TrafficShapingEmbeddedTest {

    private static Buffer bytes(EmbeddedChannel ch, int n) {
        return ch.alloc().allocate(n).writeBytes(new byte[n]);
    }

    /** Takes every buffer written so far; returns their sizes, and the non-buffer messages as -1. */
    private static List<Integer> drainOutbound(EmbeddedChannel ch) {
        List<Integer> sizes = new ArrayList<>();
        Object message;
        while ((message = ch.readOutbound()) != null) {
            if (message instanceof Buffer buffer) {
                sizes.add(buffer.readableBytes());
                buffer.release();
            } else {
                sizes.add(-1);
            }
        }
        return sizes;
    }

    @Test
    void writesOverTheLimitAreHeldAndLeaveAtTheRateInOrder() {
        List<Long> writtenPerInterval = new ArrayList<>();
        ChannelTrafficShapingHandler shaping = new ChannelTrafficShapingHandler(1000, 0, 1000) {
            @Override
            protected void doAccounting(TrafficCounter counter) {
                writtenPerInterval.add(counter.lastWrittenBytes());
            }
        };
        EmbeddedChannel ch = new EmbeddedChannel(shaping);
        List<ChannelFuture> writes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            writes.add(ch.write(bytes(ch, 100)));   // 100 ms each at 1000 B/s
        }
        writes.add(ch.write("tail"));   // counts 0 bytes, waits its turn
        ch.flush();
        assertEquals(List.of(), drainOutbound(ch), "the first write already needs 100 ms of the rate");
        assertEquals(500, shaping.heldBytes());
        ch.advanceTimeBy(99, TimeUnit.MILLISECONDS);
        assertEquals(List.of(), drainOutbound(ch));
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        assertEquals(List.of(100), drainOutbound(ch));
        assertEquals(400, shaping.heldBytes());
        ch.advanceTimeBy(250, TimeUnit.MILLISECONDS);
        assertEquals(List.of(100, 100), drainOutbound(ch), "at 350 ms: the writes due at 200 and 300 ms");
        ch.advanceTimeBy(150, TimeUnit.MILLISECONDS);
        assertEquals(List.of(100, 100, -1), drainOutbound(ch), "at 500 ms: the last two, then the tail");
        assertEquals(0, shaping.heldBytes());
        assertTrue(writes.stream().allMatch(ChannelFuture::isSuccess));
        ch.advanceTimeBy(500, TimeUnit.MILLISECONDS);
        assertEquals(List.of(500L), writtenPerInterval, "the first interval counted the 500 bytes written");
        assertEquals(500, shaping.trafficCounter().cumulativeWrittenBytes());
        assertFalse(ch.finish());
    }

    @Test
    void aWriteUnderTheRateGoesAtOnce() {
        ChannelTrafficShapingHandler shaping = new ChannelTrafficShapingHandler(1_000_000, 0, 1000);
        EmbeddedChannel ch = new EmbeddedChannel(shaping);
        ch.writeAndFlush(bytes(ch, 1000));   // 1 ms of the rate: below the 10 ms worth waiting for
        assertEquals(List.of(1000), drainOutbound(ch));
        assertFalse(ch.finish());
    }

    @Test
    void closingTheChannelFailsAndReleasesHeldWrites() {
        ChannelTrafficShapingHandler shaping = new ChannelTrafficShapingHandler(1000, 0, 1000);
        EmbeddedChannel ch = new EmbeddedChannel(shaping);
        Buffer held = bytes(ch, 500);
        ChannelFuture write = ch.writeAndFlush(held);
        assertEquals(500, shaping.heldBytes());
        ch.close();
        assertFalse(write.isSuccess());
        assertEquals(0, held.refCnt(), "the held buffer was released");
        assertEquals(0, shaping.heldBytes());
        assertNull(ch.readOutbound());
        ch.finish();
    }

    @Test
    void readsOverTheLimitTurnAutoReadOffForTheWaitThenBackOn() {
        List<Long> readPerInterval = new ArrayList<>();
        ChannelTrafficShapingHandler shaping = new ChannelTrafficShapingHandler(0, 1000, 1000) {
            @Override
            protected void doAccounting(TrafficCounter counter) {
                readPerInterval.add(counter.lastReadBytes());
            }
        };
        EmbeddedChannel ch = new EmbeddedChannel(shaping);
        ch.writeInbound(bytes(ch, 500));
        ch.drainInbound().forEach(m -> ((Buffer) m).release());
        assertFalse(ch.config().isAutoRead(), "500 bytes at 1000 B/s: reading pauses for 500 ms");
        ch.advanceTimeBy(499, TimeUnit.MILLISECONDS);
        assertFalse(ch.config().isAutoRead());
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        assertTrue(ch.config().isAutoRead(), "back on after the wait");
        ch.advanceTimeBy(500, TimeUnit.MILLISECONDS);
        assertEquals(List.of(500L), readPerInterval);
        assertFalse(ch.finish());
    }

    @Test
    void withAutoReadOffTheApplicationsReadRequestsWaitForThePauseAndTheSettingStays() {
        AtomicInteger readsPassed = new AtomicInteger();
        ChannelHandlerAdapter readRecorder = new ChannelHandlerAdapter() {
            @Override
            public void read(ChannelHandlerContext ctx) {
                readsPassed.incrementAndGet();
                ctx.read();
            }
        };
        ChannelTrafficShapingHandler shaping = new ChannelTrafficShapingHandler(0, 1000, 1000);
        EmbeddedChannel ch = new EmbeddedChannel(readRecorder, shaping);
        ch.config().setAutoRead(false);
        ch.writeInbound(bytes(ch, 200));
        ch.drainInbound().forEach(m -> ((Buffer) m).release());
        ch.read();
        assertEquals(0, readsPassed.get(), "the read request waits: 200 bytes need 200 ms of the rate");
        ch.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        assertEquals(1, readsPassed.get(), "passed on when the pause ended");
        assertFalse(ch.config().isAutoRead(), "the application's own setting is left alone");
        ch.read();
        assertEquals(2, readsPassed.get(), "no pause: passed at once");
        assertFalse(ch.finish());
    }

    @Test
    void aPauseNeverLastsLongerThanTheMaxTime() {
        ChannelTrafficShapingHandler shaping = new ChannelTrafficShapingHandler(0, 1000, 1000, 50);
        EmbeddedChannel ch = new EmbeddedChannel(shaping);
        ch.writeInbound(bytes(ch, 10_000));   // 10 s of the rate
        ch.drainInbound().forEach(m -> ((Buffer) m).release());
        assertFalse(ch.config().isAutoRead());
        ch.advanceTimeBy(50, TimeUnit.MILLISECONDS);
        assertTrue(ch.config().isAutoRead(), "resumed after the max time of 50 ms");
        assertFalse(ch.finish());
    }
}
