package io.panamanetty.handler;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.JulCapture;
import io.panamanetty.channel.embedded.EmbeddedChannel;
import io.panamanetty.testing.LeakCheck;
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
            ch.advanceTimeBy(49, TimeUnit.MILLISECONDS);
            assertEquals(List.of(), events, "not idle for 50 ms yet");
            ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
            assertEquals(List.of(new IdleStateEvent(IdleState.READER_IDLE, true)), events);
            ch.advanceTimeBy(50, TimeUnit.MILLISECONDS);
            assertEquals(List.of(new IdleStateEvent(IdleState.READER_IDLE, true),
                    new IdleStateEvent(IdleState.READER_IDLE, false)), events);
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
            ch.advanceTimeBy(150, TimeUnit.MILLISECONDS);
            ch.writeInbound("keep-alive");   // 150 ms in: the idle period starts again
            ch.drainInbound();
            ch.advanceTimeBy(100, TimeUnit.MILLISECONDS);
            assertEquals(List.of(), events, "a read 100 ms ago: not idle for 200 ms");
            ch.advanceTimeBy(99, TimeUnit.MILLISECONDS);
            assertEquals(List.of(), events);
            ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
            assertEquals(1, events.size());
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

    @Test
    void loggingHandlerLogsTheHandshakeAndReadRequestsToo() throws Exception {
        ChannelHandlerAdapter handshaker = new ChannelHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                ctx.fireChannelActive();
                ctx.fireChannelHandshakeComplete();   // as a TLS handler in front would
            }
        };
        try (JulCapture log = new JulCapture()) {
            EmbeddedChannel ch = new EmbeddedChannel(handshaker, new LoggingHandler("test.logging", System.Logger.Level.INFO));
            try {
                ch.read();
                String text = log.text();
                assertTrue(text.contains("HANDSHAKE_COMPLETE"), text);
                assertTrue(text.contains("READ_REQUEST"), text);
            } finally {
                ch.finish();
            }
        }
    }
}
