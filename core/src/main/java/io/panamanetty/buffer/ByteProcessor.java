package io.panamanetty.buffer;

/**
 * Looks at bytes one at a time for {@link Buffer#forEachByte(ByteProcessor)} and its
 * relatives, saying whether to go on: a search stops at the first byte for which
 * {@link #process} returns false. The constants cover the common searches.
 */
@FunctionalInterface
public interface ByteProcessor {
    /** Stops at a {@code '\n'}. */
    ByteProcessor FIND_LF = value -> value != '\n';
    /** Stops at a {@code '\r'}. */
    ByteProcessor FIND_CR = value -> value != '\r';
    /** Stops at a {@code '\r'} or a {@code '\n'}. */
    ByteProcessor FIND_CRLF = value -> value != '\r' && value != '\n';
    /** Stops at a {@code 0} byte. */
    ByteProcessor FIND_NUL = value -> value != 0;
    /** Stops at a space or a horizontal tab. */
    ByteProcessor FIND_LINEAR_WHITESPACE = value -> value != ' ' && value != '\t';

    /**
     * Looks at one byte.
     *
     * @param value the byte
     * @return true to go on to the next byte, false to stop here
     */
    boolean process(byte value);
}
