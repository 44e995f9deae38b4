package io.panamanetty.handler.stream;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferAllocator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Objects;

/**
 * A {@link ReadableByteChannel} sent in chunks of at most the chunk size. A blocking channel
 * blocks the event loop while it reads (as {@link ChunkedStream} does); a non-blocking one that
 * has nothing yet makes {@link #readChunk} return null, and the transfer waits until
 * {@link ChunkedWriteHandler#resumeTransfer()} is called. {@link #close()} closes the channel.
 */
public final class ChunkedNioStream implements ChunkedInput<Buffer> {
    private final ReadableByteChannel in;
    private final ByteBuffer pending;
    private long progress;
    private boolean ended;
    private boolean closed;

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
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1: " + chunkSize);
        }
        this.in = Objects.requireNonNull(in, "in");
        this.pending = ByteBuffer.allocate(chunkSize);
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

    @Override
    public long length() {
        return -1;
    }

    @Override
    public long progress() {
        return progress;
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            in.close();
        }
    }

    @Override
    public String toString() {
        return "ChunkedNioStream(" + progress + " bytes read)";
    }
}
