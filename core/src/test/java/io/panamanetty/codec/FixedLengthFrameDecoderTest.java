package io.panamanetty.codec;

import io.panamanetty.testing.LeakCheck;

import io.panamanetty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static io.panamanetty.codec.CodecTestSupport.ascii;
import static io.panamanetty.codec.CodecTestSupport.drainStrings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

@ExtendWith(LeakCheck.class)
class FixedLengthFrameDecoderTest {

    @Test
    void cutsTheStreamIntoEqualFramesWhateverTheReads() {
        EmbeddedChannel ch = new EmbeddedChannel(new FixedLengthFrameDecoder(3));
        try {
            ch.writeInbound(ascii(ch, "ab"), ascii(ch, "cdefg"));
            assertEquals(List.of("abc", "def"), drainStrings(ch));
            ch.writeInbound(ascii(ch, "h"), ascii(ch, "i"));
            assertEquals(List.of("ghi"), drainStrings(ch));
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void anIncompleteLastFrameIsDroppedWithoutLeaking() {
        EmbeddedChannel ch = new EmbeddedChannel(new FixedLengthFrameDecoder(4));
        try {
            ch.writeInbound(ascii(ch, "abcdef"));
            assertEquals(List.of("abcd"), drainStrings(ch));
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void rejectsANonPositiveLength() {
        assertThrows(IllegalArgumentException.class, () -> new FixedLengthFrameDecoder(0));
    }
}
