package io.panamanetty.codec;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferStatistics;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.embedded.EmbeddedChannel;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import static io.panamanetty.codec.CodecTestSupport.ascii;
import static io.panamanetty.codec.CodecTestSupport.drainExceptions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The encoder and decoder base classes: type matching, passing other messages on, releasing what they consume. */
@ExtendWith(LeakCheck.class)
class CodecBaseClassesTest {

    static final class IntEncoder extends MessageToByteEncoder<Integer> {
        @Override
        protected void encode(ChannelHandlerContext ctx, Integer value, Buffer out) {
            out.writeInt(value);
        }
    }

    static final class UpperCase extends MessageToMessageEncoder<String> {
        @Override
        protected void encode(ChannelHandlerContext ctx, String text, List<Object> out) {
            for (String word : text.split(" ")) {
                out.add(word.toUpperCase(Locale.ROOT));
            }
        }
    }

    /** Turns each text frame into an Integer; "boom" fails. */
    static final class ParseInt extends MessageToMessageDecoder<Buffer> {
        @Override
        protected void decode(ChannelHandlerContext ctx, Buffer frame, List<Object> out) {
            String text = frame.toString(StandardCharsets.US_ASCII);
            if (text.equals("boom")) {
                throw new NumberFormatException("not a number: " + text);
            }
            out.add(Integer.valueOf(text));
        }
    }

    static final class IntCodec extends ByteToMessageCodec<Integer> {
        @Override
        protected void encode(ChannelHandlerContext ctx, Integer value, Buffer out) {
            out.writeInt(value);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, Buffer in, List<Object> out) {
            if (in.readableBytes() >= 4) {
                out.add(in.readInt());
            }
        }
    }

    @Test
    void messageToByteEncoderEncodesItsTypeAndPassesOthersOn() {
        EmbeddedChannel ch = new EmbeddedChannel(new IntEncoder());
        try {
            ch.writeOutbound(0x01020304, "text");
            Buffer encoded = ch.readOutbound();
            try {
                assertArrayEquals(new byte[] {1, 2, 3, 4}, encoded.toByteArray());
            } finally {
                encoded.release();
            }
            assertEquals("text", ch.readOutbound(), "not an Integer: passed on untouched");
        } finally {
            ch.finish();
        }
    }

    @Test
    void anEncoderFailureFailsTheWriteAndReleasesTheMessage() {
        MessageToByteEncoder<Buffer> failing = new MessageToByteEncoder<>(Buffer.class) {
            @Override
            protected void encode(ChannelHandlerContext ctx, Buffer message, Buffer out) {
                out.writeByte(1);
                throw new IllegalStateException("cannot encode " + message.readableBytes() + " bytes");
            }
        };
        EmbeddedChannel ch = new EmbeddedChannel(failing);
        long before = BufferStatistics.outstandingBuffers();
        try {
            Buffer message = ascii(ch, "abc");
            ChannelFuture written = ch.runOnLoop(() -> ch.pipeline().writeAndFlush(message));
            EncoderException e = assertInstanceOf(EncoderException.class, written.cause());
            assertTrue(e.getMessage().contains("cannot encode 3 bytes"), e.getMessage());
            assertEquals(0, message.refCnt(), "the message was released");
            assertNull(ch.readOutbound());
            assertEquals(before, BufferStatistics.outstandingBuffers(), "the output buffer was released");
        } finally {
            ch.finish();
        }
    }

    @Test
    void messageToMessageEncoderWritesEveryMessageItMakes() {
        EmbeddedChannel ch = new EmbeddedChannel(new UpperCase());
        try {
            ChannelFuture written = ch.runOnLoop(() -> ch.pipeline().writeAndFlush("hello big world"));
            assertEquals("HELLO", ch.readOutbound());
            assertEquals("BIG", ch.readOutbound());
            assertEquals("WORLD", ch.readOutbound());
            assertTrue(written.isSuccess());
            ch.writeOutbound(42);
            assertEquals(42, (Integer) ch.readOutbound());
        } finally {
            ch.finish();
        }
    }

    @Test
    void messageToMessageDecoderDecodesReleasesAndGoesOnAfterAFailure() {
        EmbeddedChannel ch = new EmbeddedChannel(new ParseInt());
        try {
            Buffer seven = ascii(ch, "7");
            ch.writeInbound(seven, ascii(ch, "boom"), "a string", ascii(ch, "8"));
            assertEquals(7, (Integer) ch.readInbound());
            assertEquals("a string", ch.readInbound(), "not a Buffer: passed on");
            assertEquals(8, (Integer) ch.readInbound(), "the next message after the failure is decoded");
            assertEquals(0, seven.refCnt(), "the consumed frame was released");
            List<Throwable> errors = drainExceptions(ch);
            assertEquals(1, errors.size(), errors.toString());
            DecoderException e = assertInstanceOf(DecoderException.class, errors.get(0));
            assertInstanceOf(NumberFormatException.class, e.getCause());
            assertTrue(e.getMessage().contains("not a number: boom"), e.getMessage());
        } finally {
            ch.finish();
        }
    }

    @Test
    void byteToMessageCodecDecodesAndEncodes() {
        EmbeddedChannel ch = new EmbeddedChannel(new IntCodec());
        try {
            ch.writeInbound(ch.alloc().allocate(8).writeInt(5).writeShort(0));
            ch.writeInbound(ch.alloc().allocate(8).writeShort(6));
            assertEquals(5, (Integer) ch.readInbound());
            assertEquals(6, (Integer) ch.readInbound(), "cumulated across reads");
            ch.writeOutbound(9, "other");
            Buffer encoded = ch.readOutbound();
            try {
                assertEquals(9, encoded.readInt());
            } finally {
                encoded.release();
            }
            assertSame("other", ch.readOutbound());
        } finally {
            ch.finish();
        }
    }

    @Test
    void aGenericSubclassMustNameItsType() {
        class Generic<T> extends MessageToByteEncoder<T> {
            @Override
            protected void encode(ChannelHandlerContext ctx, T message, Buffer out) {
            }
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, Generic::new);
        assertTrue(e.getMessage().contains("pass the class to the constructor"), e.getMessage());
    }
}
