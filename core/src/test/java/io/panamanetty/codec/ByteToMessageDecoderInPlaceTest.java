package io.panamanetty.codec;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.embedded.EmbeddedChannel;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static io.panamanetty.codec.CodecTestSupport.ascii;
import static io.panamanetty.codec.CodecTestSupport.drainExceptions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Decoding straight from the read buffer when nothing waits, and going on after an error when asked. */
@ExtendWith(LeakCheck.class)
class ByteToMessageDecoderInPlaceTest {

    @Test
    void wholeFramesInTheReadBufferAreCutFromItWithoutACopy() {
        EmbeddedChannel ch = new EmbeddedChannel(new FixedLengthFrameDecoder(3));
        try {
            Buffer read = ascii(ch, "abcdefgh").retain();   // our extra reference, to compare with
            ch.writeInbound(read);
            List<Object> frames = ch.drainInbound();
            assertEquals(2, frames.size());
            for (Object frame : frames) {
                assertTrue(((Buffer) frame).sharesReferenceCount(read), "a slice of the read buffer itself");
            }
            assertEquals(3, read.refCnt(), "ours and the two frames': the decoder kept none");
            frames.forEach(f -> ((Buffer) f).release());

            Buffer rest = ascii(ch, "i");
            ch.writeInbound(rest);
            Buffer third = ch.readInbound();
            assertEquals("ghi", third.toString(java.nio.charset.StandardCharsets.US_ASCII),
                    "the incomplete rest was copied and completed");
            assertFalse(third.sharesReferenceCount(read));
            third.release();
            assertEquals(1, read.refCnt());
            read.release();
        } finally {
            ch.finish();
        }
    }

    /** Frames of one byte; a '!' is an error it steps over when {@code goOn}. */
    static final class BangDecoder extends ByteToMessageDecoder {
        private final boolean goOn;

        BangDecoder(boolean goOn) {
            this.goOn = goOn;
        }

        @Override
        protected boolean continuesAfter(Exception cause) {
            return goOn && cause instanceof CorruptedFrameException;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, Buffer in, List<Object> out) {
            byte b = in.readByte();
            if (b == '!') {
                throw new CorruptedFrameException("'!' at " + (in.readerIndex() - 1));
            }
            out.add((char) b);
        }
    }

    @Test
    void aDecoderThatAsksGoesOnAfterAnError() {
        BangDecoder decoder = new BangDecoder(true);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        try {
            ch.writeInbound(ascii(ch, "a!b"), ascii(ch, "!c"));
            assertEquals(List.of('a', 'b', 'c'), ch.drainInbound());
            assertEquals(2, drainExceptions(ch).size());
            assertFalse(decoder.isFailed());
        } finally {
            ch.finish();
        }
    }

    @Test
    void byDefaultTheFirstErrorEndsDecoding() {
        BangDecoder decoder = new BangDecoder(false);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        try {
            ch.writeInbound(ascii(ch, "a!b"), ascii(ch, "c"));
            assertEquals(List.of('a'), ch.drainInbound());
            assertEquals(1, drainExceptions(ch).size());
            assertTrue(decoder.isFailed());
        } finally {
            ch.finish();
        }
    }
}
