package io.panamanetty.codec;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferStatistics;
import io.panamanetty.channel.embedded.EmbeddedChannel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs generated cases against a decoder in an {@link EmbeddedChannel}: each stream is fed in
 * one read, then again cut at random points into pieces; a well-formed case must give exactly
 * its expected frames both times and no exception; a malformed one must raise only the
 * decoder's declared exceptions and give the same frames and exception types both times.
 * Every case must leave the outstanding buffer count where it found it.
 *
 * <p>Case {@code i} draws from {@code new Random(baseSeed + i * 0x9E3779B97F4A7C15L)}; a
 * failure names the case, its seed, the base seed and the case's description, and
 * {@code -Dcodec.property.seed=BASE -Dcodec.property.from=i -Dcodec.property.cases=1} replays
 * that case alone.
 */
final class DecoderPropertyRunner {
    /** Cases per decoder: at least 100,000 in CI, more with {@code -Dcodec.property.cases=N}. */
    static final int CASES = Integer.getInteger("codec.property.cases", 100_000);
    static final long BASE_SEED = Long.getLong("codec.property.seed", 0x15_C0DEC_15L);
    /** The index of the first case run, to replay one: {@code -Dcodec.property.from=i}. */
    static final int FIRST = Integer.getInteger("codec.property.from", 0);

    /** One generated case; {@code expected} is null for a malformed stream. */
    record Case(String description, Supplier<ByteToMessageDecoder> decoder, byte[] stream, List<byte[]> expected) {
    }

    /** What a run saw, to check that the generator exercised both kinds of case. */
    record Totals(int cases, int wellFormed, int malformed, long frames, long exceptions) {
    }

    private record Outcome(List<byte[]> frames, List<Class<?>> exceptions) {
    }

    private DecoderPropertyRunner() {
    }

    static Totals run(String name, Function<Random, Case> generator, Set<Class<? extends DecoderException>> declared) {
        EmbeddedChannel ch = new EmbeddedChannel();
        int wellFormed = 0;
        long frames = 0;
        long exceptions = 0;
        try {
            long baseline = BufferStatistics.outstandingBuffers();
            for (int i = FIRST; i < FIRST + CASES; i++) {
                long seed = BASE_SEED + i * 0x9E3779B97F4A7C15L;
                Random random = new Random(seed);
                Case c = generator.apply(random);
                try {
                    Outcome whole = feed(ch, c, null, declared);
                    Outcome pieces = feed(ch, c, random, declared);
                    if (c.expected() != null) {
                        wellFormed++;
                        assertFrames(c.expected(), whole.frames(), "one read");
                        assertFrames(c.expected(), pieces.frames(), "in pieces");
                        check(whole.exceptions().isEmpty() && pieces.exceptions().isEmpty(),
                                "a well-formed stream raised " + whole.exceptions() + " / " + pieces.exceptions());
                    } else {
                        assertFrames(whole.frames(), pieces.frames(), "in pieces, against one read");
                        check(whole.exceptions().equals(pieces.exceptions()), "exceptions differ: one read "
                                + whole.exceptions() + ", in pieces " + pieces.exceptions());
                    }
                    long outstanding = BufferStatistics.outstandingBuffers();
                    check(outstanding == baseline, (outstanding - baseline) + " buffers leaked");
                    frames += whole.frames().size();
                    exceptions += whole.exceptions().size();
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(name + " case " + i + " failed (seed " + seed + "; replay with"
                            + " -Dcodec.property.seed=" + BASE_SEED + " -Dcodec.property.from=" + i
                            + " -Dcodec.property.cases=1) [" + c.description() + ", " + c.stream().length + " bytes]: "
                            + e.getMessage(), e);
                }
            }
        } finally {
            ch.finish();
        }
        return new Totals(CASES, wellFormed, CASES - wellFormed, frames, exceptions);
    }

    /** Feeds the case's stream to a fresh decoder, whole ({@code random} null) or in random pieces. */
    private static Outcome feed(EmbeddedChannel ch, Case c, Random random,
                                Set<Class<? extends DecoderException>> declared) {
        ByteToMessageDecoder decoder = c.decoder().get();
        ch.runOnLoop(() -> ch.pipeline().addFirst("decoder", decoder));
        byte[] stream = c.stream();
        if (random == null) {
            ch.writeInbound(ch.alloc().copyOf(stream));
        } else {
            int maxPiece = 1 + random.nextInt(random.nextBoolean() ? 4 : Math.max(1, stream.length));
            for (int position = 0; position < stream.length; ) {
                int length = Math.min(stream.length - position, 1 + random.nextInt(maxPiece));
                Buffer piece = ch.alloc().allocate(length).writeBytes(stream, position, length);
                ch.writeInbound(piece);
                position += length;
            }
        }
        List<byte[]> frames = new ArrayList<>();
        for (Object message : ch.drainInbound()) {
            Buffer frame = (Buffer) message;
            frames.add(frame.toByteArray());
            frame.release();
        }
        ch.runOnLoop(() -> ch.pipeline().remove("decoder"));
        for (Object rest : ch.drainInbound()) {   // the undecoded bytes the removed decoder forwarded
            ((Buffer) rest).release();
        }
        List<Class<?>> exceptions = new ArrayList<>();
        for (Throwable t : CodecTestSupport.drainExceptions(ch)) {
            if (!declared.contains(t.getClass())) {
                throw new AssertionError("raised " + t + ", not one of the declared " + declared, t);
            }
            exceptions.add(t.getClass());
        }
        return new Outcome(frames, exceptions);
    }

    private static void assertFrames(List<byte[]> expected, List<byte[]> actual, String how) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            check(Arrays.equals(expected.get(i), actual.get(i)), how + ": frame " + i + " differs: expected "
                    + Arrays.toString(expected.get(i)) + " but got " + Arrays.toString(actual.get(i)));
        }
        check(expected.size() == actual.size(), how + ": " + actual.size() + " frames, expected " + expected.size());
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
