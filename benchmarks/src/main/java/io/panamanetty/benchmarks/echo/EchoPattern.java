package io.panamanetty.benchmarks.echo;

import java.util.Arrays;

/**
 * The bytes the load generator sends: each connection's stream is a fixed
 * pseudo-random sequence of period {@link #PERIOD} (a prime), started at an offset of
 * its own. Any echoed byte can therefore be checked from its stream position alone,
 * and bytes that arrive on the wrong connection, out of order, duplicated or changed
 * do not match.
 */
final class EchoPattern {
    /** Largest chunk read or written at once; a slice this long is contiguous in {@link #BYTES}. */
    static final int MAX_CHUNK = 64 * 1024;
    /** The pattern's period: a prime, so that no chunk size or offset lines up with it. */
    static final int PERIOD = 65_521;

    /** One period followed by its first {@link #MAX_CHUNK} bytes again. */
    private static final byte[] BYTES = generate();

    private EchoPattern() {
    }

    private static byte[] generate() {
        byte[] bytes = new byte[PERIOD + MAX_CHUNK];
        long state = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < PERIOD; i++) {
            state ^= state << 13;   // xorshift64
            state ^= state >>> 7;
            state ^= state << 17;
            bytes[i] = (byte) (state >>> 24);
        }
        for (int i = PERIOD; i < bytes.length; i++) {   // MAX_CHUNK exceeds PERIOD: the copy wraps
            bytes[i] = bytes[i - PERIOD];
        }
        return bytes;
    }

    /** The stream offset of connection number {@code connection}. */
    static int seed(int connection) {
        return (int) ((connection * 7_919L + 1) % PERIOD);
    }

    /** Where in {@link #bytes()} the byte at {@code position} of stream {@code seed} is. */
    static int index(int seed, long position) {
        return (int) ((position + seed) % PERIOD);
    }

    /** The pattern table; {@code bytes()[index(seed, p) + k]} is byte {@code p + k} for k below {@link #MAX_CHUNK}. */
    static byte[] bytes() {
        return BYTES;
    }

    /**
     * The first index in {@code received[0, length)} that differs from stream
     * {@code seed} at {@code position}, or -1 when all {@code length} bytes match.
     */
    static int mismatch(byte[] received, int length, int seed, long position) {
        int from = index(seed, position);
        return Arrays.mismatch(received, 0, length, BYTES, from, from + length);
    }
}
