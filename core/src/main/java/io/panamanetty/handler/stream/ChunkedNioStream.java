package io.panamanetty.handler.stream;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferAllocator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * A {@link ReadableByteChannel} sent in chunks of at most the chunk size. A blocking channel
 * blocks the event loop while it reads (as {@link ChunkedStream} does); a non-blocking one that
 * has nothing yet makes {@link #readChunk} return null, and the transfer waits until
 * {@link ChunkedWriteHandler#resumeTransfer()} is called. {@link #close()} closes the channel.
 */
public final class ChunkedNioStream extends SourceOfUnknownLength {
    private final ReadableByteChannel in;
    private final ByteBuffer pending;
    private boolean ended;

    /** {@code in} in chunks of {@value ChunkedFile#DEFAULT_CHUNK_SIZE} bytes. */
    public ChunkedNioStream(ReadableByteChannel in) {
        this(in, ChunkedFile.DEFAULT_CHUNK_SIZE);
    }

    /**
     * {@code in} in chunks of at most {@code chunkSize} bytes.
     *
     * @throws IllegalArgumentException if {@code chunkSize} is below 1
     */
    public ChunkedNioStream(ReadableByteChannel in, int chunkSize) {
        super(in, "ChunkedNioStream");
        this.in = in;
        this.pending = ByteBuffer.allocate(checkChunkSize(chunkSize));
    }

    @Override
    public boolean isEndOfInput() throws IOException {
        if (closed) {
            return true;
        }
        if (pending.position() == 0 && !ended) {
            fill();
        }
        return pending.position() == 0 && ended;
    }

    @Override
    public Buffer readChunk(BufferAllocator allocator) throws IOException {
        if (closed) {
            return null;
        }
        if (pending.hasRemaining() && !ended) {
            fill();
        }
        if (pending.position() == 0) {
            return null;
        }
        pending.flip();
        try {
            progress += pending.remaining();
            return allocator.copyOf(pending);
        } finally {
            pending.clear();
        }
    }

    private void fill() throws IOException {
        if (in.read(pending) < 0) {
            ended = true;
        }
    }
}
