package io.panamanetty.codec;

import io.panamanetty.channel.embedded.EmbeddedChannel;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
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
class DelimiterBasedFrameDecoderTest {
    private static final byte[] PIPE = "|".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "END".getBytes(StandardCharsets.US_ASCII);

    @Test
    void splitsOnAnyDelimiterTheShortestFrameWinning() {
        EmbeddedChannel ch = new EmbeddedChannel(new DelimiterBasedFrameDecoder(100, PIPE, END));
        try {
            ch.writeInbound(ascii(ch, "one|twoENDthr"), ascii(ch, "ee|EN"), ascii(ch, "D|x"));
            assertEquals(List.of("one", "two", "three", "", ""), drainStrings(ch));
            assertEquals(List.of(), drainExceptions(ch));
        } finally {
            ch.finish();
        }
    }

    @Test
    void keepsTheDelimiterWhenAsked() {
        EmbeddedChannel ch = new EmbeddedChannel(new DelimiterBasedFrameDecoder(100, false, true,
                Delimiters.lineDelimiter()));
        try {
            ch.writeInbound(ascii(ch, "a\r\nb\nc\r"), ascii(ch, "\n"));
            assertEquals(List.of("a\r\n", "b\n", "c\r\n"), drainStrings(ch));
        } finally {
            ch.finish();
        }
    }

    @Test
    void aTooLongFrameIsReportedAtOnceWithFailFastThenSkipped() {
        DelimiterBasedFrameDecoder decoder = new DelimiterBasedFrameDecoder(4, PIPE);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        try {
            ch.writeInbound(ascii(ch, "ok|0123456"));
            List<Throwable> errors = drainExceptions(ch);
            assertEquals(1, errors.size(), "reported before the delimiter came");
            TooLongFrameException e = assertInstanceOf(TooLongFrameException.class, errors.get(0));
            assertEquals(4, e.maxLength());
            assertTrue(e.getMessage().contains("at least 7 bytes") && e.getMessage().contains("maxFrameLength 4"),
                    e.getMessage());
            ch.writeInbound(ascii(ch, "789|next|"));
            assertEquals(List.of("ok", "next"), drainStrings(ch), "decoding goes on after the skipped frame");
            assertEquals(List.of(), drainExceptions(ch), "reported once");
            assertFalse(decoder.isFailed());
        } finally {
            ch.finish();
        }
    }

    @Test
    void withoutFailFastATooLongFrameIsReportedOnceItsDelimiterArrived() {
        EmbeddedChannel ch = new EmbeddedChannel(new DelimiterBasedFrameDecoder(4, true, false, PIPE));
        try {
            ch.writeInbound(ascii(ch, "0123456"));
            assertEquals(List.of(), drainExceptions(ch));
            ch.writeInbound(ascii(ch, "789|ab|"));
            List<Throwable> errors = drainExceptions(ch);
            assertEquals(1, errors.size());
            TooLongFrameException e = assertInstanceOf(TooLongFrameException.class, errors.get(0));
            assertEquals(10, e.length(), "the whole frame's length: " + e.getMessage());
            assertEquals(List.of("ab"), drainStrings(ch));
        } finally {
            ch.finish();
        }
    }

    @Test
    void aDelimiterCutAcrossReadsIsFoundEvenWhileSkipping() {
        EmbeddedChannel ch = new EmbeddedChannel(new DelimiterBasedFrameDecoder(3, END));
        try {
            ch.writeInbound(ascii(ch, "abcdefgE"), ascii(ch, "N"), ascii(ch, "Dxy"), ascii(ch, "END"));
            assertEquals(List.of("xy"), drainStrings(ch));
            assertEquals(1, drainExceptions(ch).size());
        } finally {
            ch.finish();
        }
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DelimiterBasedFrameDecoder(0, PIPE));
        assertThrows(IllegalArgumentException.class, () -> new DelimiterBasedFrameDecoder(10));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DelimiterBasedFrameDecoder(10, PIPE, new byte[0]));
        assertEquals("delimiter 1 is empty", e.getMessage());
    }
}
