package io.panamanetty.handler.stream;

import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32;

/**
 * A given number of pseudo-random bytes from a seed (xorshift), without holding them: a
 * source as large as a test likes. Remembers whether it was closed.
 */
final class PatternInputStream extends InputStream {
    final AtomicBoolean closed = new AtomicBoolean();
    private long remaining;
    private long state;

    PatternInputStream(long length, long seed) {
        this.remaining = length;
        this.state = seed == 0 ? 1 : seed;
    }

    /** The CRC32 of the bytes a stream of {@code length} from {@code seed} gives. */
    static long crcOf(long length, long seed) {
        PatternInputStream in = new PatternInputStream(length, seed);
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer, 0, buffer.length)) > 0) {
            crc.update(buffer, 0, n);
        }
        return crc.getValue();
    }

    private int next() {
        long x = state;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        state = x;
        return (int) x & 0xff;
    }

    @Override
    public int read() {
        if (remaining <= 0) {
            return -1;
        }
        remaining--;
        return next();
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (remaining <= 0) {
            return -1;
        }
        int n = (int) Math.min(len, remaining);
        for (int i = 0; i < n; i++) {
            b[off + i] = (byte) next();
        }
        remaining -= n;
        return n;
    }

    @Override
    public void close() {
        closed.set(true);
    }
}
