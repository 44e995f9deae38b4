package io.panamanetty.codec;

import io.panamanetty.testing.LeakCheck;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static io.panamanetty.codec.CodecTestSupport.ascii;
import static io.panamanetty.codec.CodecTestSupport.drainExceptions;
import static io.panamanetty.codec.CodecTestSupport.drainStrings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(LeakCheck.class)
class LineFrameDecoderTest {

    @Test
    void splitsOnBothEndsOfLineAndStripsThem() {
        EmbeddedChannel ch = new EmbeddedChannel(new LineFrameDecoder(100));
        try {
            ch.writeInbound(ascii(ch, "one\ntwo\r\n\nthr\ree\r\npartial"));
            assertEquals(List.of("one", "two", "", "thr\ree"), drainStrings(ch));
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void keepsTheEndOfLineWhenAsked() {
        EmbeddedChannel ch = new EmbeddedChannel(new LineFrameDecoder(100, false));
        try {
            ch.writeInbound(ascii(ch, "one\ntwo\r\n\n"));
            assertEquals(List.of("one\n", "two\r\n", "\n"), drainStrings(ch));
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void aCarriageReturnAndItsLineFeedMayArriveApart() {
        EmbeddedChannel ch = new EmbeddedChannel(new LineFrameDecoder(3));
        try {
            ch.writeInbound(ascii(ch, "abc\r"));   // 4 bytes, but the '\r' may be the end of line
            assertEquals(List.of(), drainExceptions(ch));
            ch.writeInbound(ascii(ch, "\n"));
            assertEquals(List.of("abc"), drainStrings(ch));
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void aLineOfExactlyMaxLengthIsAccepted() {
        EmbeddedChannel ch = new EmbeddedChannel(new LineFrameDecoder(5));
        try {
            ch.writeInbound(ascii(ch, "12345\r\n12345\n"));
            assertEquals(List.of("12345", "12345"), drainStrings(ch));
            assertEquals(List.of(), drainExceptions(ch));
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void aCompleteLineOverMaxLengthFails() {
        EmbeddedChannel ch = new EmbeddedChannel(new LineFrameDecoder(5));
        try {
            ch.writeInbound(ascii(ch, "ok\n123456\nlater\n"));
            assertEquals(List.of("ok"), drainStrings(ch));
            TooLongFrameException e = assertInstanceOf(TooLongFrameException.class, drainExceptions(ch).get(0));
            assertEquals(6, e.length());
            assertEquals(5, e.maxLength());
            assertTrue(e.getMessage().contains("6") && e.getMessage().contains("5"), e.getMessage());
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void aLineWithoutEndFailsOnceItPassesMaxLengthAndLaterInputIsDiscarded() {
        LineFrameDecoder decoder = new LineFrameDecoder(64);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        try {
            ch.writeInbound(ascii(ch, "x".repeat(64)));
            assertEquals(List.of(), drainExceptions(ch));
            ch.writeInbound(ascii(ch, "y"));
            List<Throwable> errors = drainExceptions(ch);
            assertEquals(1, errors.size());
            TooLongFrameException e = assertInstanceOf(TooLongFrameException.class, errors.get(0));
            assertEquals(65, e.length());
            assertTrue(e.getMessage().contains("at least 65") && e.getMessage().contains("64"), e.getMessage());
            assertTrue(decoder.isFailed());
            Buffer later = ascii(ch, "\nfine\n");
            ch.writeInbound(later);
            assertEquals(0, later.refCnt());
            assertEquals(List.of(), drainStrings(ch));
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void aLineFragmentedIntoManyPiecesIsScannedOnceAndReassembled() {
        EmbeddedChannel ch = new EmbeddedChannel(new LineFrameDecoder(10_000));
        try {
            String line = "0123456789".repeat(900);
            for (int i = 0; i < line.length(); i += 7) {
                ch.writeInbound(ascii(ch, line.substring(i, Math.min(line.length(), i + 7))));
            }
            ch.writeInbound(ascii(ch, "\r\n"));
            assertEquals(List.of(line), drainStrings(ch));
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void anUnterminatedLastLineIsDroppedWithoutLeaking() {
        EmbeddedChannel ch = new EmbeddedChannel(new LineFrameDecoder(100));
        try {
            ch.writeInbound(ascii(ch, "done\nhalf"));
            assertEquals(List.of("done"), drainStrings(ch));
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void rejectsANonPositiveMaxLength() {
        assertThrows(IllegalArgumentException.class, () -> new LineFrameDecoder(0));
    }
}
