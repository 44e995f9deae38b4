package io.panamanetty.codec;

import io.panamanetty.testing.LeakCheck;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferStatistics;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelInputShutdownEvent;
import io.panamanetty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.panamanetty.codec.CodecTestSupport.ascii;
import static io.panamanetty.codec.CodecTestSupport.bytes;
import static io.panamanetty.codec.CodecTestSupport.drainExceptions;
import static io.panamanetty.codec.CodecTestSupport.drainStrings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(LeakCheck.class)
class ByteToMessageDecoderTest {

    /** Decodes big-endian 4-byte ints. */
    static final class IntDecoder extends ByteToMessageDecoder {
        @Override
        protected void decode(ChannelHandlerContext ctx, Buffer in, List<Object> out) {
            if (in.readableBytes() >= 4) {
                out.add(in.readInt());
            }
        }
    }

    /** Decodes 2-byte frames as retained slices; on the last pass, emits the odd byte left as well. */
    static final class PairDecoder extends ByteToMessageDecoder {
        @Override
        protected void decode(ChannelHandlerContext ctx, Buffer in, List<Object> out) {
            if (in.readableBytes() >= 2) {
                out.add(in.readBytes(2));
            }
        }

        @Override
        protected void decodeLast(ChannelHandlerContext ctx, Buffer in, List<Object> out) {
            out.add(in.readBytes(in.readableBytes()));
        }
    }

