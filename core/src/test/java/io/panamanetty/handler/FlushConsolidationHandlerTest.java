package io.panamanetty.handler;

import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.embedded.EmbeddedChannel;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link FlushConsolidationHandler} on an embedded channel, counting the flushes that reach the head. */
@ExtendWith(LeakCheck.class)
class FlushConsolidationHandlerTest {

    /** Sits between the head and the handler under test: counts flushes and notes the order of outbound events. */
    static final class FlushCounter extends ChannelHandlerAdapter {
        int flushes;
        final List<String> events = new ArrayList<>();

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes++;
            events.add("flush");
            ctx.flush();
        }

        @Override
        public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
            events.add("close");
            ctx.close(promise);
        }
    }

    /** Answers each message read with a write and a flush of its own. */
    static final class FlushPerMessage extends ChannelHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            ctx.writeAndFlush(message);
        }
    }

    private static Object[] messages(int count) {
        Object[] messages = new Object[count];
        for (int i = 0; i < count; i++) {
            messages[i] = "m" + i;
        }
        return messages;
    }

    /** Reads out (and drops) the messages written toward the socket; they are strings here. */
    private static int outboundCount(EmbeddedChannel ch) {
        int count = 0;
        while (ch.readOutbound() != null) {
            count++;
        }
        return count;
    }

    @Test
    void flushesDuringAReadBatchBecomeOneAtReadComplete() {
        FlushCounter head = new FlushCounter();
        EmbeddedChannel ch = new EmbeddedChannel(head, new FlushConsolidationHandler(), new FlushPerMessage());
        try {
            ch.writeInbound(messages(10));
            assertEquals(1, head.flushes, "ten flushes in one read batch, one at its end");
            for (int i = 0; i < 10; i++) {
                assertEquals("m" + i, ch.readOutbound());
            }
            ch.writeInbound(messages(3));
            assertEquals(2, head.flushes, "one per batch");
        } finally {
            ch.finish();
        }
    }

    @Test
    void everyExplicitCountOfHeldFlushesPassesOne() {
        FlushCounter head = new FlushCounter();
        EmbeddedChannel ch = new EmbeddedChannel(head, new FlushConsolidationHandler(3), new FlushPerMessage());
        try {
            ch.writeInbound(messages(7));
            assertEquals(3, head.flushes, "after the 3rd and 6th flush, then the 7th at read complete");
            assertEquals(7, outboundCount(ch));
        } finally {
            ch.finish();
        }
    }

    @Test
    void outsideReadsFlushesPassAtOnceOrAreGatheredIntoOneTask() {
        FlushCounter direct = new FlushCounter();
        EmbeddedChannel plain = new EmbeddedChannel(direct, new FlushConsolidationHandler());
        FlushCounter gathered = new FlushCounter();
        EmbeddedChannel consolidating = new EmbeddedChannel(gathered, new FlushConsolidationHandler(256, true));
        try {
            plain.runOnLoop(() -> {
                for (int i = 0; i < 5; i++) {
                    plain.pipeline().writeAndFlush("x" + i);
                }
                return null;
            });
            assertEquals(5, direct.flushes, "no read in progress, not consolidating: each flush passes");

            int[] seenInsideTheTask = new int[1];
            consolidating.runOnLoop(() -> {
                for (int i = 0; i < 5; i++) {
                    consolidating.pipeline().writeAndFlush("y" + i);
                }
                seenInsideTheTask[0] = gathered.flushes;
                return null;
            });
            assertEquals(0, seenInsideTheTask[0], "held while the task runs");
            assertEquals(1, gathered.flushes, "five flushes, one in a later task");
            assertEquals(5, outboundCount(consolidating));
            assertEquals(5, outboundCount(plain));
        } finally {
            plain.finish();
            consolidating.finish();
        }
    }

    @Test
    void aHeldFlushIsDoneBeforeCloseAndOnRemoval() {
        FlushCounter head = new FlushCounter();
        FlushConsolidationHandler consolidation = new FlushConsolidationHandler(256, true);
        EmbeddedChannel ch = new EmbeddedChannel(head, consolidation);
        try {
            ch.runOnLoop(() -> {
                ch.pipeline().writeAndFlush("last words");
                ch.close();
                return null;
            });
            assertEquals(List.of("flush", "close"), head.events, "the held flush went out before the close");
            assertEquals("last words", ch.readOutbound());
        } finally {
            ch.finish();
        }

        FlushCounter head2 = new FlushCounter();
        FlushConsolidationHandler removed = new FlushConsolidationHandler(256, true);
        EmbeddedChannel ch2 = new EmbeddedChannel(head2, removed);
        try {
            ch2.runOnLoop(() -> {
                ch2.pipeline().writeAndFlush("held");
                ch2.pipeline().remove(removed);
                return null;
            });
            assertEquals(1, head2.flushes, "flushed as it was removed");
            assertEquals("held", ch2.readOutbound());
        } finally {
            ch2.finish();
        }
    }

    @Test
    void rejectsANonPositiveCount() {
        assertThrows(IllegalArgumentException.class, () -> new FlushConsolidationHandler(0));
    }
}
