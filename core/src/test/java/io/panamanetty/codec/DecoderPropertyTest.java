package io.panamanetty.codec;

import io.panamanetty.codec.DecoderPropertyRunner.Totals;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decoders' property test, {@link DecoderPropertyRunner#CASES} generated cases each
 * (100,000 by default; {@code -Dcodec.property.cases=N} for a longer run,
 * {@code -Dcodec.property.seed=S} for other streams): a stream cut anywhere decodes as in one
 * read, malformed input raises only the declared exceptions, nothing leaks.
 */
@ExtendWith(LeakCheck.class)
class DecoderPropertyTest {
    private static final Set<Class<? extends DecoderException>> LENGTH_ERRORS =
            Set.of(TooLongFrameException.class, CorruptedFrameException.class);
    private static final Set<Class<? extends DecoderException>> TOO_LONG = Set.of(TooLongFrameException.class);

    @Test
    void lengthFieldFramesStrict() {
        check("length-field (strict)", DecoderPropertyRunner.run("length-field (strict)", DecoderCases::lengthField,
                LENGTH_ERRORS), true);
    }

    @Test
    void lengthFieldFramesSkippingTooLongOnes() {
        check("length-field (skipping)", DecoderPropertyRunner.run("length-field (skipping)",
                DecoderCases::lengthFieldSkipping, LENGTH_ERRORS), true);
    }

    @Test
    void lines() {
        check("line", DecoderPropertyRunner.run("line", DecoderCases::line, TOO_LONG), true);
    }

    @Test
    void delimitedFrames() {
        check("delimiter", DecoderPropertyRunner.run("delimiter", DecoderCases::delimiter, TOO_LONG), true);
    }

    @Test
    void fixedLengthFrames() {
        check("fixed-length", DecoderPropertyRunner.run("fixed-length", DecoderCases::fixedLength, Set.of()), false);
    }

    /** The generator must exercise what the property speaks of, or it says little. */
    private static void check(String name, Totals totals, boolean malformedExpected) {
        System.out.println("DecoderPropertyTest " + name + ": " + totals + ", base seed "
                + DecoderPropertyRunner.BASE_SEED);
        if (totals.cases() < 1000) {
            return;   // replaying a case or a few: no statistics to judge
        }
        assertTrue(totals.frames() > totals.cases(), "too few frames decoded: " + totals);
        if (malformedExpected) {
            assertTrue(totals.malformed() > totals.cases() / 5, "too few malformed cases: " + totals);
            assertTrue(totals.exceptions() > totals.cases() / 20, "too few exceptions raised: " + totals);
        }
    }
}
