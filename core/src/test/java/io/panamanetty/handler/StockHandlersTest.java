package io.panamanetty.handler;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.embedded.EmbeddedChannel;
import io.panamanetty.channel.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(LeakCheck.class)
class StockHandlersTest {

    @Test
    void idleStateHandlerFiresReaderIdleAndRepeats() throws Exception {
        List<IdleStateEvent> events = new CopyOnWriteArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new IdleStateHandler(50, 0, 0, TimeUnit.MILLISECONDS),
                new ChannelHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                        events.add((IdleStateEvent) event);
                    }
                });
        try {
            waitFor(() -> events.size() >= 2);
            assertEquals(new IdleStateEvent(IdleState.READER_IDLE, true), events.get(0));
            assertEquals(new IdleStateEvent(IdleState.READER_IDLE, false), events.get(1));
        } finally {
            ch.finish();
        }
    }

    @Test
    void readsKeepTheReaderIdleEventAway() throws Exception {
        List<IdleStateEvent> events = new CopyOnWriteArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new IdleStateHandler(0, 0, 200, TimeUnit.MILLISECONDS),
                new ChannelHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                        events.add((IdleStateEvent) event);
                    }
                });
        try {
            ch.writeInbound("keep-alive");
            ch.drainInbound();
            waitFor(() -> !events.isEmpty());
            assertEquals(IdleState.ALL_IDLE, events.get(0).state());
            assertTrue(events.get(0).first());
        } finally {
            ch.finish();
        }
    }

    @Test
    void hexDumpShowsOffsetsHexAndAscii() {
        EmbeddedChannel ch = new EmbeddedChannel();
        Buffer buffer = ch.alloc().copyOf("Hello, panama-netty!\n", StandardCharsets.US_ASCII);
        try {
            String dump = HexDump.dump(buffer);
            assertEquals("21B\n"
                    + "00000000  48 65 6c 6c 6f 2c 20 70 61 6e 61 6d 61 2d 6e 65  |Hello, panama-ne|\n"
                    + "00000010  74 74 79 21 0a                                   |tty!.|", dump);
            assertEquals(0, buffer.readerIndex());
        } finally {
            buffer.release();
            ch.finish();
        }
    }

    @Test
    void loggingHandlerPassesEverythingOn() {
        EmbeddedChannel ch = new EmbeddedChannel(new LoggingHandler("test.logging", System.Logger.Level.INFO));
        try {
            Buffer in = ch.alloc().copyOf("in", StandardCharsets.US_ASCII);
            ch.writeInbound(in);
            ch.writeOutbound("out");
            Buffer read = ch.readInbound();
            assertEquals("in", read.toString(StandardCharsets.US_ASCII));
            read.release();
            assertEquals("out", ch.readOutbound());
        } finally {
            ch.finish();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 30 s");
            Thread.sleep(5);
        }
    }
}
