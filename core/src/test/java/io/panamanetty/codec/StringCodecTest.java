package io.panamanetty.codec;

import io.panamanetty.testing.LeakCheck;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.panamanetty.codec.CodecTestSupport.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

@ExtendWith(LeakCheck.class)
class StringCodecTest {

    @Test
    void decodesEachFrameInItsCharsetAndReleasesIt() {
        EmbeddedChannel ch = new EmbeddedChannel(new LineFrameDecoder(100), new StringDecoder(StandardCharsets.UTF_8));
        try {
            byte[] utf8 = "héllo wörld\n€\n".getBytes(StandardCharsets.UTF_8);
            // cut inside the multi-byte 'é': the line decoder reassembles it before the string decoder
            ch.writeInbound(bytes(ch, java.util.Arrays.copyOf(utf8, 2)),
                    bytes(ch, java.util.Arrays.copyOfRange(utf8, 2, utf8.length)));
            assertEquals(List.of("héllo wörld", "€"), ch.drainInbound());
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void decoderPassesOtherMessagesThrough() {
        EmbeddedChannel ch = new EmbeddedChannel(new StringDecoder(StandardCharsets.US_ASCII));
        try {
            ch.writeInbound(42);
            assertEquals(42, (Integer) ch.readInbound());
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void encodesCharSequencesInItsCharset() {
        EmbeddedChannel ch = new EmbeddedChannel(new StringEncoder(StandardCharsets.ISO_8859_1));
        try {
            ch.writeOutbound("é!", new StringBuilder("ab"), 7);
            Buffer first = ch.readOutbound();
            Buffer second = ch.readOutbound();
            try {
                assertArrayEquals(new byte[] {(byte) 0xE9, '!'}, first.toByteArray());
                assertArrayEquals(new byte[] {'a', 'b'}, second.toByteArray());
            } finally {
                first.release();
                second.release();
            }
            assertEquals(7, (Integer) ch.readOutbound());
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void oneInstanceServesSeveralChannels() {
        StringEncoder encoder = new StringEncoder(StandardCharsets.UTF_8);
        StringDecoder decoder = new StringDecoder(StandardCharsets.UTF_8);
        EmbeddedChannel a = new EmbeddedChannel(decoder, encoder);
        EmbeddedChannel b = new EmbeddedChannel(decoder, encoder);
        try {
            a.writeInbound(bytes(a, "x".getBytes(StandardCharsets.UTF_8)));
            b.writeInbound(bytes(b, "y".getBytes(StandardCharsets.UTF_8)));
            assertEquals("x", a.readInbound());
            assertEquals("y", b.readInbound());
        } finally {
            assertFalse(a.finish());
            assertFalse(b.finish());
        }
    }

    @Test
    void withoutACharsetBothSpeakUtf8() {
        EmbeddedChannel ch = new EmbeddedChannel(new StringDecoder(), new StringEncoder());
        try {
            ch.writeInbound(bytes(ch, "€uro".getBytes(StandardCharsets.UTF_8)));
            assertEquals("€uro", ch.readInbound());
            ch.writeOutbound("ß");
            Buffer encoded = ch.readOutbound();
            try {
                assertArrayEquals("ß".getBytes(StandardCharsets.UTF_8), encoded.toByteArray());
            } finally {
                encoded.release();
            }
        } finally {
            assertFalse(ch.finish());
        }
    }
}
