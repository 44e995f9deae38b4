package io.panamanetty.codec;

import io.panamanetty.testing.LeakCheck;

import io.panamanetty.buffer.BufferStatistics;
import io.panamanetty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;

import static io.panamanetty.codec.CodecTestSupport.bytes;
import static io.panamanetty.codec.CodecTestSupport.drainExceptions;
import static io.panamanetty.codec.CodecTestSupport.feedInPieces;
import static io.panamanetty.codec.CodecTestSupport.installDecoder;
import static io.panamanetty.codec.CodecTestSupport.removeDecoder;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Property: random frames, encoded and concatenated, then cut at random points and fed in
 * pieces, decode to exactly the frames that went in, and to what the unsplit stream gives;
 * an incomplete frame at the end is held back; nothing leaks. Each iteration draws from a
 * {@link Random} seeded from a fixed base seed (override with {@code -Dcodec.fuzz.seed=N});
 * a failure names the iteration's seed, so it can be replayed.
 */
@ExtendWith(LeakCheck.class)
class SplitInvarianceTest {
    static final long BASE_SEED = Long.getLong("codec.fuzz.seed", 0x5EED_C0DEC_2024L);
    private static final int ITERATIONS = 300;

    /** One generated case: how to make the decoder, the encoded stream, and the frames expected from it. */
    record Scenario(String description, Supplier<ByteToMessageDecoder> decoder, byte[] stream, List<byte[]> expected) {
    }

    @Test
    void lengthFieldFramesDecodeTheSameHoweverTheStreamIsCut() {
        check("length-field", SplitInvarianceTest::lengthFieldScenario);
    }

    @Test
    void linesDecodeTheSameHoweverTheStreamIsCut() {
        check("line", SplitInvarianceTest::lineScenario);
    }

    @Test
    void fixedLengthFramesDecodeTheSameHoweverTheStreamIsCut() {
        check("fixed-length", SplitInvarianceTest::fixedLengthScenario);
    }

    private static void check(String name, Function<Random, Scenario> generator) {
        CodecTestSupport.FrameCollector collector = new CodecTestSupport.FrameCollector();
        EmbeddedChannel ch = CodecTestSupport.collectingChannel(collector);
        try {
            long baseline = BufferStatistics.outstandingBuffers();
            for (int i = 0; i < ITERATIONS; i++) {
                long seed = BASE_SEED + 1_000_003L * i;
                String where = name + " iteration " + i + ", seed " + seed;
                try {
                    Random random = new Random(seed);
                    Scenario scenario = generator.apply(random);
                    boolean consume = random.nextBoolean();
                    collector.consume(consume);
                    where += " [" + scenario.description() + (consume ? ", frames consumed at once" : ", frames held")
                            + "]";

                    installDecoder(ch, scenario.decoder().get());
                    collector.drain(ch);
                    ch.writeInbound(bytes(ch, scenario.stream()));
                    assertFrames(scenario.expected(), collector.drain(ch), where + ", unsplit");

                    installDecoder(ch, scenario.decoder().get());
                    collector.drain(ch);
                    feedInPieces(ch, scenario.stream(), random, 1 + random.nextInt(random.nextBoolean() ? 8 : 200));
                    assertFrames(scenario.expected(), collector.drain(ch), where + ", in pieces");

                    assertEquals(List.of(), drainExceptions(ch), where + ": unexpected exceptions");
                    removeDecoder(ch);
                    collector.drain(ch);
                    assertEquals(baseline, BufferStatistics.outstandingBuffers(), where + ": buffers leaked");
                } catch (RuntimeException e) {   // assertion messages already say where
                    throw new AssertionError("failed at " + where + ": " + e, e);
                }
            }
        } finally {
            ch.finish();
        }
    }

