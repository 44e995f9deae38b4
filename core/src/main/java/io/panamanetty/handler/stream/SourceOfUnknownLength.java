package io.panamanetty.handler.stream;

import io.panamanetty.buffer.Buffer;

import java.io.Closeable;
import java.io.IOException;
import java.util.Objects;

/**
 * What {@link ChunkedStream} and {@link ChunkedNioStream} share: a source read to its end,
 * whose length is not known ahead, the count of bytes taken from it, and closing it once.
 */
abstract class SourceOfUnknownLength implements ChunkedInput<Buffer> {
    private final Closeable source;
    private final String kind;
    /** Bytes handed out as chunks so far. */
    long progress;
    /** Set by {@link #close()}: no more chunks. */
    boolean closed;

    SourceOfUnknownLength(Closeable source, String kind) {
        this.source = Objects.requireNonNull(source, "in");
        this.kind = kind;
    }

    /** Throws unless {@code chunkSize} is at least 1, and returns it. */
    static int checkChunkSize(int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1: " + chunkSize);
        }
        return chunkSize;
    }

    @Override
    public final long length() {
        return -1;
    }

    @Override
    public final long progress() {
        return progress;
    }

    @Override
    public final void close() throws IOException {
        if (!closed) {
            closed = true;
            source.close();
        }
    }

    @Override
    public final String toString() {
        return kind + "(" + progress + " bytes read)";
    }
}
