package io.panamanetty.codec;

import io.panamanetty.testing.LeakCheck;

import io.panamanetty.buffer.BufferStatistics;
import io.panamanetty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import static io.panamanetty.codec.CodecTestSupport.bytes;
import static io.panamanetty.codec.CodecTestSupport.drainExceptions;
import static io.panamanetty.codec.CodecTestSupport.feedInPieces;
import static io.panamanetty.codec.CodecTestSupport.installDecoder;
import static io.panamanetty.codec.CodecTestSupport.removeDecoder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property: random bytes fed to a randomly configured decoder never crash it and never leak:
 * each decoder either emits frames or raises one {@link DecoderException} (and then stays
 * quiet), the same frames and the same exception type whether the bytes come in one piece or
 * many, and the outstanding buffer count returns to where it started. Seeded like
 * {@link SplitInvarianceTest}; a failure names the seed.
 */
@ExtendWith(LeakCheck.class)
class GarbageInputTest {
    private static final int ITERATIONS = 600;

    private record Outcome(List<byte[]> frames, List<Class<?>> exceptions) {
    }

    @Test
    void randomBytesDecodeOrFailCleanly() {
        CodecTestSupport.FrameCollector collector = new CodecTestSupport.FrameCollector();
        EmbeddedChannel ch = CodecTestSupport.collectingChannel(collector);
        int failures = 0;
        int frames = 0;
        try {
            long baseline = BufferStatistics.outstandingBuffers();
            for (int i = 0; i < ITERATIONS; i++) {
                long seed = SplitInvarianceTest.BASE_SEED ^ (0x9E3779B97F4A7C15L * (i + 1));
                String where = "iteration " + i + ", seed " + seed;
                try {
                    Random random = new Random(seed);
                    StringBuilder description = new StringBuilder();
                    Supplier<ByteToMessageDecoder> decoder = randomDecoder(random, description);
                    byte[] garbage = garbage(random, description.toString().startsWith("line"));
                    boolean consume = random.nextBoolean();
                    collector.consume(consume);
                    where += " [" + description + ", " + garbage.length + " bytes"
                            + (consume ? ", frames consumed at once" : ", frames held") + "]";

                    installDecoder(ch, decoder.get());
                    collector.drain(ch);
                    ch.writeInbound(bytes(ch, garbage));
                    Outcome whole = outcome(ch, collector, where);

                    installDecoder(ch, decoder.get());
                    collector.drain(ch);
                    feedInPieces(ch, garbage, random, 1 + random.nextInt(random.nextBoolean() ? 4 : 300));
                    Outcome pieces = outcome(ch, collector, where);

                    SplitInvarianceTest.assertFrames(whole.frames(), pieces.frames(), where);
                    assertEquals(whole.exceptions(), pieces.exceptions(), where + ": exceptions");
                    removeDecoder(ch);
                    collector.drain(ch);
                    assertEquals(baseline, BufferStatistics.outstandingBuffers(), where + ": buffers leaked");
                    failures += whole.exceptions().size();
                    frames += whole.frames().size();
                } catch (RuntimeException e) {   // assertion messages already say where
                    throw new AssertionError("failed at " + where + ": " + e, e);
                }
            }
        } finally {
            ch.finish();
        }
        // the generator must exercise both outcomes, or the property says little
        assertTrue(failures > ITERATIONS / 10, "only " + failures + " iterations raised an exception");
        assertTrue(frames > ITERATIONS, "only " + frames + " frames decoded");
    }

    private static Outcome outcome(EmbeddedChannel ch, CodecTestSupport.FrameCollector collector, String where) {
        List<byte[]> frames = collector.drain(ch);
        List<Class<?>> exceptions = new ArrayList<>();
        for (Throwable t : drainExceptions(ch)) {
            if (!(t instanceof DecoderException)) {
                throw new AssertionError(where + ": not a DecoderException", t);
            }
            exceptions.add(t.getClass());
        }
        assertTrue(exceptions.size() <= 1, where + ": more than one exception " + exceptions);
        return new Outcome(frames, exceptions);
    }

    private static Supplier<ByteToMessageDecoder> randomDecoder(Random random, StringBuilder description) {
        switch (random.nextInt(3)) {
            case 0 -> {
                int fieldLength = new int[] {1, 2, 4, 8}[random.nextInt(4)];
                int offset = random.nextInt(4);
                int adjustment = random.nextInt(21) - 10;
                int strip = random.nextInt(7);
                int maxFrameLength = offset + fieldLength + random.nextInt(600);
                description.append("length-field fieldLength=").append(fieldLength).append(" offset=").append(offset)
                        .append(" adjustment=").append(adjustment).append(" strip=").append(strip)
                        .append(" maxFrameLength=").append(maxFrameLength);
                return () -> new LengthFieldFrameDecoder(maxFrameLength, offset, fieldLength, adjustment, strip);
            }
            case 1 -> {
                int maxLength = 1 + random.nextInt(100);
                boolean strip = random.nextBoolean();
                description.append("line maxLength=").append(maxLength).append(" strip=").append(strip);
                return () -> new LineFrameDecoder(maxLength, strip);
            }
            default -> {
                int frameLength = 1 + random.nextInt(40);
                description.append("fixed-length frameLength=").append(frameLength);
                return () -> new FixedLengthFrameDecoder(frameLength);
            }
        }
    }

    /** Random bytes; for lines, with end-of-line bytes often enough that some lines fit. */
    private static byte[] garbage(Random random, boolean lines) {
        byte[] bytes = new byte[random.nextInt(2049)];
        random.nextBytes(bytes);
        if (lines) {
            int spacing = 1 + random.nextInt(120);
            for (int i = 0; i < bytes.length; i++) {
                int roll = random.nextInt(spacing);
                if (roll == 0) {
                    bytes[i] = '\n';
                } else if (roll == 1) {
                    bytes[i] = '\r';
                }
            }
        } else if (random.nextBoolean()) {
            for (int i = 0; i < bytes.length; i++) {
                if (random.nextInt(3) > 0) {
                    bytes[i] = 0;   // small length fields, so that some frames do decode
                }
            }
        }
        return bytes;
    }
}