    static void assertFrames(List<byte[]> expected, List<byte[]> actual, String where) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            if (!Arrays.equals(expected.get(i), actual.get(i))) {
                throw new AssertionError(where + ": frame " + i + " differs: expected "
                        + Arrays.toString(expected.get(i)) + " but got " + Arrays.toString(actual.get(i)));
            }
        }
        assertEquals(expected.size(), actual.size(), where + ": frame count");
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A payload length, mostly short, sometimes up to {@code max}. */
    private static int payloadLength(Random random, int max) {
        return random.nextInt(random.nextInt(4) == 0 ? max + 1 : Math.min(max, 16) + 1);
    }

    static Scenario lengthFieldScenario(Random random) {
        int fieldLength = new int[] {1, 2, 4, 8}[random.nextInt(4)];
        int offset = random.nextInt(4);
        int mode = random.nextInt(3);   // the field counts: 0 what follows it, 1 the whole frame, 2 the payload only
        int extra = mode == 2 ? 1 + random.nextInt(3) : 0;   // header bytes after the field, not counted in mode 2
        int headerLength = offset + fieldLength + extra;
        int adjustment = switch (mode) {
            case 0 -> 0;
            case 1 -> -(offset + fieldLength);
            default -> extra;
        };
        int strip = random.nextInt(headerLength + 1);
        int maxPayload = fieldLength == 1 ? 255 - headerLength : 600;

        List<byte[]> frames = new ArrayList<>();
        int count = random.nextInt(40);
        int longest = headerLength;
        for (int f = 0; f <= count; f++) {
            byte[] payload = randomBytes(random, payloadLength(random, maxPayload));
            long value = switch (mode) {
                case 0 -> payload.length;
                case 1 -> headerLength + payload.length;
                default -> payload.length;
            };
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.writeBytes(randomBytes(random, offset));
            for (int shift = 8 * (fieldLength - 1); shift >= 0; shift -= 8) {
                frame.write((int) (value >>> shift));
            }
            frame.writeBytes(randomBytes(random, extra));
            frame.writeBytes(payload);
            frames.add(frame.toByteArray());
            longest = Math.max(longest, frame.size());
        }
        byte[] tail = frames.removeLast();   // its prefix ends the stream, incomplete
        byte[] partial = Arrays.copyOf(tail, random.nextInt(tail.length));
        List<byte[]> expected = frames.stream().map(frame -> Arrays.copyOfRange(frame, strip, frame.length)).toList();
        int maxFrameLength = longest + random.nextInt(3);
        String description = "fieldLength=" + fieldLength + " offset=" + offset + " adjustment=" + adjustment
                + " strip=" + strip + " maxFrameLength=" + maxFrameLength + " frames=" + frames.size()
                + " partialTail=" + partial.length;
        return new Scenario(description,
                () -> new LengthFieldFrameDecoder(maxFrameLength, offset, fieldLength, adjustment, strip),
                concat(frames, partial), expected);
    }

    static Scenario lineScenario(Random random) {
        boolean strip = random.nextBoolean();
        List<byte[]> lines = new ArrayList<>();
        List<byte[]> expected = new ArrayList<>();
        int count = random.nextInt(40);
        int longest = 1;
        for (int l = 0; l < count; l++) {
            byte[] content = lineBytes(random, payloadLength(random, 300));
            if (content.length > 0 && content[content.length - 1] == '\r') {
                content[content.length - 1] = 'r';   // else "\r" + "\n" would read as a CRLF end of line
            }
            byte[] delimiter = random.nextBoolean() ? new byte[] {'\n'} : new byte[] {'\r', '\n'};
            byte[] line = concat(List.of(content), delimiter);
            lines.add(line);
            expected.add(strip ? content : line);
            longest = Math.max(longest, content.length);
        }
        int maxLength = longest + random.nextInt(3);
        byte[] partial = lineBytes(random, random.nextInt(Math.min(maxLength, 40) + 1));
        String description = "maxLength=" + maxLength + " strip=" + strip + " lines=" + count
                + " partialTail=" + partial.length;
        return new Scenario(description, () -> new LineFrameDecoder(maxLength, strip), concat(lines, partial), expected);
    }

    /** Random bytes without '\n', rich in '\r'. */
    private static byte[] lineBytes(Random random, int length) {
        byte[] bytes = randomBytes(random, length);
        for (int i = 0; i < length; i++) {
            if (bytes[i] == '\n' || random.nextInt(8) == 0) {
                bytes[i] = '\r';
            }
        }
        return bytes;
    }

    static Scenario fixedLengthScenario(Random random) {
        int frameLength = 1 + random.nextInt(random.nextBoolean() ? 8 : 300);
        int count = random.nextInt(40);
        List<byte[]> frames = new ArrayList<>();
        for (int f = 0; f < count; f++) {
            frames.add(randomBytes(random, frameLength));
        }
        byte[] partial = randomBytes(random, random.nextInt(frameLength));
        String description = "frameLength=" + frameLength + " frames=" + count + " partialTail=" + partial.length;
        return new Scenario(description, () -> new FixedLengthFrameDecoder(frameLength), concat(frames, partial),
                frames);
    }

    private static byte[] concat(List<byte[]> parts, byte[] last) {
        List<byte[]> all = new ArrayList<>(parts);
        all.add(last);
        return CodecTestSupport.concat(all);
    }
}
