package io.panamanetty.handler.stream;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferAllocator;

import java.io.IOException;
import java.io.InputStream;

/**
 * An {@link InputStream} sent in chunks of at most the chunk size. Reading a stream blocks,
 * and it blocks the event loop: use it for streams that answer at once (a file, an archive
 * entry, bytes in memory), not for one fed by the network. To tell its end the input reads
 * one byte ahead. {@link #close()} closes the stream.
 */
public final class ChunkedStream extends SourceOfUnknownLength {
    private static final int NO_BYTE = -2;

    private final InputStream in;
    private final byte[] scratch;
    private int lookahead = NO_BYTE;
    private boolean ended;

    /** {@code in} in chunks of {@value ChunkedFile#DEFAULT_CHUNK_SIZE} bytes. */
    public ChunkedStream(InputStream in) {
        this(in, ChunkedFile.DEFAULT_CHUNK_SIZE);
    }

    /**
     * {@code in} in chunks of at most {@code chunkSize} bytes.
     *
     * @throws IllegalArgumentException if {@code chunkSize} is below 1
     */
    public ChunkedStream(InputStream in, int chunkSize) {
        super(in, "ChunkedStream");
        this.in = in;
        this.scratch = new byte[checkChunkSize(chunkSize)];
    }

    @Override
    public boolean isEndOfInput() throws IOException {
        if (closed || ended) {
            return true;
        }
        if (lookahead == NO_BYTE) {
            lookahead = in.read();
            if (lookahead < 0) {
                ended = true;
            }
        }
        return ended;
    }

    @Override
    public Buffer readChunk(BufferAllocator allocator) throws IOException {
        if (isEndOfInput()) {
            return null;
        }
        scratch[0] = (byte) lookahead;
        lookahead = NO_BYTE;
        int length = 1;
        if (scratch.length > 1) {
            int n = in.read(scratch, 1, scratch.length - 1);
            if (n < 0) {
                ended = true;
            } else {
                length += n;
            }
        }
        progress += length;
        return allocator.allocate(length).writeBytes(scratch, 0, length);
    }
}