    @Test
    void cumulatesFragmentsAndReleasesEveryInput() {
        EmbeddedChannel ch = new EmbeddedChannel(new IntDecoder());
        try {
            Buffer first = bytes(ch, new byte[] {0, 0});
            Buffer second = bytes(ch, new byte[] {1, 2, 0, 0, 0});
            Buffer third = bytes(ch, new byte[] {3, 0, 0, 0, 4});
            ch.writeInbound(first);
            assertNull(ch.readInbound());
            ch.writeInbound(second, third);
            assertEquals(0, first.refCnt());
            assertEquals(0, second.refCnt());
            assertEquals(0, third.refCnt());
            assertEquals(258, (Integer) ch.readInbound());
            assertEquals(3, (Integer) ch.readInbound());
            assertEquals(4, (Integer) ch.readInbound());
            assertNull(ch.readInbound());
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void nonBufferMessagesPassThroughUntouchedAndInOrder() {
        Object marker = new Object();
        EmbeddedChannel ch = new EmbeddedChannel(new IntDecoder());
        try {
            ch.writeInbound(bytes(ch, new byte[] {0, 0, 0, 1, 0}), marker, "text",
                    bytes(ch, new byte[] {0, 0, 2}));
            assertEquals(1, (Integer) ch.readInbound());
            assertSame(marker, ch.readInbound());
            assertEquals("text", ch.readInbound());
            assertEquals(2, (Integer) ch.readInbound());
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void slicesHandedOnStayIntactWhileTheCumulationMovesAndCompacts() {
        EmbeddedChannel ch = new EmbeddedChannel(new PairDecoder());
        try {
            ch.writeInbound(ascii(ch, "abc"));
            Buffer ab = ch.readInbound();
            // many more bytes: the cumulation must move (the slice pins the old block)
            ch.writeInbound(ascii(ch, "d" + "xy".repeat(5000)));
            assertEquals("ab", ab.toString(java.nio.charset.StandardCharsets.US_ASCII));
            Buffer cd = ch.readInbound();
            assertEquals("cd", cd.toString(java.nio.charset.StandardCharsets.US_ASCII));
            ab.release();
            cd.release();
            List<String> rest = drainStrings(ch);
            assertEquals(5000, rest.size());
            assertTrue(rest.stream().allMatch("xy"::equals));
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void decodeLastRunsWhenTheChannelGoesInactive() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(new PairDecoder());
        try {
            ch.writeInbound(ascii(ch, "abc"));
            ch.close();
            assertTrue(ch.closeFuture().await(10, TimeUnit.SECONDS));
            assertEquals(List.of("ab", "c"), drainStrings(ch));
        } finally {
            ch.finish();
        }
    }

    @Test
    void decodeLastRunsOnInputShutdown() {
        EmbeddedChannel ch = new EmbeddedChannel(new PairDecoder());
        try {
            ch.writeInbound(ascii(ch, "xyz"));
            assertEquals(List.of("xy"), drainStrings(ch));
            ch.fireUserEvent(ChannelInputShutdownEvent.INSTANCE);
            assertEquals(List.of("z"), drainStrings(ch));
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void incompleteInputIsReleasedOnClose() {
        EmbeddedChannel ch = new EmbeddedChannel(new IntDecoder());
        try {
            ch.writeInbound(bytes(ch, new byte[] {1, 2, 3}));
        } finally {
            assertFalse(ch.finish());   // LeakCheck verifies the 3 cumulated bytes were freed
        }
    }

    @Test
    void removingTheDecoderForwardsTheUndecodedBytes() {
        IntDecoder decoder = new IntDecoder();
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        try {
            ch.writeInbound(bytes(ch, new byte[] {0, 0, 0, 7, 'h', 'i'}));
            assertEquals(7, (Integer) ch.readInbound());
            ch.runOnLoop(() -> ch.pipeline().remove(decoder));
            assertEquals(List.of("hi"), drainStrings(ch));
            ch.writeInbound(ascii(ch, "raw"));   // now nothing decodes
            assertEquals(List.of("raw"), drainStrings(ch));
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void aHandlerRemovingTheDecoderMidStreamGetsTheRestAfterTheFrameItSaw() {
        PairDecoder decoder = new PairDecoder();
        List<Object> seen = new ArrayList<>();
        ChannelHandler switcher = new ChannelHandler() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object message) {
                Buffer buffer = (Buffer) message;
                seen.add(buffer.toString(java.nio.charset.StandardCharsets.US_ASCII));
                if (ctx.pipeline().get("decoder") != null) {
                    ctx.pipeline().remove("decoder");   // e.g. a protocol switch after a greeting
                }
            }
        };
        EmbeddedChannel ch = new EmbeddedChannel();
        try {
            ch.runOnLoop(() -> ch.pipeline().addLast("decoder", decoder).addLast("switcher", switcher));
            ch.writeInbound(ascii(ch, "HIrest-of-stream"));
            assertEquals(List.of("HI", "rest-of-stream"), seen);
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void aFailingDecodeFiresWhatCameBeforeThenTheWrappedExceptionThenDiscards() {
        ByteToMessageDecoder decoder = new ByteToMessageDecoder() {
            @Override
            protected void decode(ChannelHandlerContext ctx, Buffer in, List<Object> out) {
                byte b = in.readByte();
                if (b == '!') {
                    throw new IllegalStateException("bang");
                }
                out.add(String.valueOf((char) b));
            }
        };
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        try {
            long before = BufferStatistics.outstandingBuffers();
            ch.writeInbound(ascii(ch, "ab!cd"));
            assertEquals("a", ch.readInbound());
            assertEquals("b", ch.readInbound());
            assertNull(ch.readInbound());
            List<Throwable> errors = drainExceptions(ch);
            assertEquals(1, errors.size());
            DecoderException wrapped = assertInstanceOf(DecoderException.class, errors.get(0));
            assertInstanceOf(IllegalStateException.class, wrapped.getCause());
            assertTrue(decoder.isFailed());
            Buffer late = ascii(ch, "more");
            ch.writeInbound(late, "not a buffer");
            assertEquals(0, late.refCnt());
            assertEquals("not a buffer", ch.readInbound());
            assertEquals(before, BufferStatistics.outstandingBuffers());   // cumulation released on failure
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void aDecodeThatProducesWithoutConsumingIsStopped() {
        EmbeddedChannel ch = new EmbeddedChannel(new ByteToMessageDecoder() {
            @Override
            protected void decode(ChannelHandlerContext ctx, Buffer in, List<Object> out) {
                out.add("again");
            }
        });
        try {
            ch.writeInbound(ascii(ch, "x"));
            assertEquals(List.of("again"), ch.drainInbound());
            List<Throwable> errors = drainExceptions(ch);
            assertEquals(1, errors.size());
            assertTrue(errors.get(0).getMessage().contains("without consuming"), errors.get(0).getMessage());
        } finally {
            assertFalse(ch.finish());
        }
    }

    @ChannelHandler.Sharable
    static final class SharableDecoder extends ByteToMessageDecoder {
        @Override
        protected void decode(ChannelHandlerContext ctx, Buffer in, List<Object> out) {
        }
    }

    @Test
    void aSharableDecoderIsRejected() {
        assertThrows(IllegalStateException.class, SharableDecoder::new);
    }

    @Test
    void theCumulationStaysSmallWhileAStreamFlowsThrough() {
        int[] frames = {0};
        long[] peakBytes = {0};
        long baseline = BufferStatistics.outstandingBytes();
        ChannelHandler consumer = new ChannelHandler() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object message) {
                frames[0]++;   // released by the framework on return
                peakBytes[0] = Math.max(peakBytes[0], BufferStatistics.outstandingBytes() - baseline);
            }
        };
        EmbeddedChannel ch = new EmbeddedChannel(new FixedLengthFrameDecoder(100), consumer);
        try {
            byte[] chunk = new byte[1000 - 1];   // never a multiple of the frame: a partial frame always waits
            for (int i = 0; i < 1000; i++) {
                ch.writeInbound(bytes(ch, chunk));
            }
            assertEquals(1000 * 999 / 100, frames[0]);
            // the input chunk (999) plus a cumulation of a few KiB at most, never the 1 MB streamed
            assertTrue(peakBytes[0] < 8 * 1024, "peak outstanding bytes " + peakBytes[0]);
        } finally {
            assertFalse(ch.finish());
        }
    }
}
