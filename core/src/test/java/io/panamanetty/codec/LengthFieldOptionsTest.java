package io.panamanetty.codec;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.embedded.EmbeddedChannel;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.panamanetty.codec.CodecTestSupport.bytes;
import static io.panamanetty.codec.CodecTestSupport.drainExceptions;
import static io.panamanetty.codec.CodecTestSupport.drainStrings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The length-field options beyond big-endian 1/2/4/8: byte order, 3-byte fields, adjustment, skipping too-long frames. */
@ExtendWith(LeakCheck.class)
class LengthFieldOptionsTest {

    private static byte[] take(EmbeddedChannel ch) {
        Buffer buffer = ch.readOutbound();
        try {
            return buffer.toByteArray();
        } finally {
            buffer.release();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 8})
    void prependerAndDecoderAgreeInEitherByteOrder(int fieldLength) {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            EmbeddedChannel out = new EmbeddedChannel(new LengthFieldPrepender(order, fieldLength, 0, false));
            EmbeddedChannel in = new EmbeddedChannel(new LengthFieldFrameDecoder(order, 1000, 0, fieldLength, 0,
                    fieldLength, true));
            try {
                out.writeOutbound("abc".getBytes(StandardCharsets.US_ASCII));
                byte[] header = take(out);
                byte[] payload = take(out);
                assertEquals(fieldLength, header.length);
                assertEquals(3, order == ByteOrder.BIG_ENDIAN ? header[fieldLength - 1] : header[0], order + " " + fieldLength);
                in.writeInbound(bytes(in, header), bytes(in, payload));
                assertEquals(List.of("abc"), drainStrings(in));
            } finally {
                out.finish();
                in.finish();
            }
        }
    }

    @Test
    void theDecoderReadsALittleEndianThreeByteField() {
        EmbeddedChannel ch = new EmbeddedChannel(new LengthFieldFrameDecoder(ByteOrder.LITTLE_ENDIAN, 1 << 20, 1, 3,
                0, 4, true));
        try {
            byte[] frame = new byte[4 + 300];
            frame[0] = 9;              // a header byte before the field
            frame[1] = (byte) 0x2C;    // 300 = 0x00012C, low byte first
            frame[2] = 0x01;
            ch.writeInbound(bytes(ch, frame));
            List<Object> frames = ch.drainInbound();
            assertEquals(1, frames.size());
            Buffer payload = (Buffer) frames.get(0);
            assertEquals(300, payload.readableBytes());
            payload.release();
        } finally {
            ch.finish();
        }
    }

    @Test
    void prependerFramesByteArraysAndByteBuffersAndAppliesTheAdjustment() {
        EmbeddedChannel ch = new EmbeddedChannel(new LengthFieldPrepender(ByteOrder.BIG_ENDIAN, 2, 10, true));
        try {
            ch.writeOutbound(new byte[] {1, 2}, ByteBuffer.wrap(new byte[] {3, 4, 5}), ByteBuffer.allocateDirect(1));
            assertArrayEquals(new byte[] {0, 2 + 10 + 2}, take(ch), "payload + adjustment + field");
            assertArrayEquals(new byte[] {1, 2}, take(ch));
            assertArrayEquals(new byte[] {0, 3 + 10 + 2}, take(ch));
            assertArrayEquals(new byte[] {3, 4, 5}, take(ch));
            assertArrayEquals(new byte[] {0, 1 + 10 + 2}, take(ch));
            assertArrayEquals(new byte[] {0}, take(ch));
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void aNegativeAdjustedLengthFailsTheWrite() {
        EmbeddedChannel ch = new EmbeddedChannel(new LengthFieldPrepender(ByteOrder.BIG_ENDIAN, 1, -5, false));
        try {
            Buffer payload = ch.alloc().copyOf(new byte[] {1});
            var written = ch.runOnLoop(() -> ch.pipeline().writeAndFlush(payload));
            EncoderException e = assertInstanceOf(EncoderException.class, written.cause());
            assertTrue(e.getMessage().contains("length -4"), e.getMessage());
            assertEquals(0, payload.refCnt());
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void withFailFastATooLongFrameIsReportedAtOnceSkippedAndDecodingGoesOn() {
        LengthFieldFrameDecoder decoder = new LengthFieldFrameDecoder(ByteOrder.BIG_ENDIAN, 10, 0, 2, 0, 2, true);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        try {
            ch.writeInbound(bytes(ch, new byte[] {0, 20, 1, 2, 3}));
            List<Throwable> errors = drainExceptions(ch);
            assertEquals(1, errors.size());
            TooLongFrameException e = assertInstanceOf(TooLongFrameException.class, errors.get(0));
            assertEquals(22, e.length());
            ch.writeInbound(bytes(ch, new byte[17]), bytes(ch, new byte[] {0, 2, 'o', 'k'}));
            assertEquals(List.of("ok"), drainStrings(ch));
            assertEquals(List.of(), drainExceptions(ch));
            assertFalse(decoder.isFailed());
        } finally {
            ch.finish();
        }
    }

    @Test
    void withoutFailFastATooLongFrameIsReportedOnceSkipped() {
        EmbeddedChannel ch = new EmbeddedChannel(new LengthFieldFrameDecoder(ByteOrder.BIG_ENDIAN, 10, 0, 2, 0, 2,
                false));
        try {
            ch.writeInbound(bytes(ch, new byte[] {0, 20, 1, 2, 3}));
            assertEquals(List.of(), drainExceptions(ch), "not yet: 17 bytes of it still to come");
            ch.writeInbound(bytes(ch, new byte[17]), bytes(ch, new byte[] {0, 1, 'k'}));
            List<Throwable> errors = drainExceptions(ch);
            assertEquals(1, errors.size());
            assertTrue(errors.get(0).getMessage().contains("was skipped"), errors.get(0).getMessage());
            assertEquals(List.of("k"), drainStrings(ch));
        } finally {
            ch.finish();
        }
    }

    @Test
    void aCorruptedLengthStillFailsForGood() {
        LengthFieldFrameDecoder decoder = new LengthFieldFrameDecoder(ByteOrder.BIG_ENDIAN, 100, 0, 1, -5, 0, true);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        try {
            ch.writeInbound(bytes(ch, new byte[] {2, 0, 0}));
            assertInstanceOf(CorruptedFrameException.class, drainExceptions(ch).get(0));
            assertTrue(decoder.isFailed());
        } finally {
            ch.finish();
        }
    }
}
