package io.panamanetty.codec;

import io.panamanetty.testing.LeakCheck;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferStatistics;
import io.panamanetty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.panamanetty.codec.CodecTestSupport.bytes;
import static io.panamanetty.codec.CodecTestSupport.drainExceptions;
import static io.panamanetty.codec.CodecTestSupport.drainStrings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(LeakCheck.class)
class LengthFieldFrameDecoderTest {

    private static Buffer frame(EmbeddedChannel ch, int fieldLength, long value, String body) {
        Buffer buffer = ch.alloc().allocate(fieldLength + body.length());
        LengthFields.write(buffer, fieldLength, value, java.nio.ByteOrder.BIG_ENDIAN);
        buffer.writeCharSequence(body, java.nio.charset.StandardCharsets.ISO_8859_1);
        return buffer;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8})
    void stripsTheFieldOfEachWidth(int fieldLength) {
        EmbeddedChannel ch = new EmbeddedChannel(new LengthFieldFrameDecoder(1024, 0, fieldLength, 0, fieldLength));
        try {
            ch.writeInbound(frame(ch, fieldLength, 5, "hello"), frame(ch, fieldLength, 0, ""),
                    frame(ch, fieldLength, 3, "abc"));
            assertEquals(List.of("hello", "", "abc"), drainStrings(ch));
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void keepsTheHeaderWhenNotStripped() {
        EmbeddedChannel ch = new EmbeddedChannel(new LengthFieldFrameDecoder(1024, 2));
        try {
            ch.writeInbound(frame(ch, 2, 2, "hi"));
            assertEquals(List.of("\0\u0002hi"), drainStrings(ch));
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void offsetAdjustmentAndPartialStrip() {
        // [magic 'M'][2-byte length of the payload]['v' version byte][payload]; emit from the version on
        EmbeddedChannel ch = new EmbeddedChannel(new LengthFieldFrameDecoder(100, 1, 2, 1, 3));
        try {
            Buffer in = ch.alloc().allocate(16);
            in.writeByte('M').writeShort(4).writeByte('v').writeBytes("data".getBytes());
            ch.writeInbound(in);
            assertEquals(List.of("vdata"), drainStrings(ch));
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void aLengthCountingTheWholeFrame() {
        EmbeddedChannel ch = new EmbeddedChannel(new LengthFieldFrameDecoder(100, 0, 4, -4, 4));
        try {
            ch.writeInbound(frame(ch, 4, 7, "abc"), frame(ch, 4, 4, ""));
            assertEquals(List.of("abc", ""), drainStrings(ch));
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void waitsForHeaderAndBodyArrivingByteByByte() {
        EmbeddedChannel ch = new EmbeddedChannel(new LengthFieldFrameDecoder(100, 0, 4, 0, 4));
        try {
            byte[] stream = {0, 0, 0, 3, 'x', 'y', 'z', 0, 0, 0, 1, '!'};
            for (byte b : stream) {
                ch.writeInbound(bytes(ch, new byte[] {b}));
            }
            assertEquals(List.of("xyz", "!"), drainStrings(ch));
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void aTooLongFrameFailsAsSoonAsItsHeaderArrivesThenInputIsDiscarded() {
        LengthFieldFrameDecoder decoder = new LengthFieldFrameDecoder(64, 0, 4, 0, 4);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        try {
            long before = BufferStatistics.outstandingBuffers();
            ch.writeInbound(frame(ch, 4, 2, "ok"), bytes(ch, new byte[] {0, 0, 3, (byte) 0xE8}));   // 1000
            assertEquals(List.of("ok"), drainStrings(ch));
            List<Throwable> errors = drainExceptions(ch);
            assertEquals(1, errors.size());
            TooLongFrameException e = assertInstanceOf(TooLongFrameException.class, errors.get(0));
            assertEquals(1004, e.length());
            assertEquals(64, e.maxLength());
            assertTrue(e.getMessage().contains("1004") && e.getMessage().contains("64"), e.getMessage());
            assertTrue(decoder.isFailed());
            Buffer body = bytes(ch, new byte[1000]);
            ch.writeInbound(body, frame(ch, 4, 1, "z"));
            assertEquals(0, body.refCnt());
            assertEquals(List.of(), drainStrings(ch));
            assertEquals(List.of(), drainExceptions(ch));
            assertEquals(before, BufferStatistics.outstandingBuffers());
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void maxFrameLengthCountsTheHeaderAndIsInclusive() {
        EmbeddedChannel ch = new EmbeddedChannel(new LengthFieldFrameDecoder(10, 0, 2, 0, 2));
        try {
            ch.writeInbound(frame(ch, 2, 8, "12345678"));
            assertEquals(List.of("12345678"), drainStrings(ch));
            ch.writeInbound(frame(ch, 2, 9, "123456789"));
            assertEquals(List.of(), drainStrings(ch));
            assertInstanceOf(TooLongFrameException.class, drainExceptions(ch).get(0));
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void aNegativeEightByteLengthIsCorrupt() {
        assertCorrupt(new LengthFieldFrameDecoder(Integer.MAX_VALUE, 8), 8, -1, "-1");
    }

    @Test
    void anEightByteLengthOverIntegerMaxValueIsCorrupt() {
        assertCorrupt(new LengthFieldFrameDecoder(Integer.MAX_VALUE, 8), 8, 1L << 40, String.valueOf(1L << 40));
    }

    @Test
    void anAdjustedLengthEndingInsideTheHeaderIsCorrupt() {
        // the field claims to count the whole 4-byte-headed frame but says 2
        assertCorrupt(new LengthFieldFrameDecoder(100, 0, 4, -4, 0), 4, 2, "2");
    }

    @Test
    void aFrameShorterThanTheBytesToStripIsCorrupt() {
        assertCorrupt(new LengthFieldFrameDecoder(100, 0, 2, 0, 5), 2, 1, "initialBytesToStrip 5");
    }

    private static void assertCorrupt(LengthFieldFrameDecoder decoder, int fieldLength, long value, String expected) {
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        try {
            ch.writeInbound(frame(ch, fieldLength, value, "abc"));
            assertEquals(List.of(), drainStrings(ch));
            List<Throwable> errors = drainExceptions(ch);
            assertEquals(1, errors.size());
            CorruptedFrameException e = assertInstanceOf(CorruptedFrameException.class, errors.get(0));
            assertTrue(e.getMessage().contains(expected), e.getMessage());
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void anIncompleteFrameAtTheEndIsDroppedWithoutLeaking() {
        EmbeddedChannel ch = new EmbeddedChannel(new LengthFieldFrameDecoder(100, 0, 2, 0, 2));
        try {
            ch.writeInbound(frame(ch, 2, 10, "abc"));
            assertEquals(List.of(), drainStrings(ch));
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void rejectsBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> new LengthFieldFrameDecoder(100, 5));
        assertThrows(IllegalArgumentException.class, () -> new LengthFieldFrameDecoder(100, -1, 2, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new LengthFieldFrameDecoder(100, 0, 2, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> new LengthFieldFrameDecoder(5, 2, 4, 0, 0));
    }
}
