package io.panamanetty.codec;

import io.panamanetty.testing.LeakCheck;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static io.panamanetty.codec.CodecTestSupport.ascii;
import static io.panamanetty.codec.CodecTestSupport.drainStrings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

@ExtendWith(LeakCheck.class)
class LengthFieldPrependerTest {

    private static byte[] take(EmbeddedChannel ch) {
        Buffer buffer = ch.readOutbound();
        try {
            return buffer.toByteArray();
        } finally {
            buffer.release();
        }
    }

    @Test
    void writesAHeaderThenThePayloadItselfWithoutCopying() {
        EmbeddedChannel ch = new EmbeddedChannel(new LengthFieldPrepender(2));
        try {
            Buffer payload = ascii(ch, "hello");
            ch.writeOutbound(payload);
            assertArrayEquals(new byte[] {0, 5}, take(ch));
            Buffer sent = ch.readOutbound();
            assertSame(payload, sent);
            assertEquals("hello", sent.toString(StandardCharsets.US_ASCII));
            sent.release();
            assertNull(ch.readOutbound());
        } finally {
            assertFalse(ch.finish());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8})
    void eachWidthCanCountItself(int fieldLength) {
        EmbeddedChannel ch = new EmbeddedChannel(new LengthFieldPrepender(fieldLength, true));
        try {
            ch.writeOutbound(ascii(ch, "abc"));
            byte[] header = take(ch);
            assertEquals(fieldLength, header.length);
            assertEquals(fieldLength + 3, header[fieldLength - 1]);
            for (int i = 0; i < fieldLength - 1; i++) {
                assertEquals(0, header[i]);
            }
            assertArrayEquals("abc".getBytes(), take(ch));
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void aPayloadTooLongForTheFieldFailsTheWriteAndIsReleased() {
        AtomicReference<ChannelFuture> result = new AtomicReference<>();
        EmbeddedChannel ch = new EmbeddedChannel(new LengthFieldPrepender(1));
        try {
            Buffer payload = ch.alloc().allocate(256).writerIndex(256);
            ch.runOnLoop(() -> {
                result.set(ch.pipeline().write(payload));
                return null;
            });
            assertTrue(result.get().isDone());
            EncoderException e = assertInstanceOf(EncoderException.class, result.get().cause());
            assertTrue(e.getMessage().contains("256") && e.getMessage().contains("255"), e.getMessage());
            assertEquals(0, payload.refCnt());
            assertNull(ch.readOutbound());
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void theWriteFailsWhenTheHeaderFails() {
        ChannelHandler failFirstWrite = new ChannelHandler() {
            private boolean failed;

            @Override
            public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
                if (!failed) {
                    failed = true;
                    ((Buffer) message).release();
                    promise.tryFailure(new IllegalStateException("no room for the header"));
                    return;
                }
                ctx.write(message, promise);
            }
        };
        AtomicReference<ChannelFuture> result = new AtomicReference<>();
        EmbeddedChannel ch = new EmbeddedChannel(failFirstWrite, new LengthFieldPrepender(4));
        try {
            ch.runOnLoop(() -> {
                result.set(ch.pipeline().write(ascii(ch, "x")));
                return null;
            });
            assertInstanceOf(IllegalStateException.class, result.get().cause());
        } finally {
            ch.finish();
        }
    }

    @Test
    void otherMessagesPassThrough() {
        EmbeddedChannel ch = new EmbeddedChannel(new LengthFieldPrepender(4));
        try {
            ch.writeOutbound("text");
            assertEquals("text", ch.readOutbound());
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void roundTripsThroughTheDecoder() {
        EmbeddedChannel out = new EmbeddedChannel(new LengthFieldPrepender(4));
        EmbeddedChannel in = new EmbeddedChannel(new LengthFieldFrameDecoder(1024, 0, 4, 0, 4));
        try {
            out.writeOutbound(ascii(out, "one"), ascii(out, ""), ascii(out, "three"));
            Buffer message;
            while ((message = out.readOutbound()) != null) {
                in.writeInbound(message);
            }
            assertEquals(List.of("one", "", "three"), drainStrings(in));
        } finally {
            assertFalse(out.finish());
            assertFalse(in.finish());
        }
    }

    @Test
    void rejectsAnOddFieldLength() {
        assertThrows(IllegalArgumentException.class, () -> new LengthFieldPrepender(5));
    }
}
