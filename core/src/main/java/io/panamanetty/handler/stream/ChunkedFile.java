package io.panamanetty.handler.stream;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferAllocator;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A region of a file, read in chunks by positional reads ({@link FileChannel#read(ByteBuffer, long)})
 * straight into buffers of the channel's allocator: no heap copy, and the file's own position
 * is left alone. A file that is shorter than the region when read fails the transfer with an
 * {@link EOFException}.
 */
public final class ChunkedFile implements ChunkedInput<Buffer> {
    /** The chunk size when none is given: {@value} bytes. */
    public static final int DEFAULT_CHUNK_SIZE = 8192;

    private final FileChannel file;
    private final Path path;
    private final long start;
    private final long end;
    private final int chunkSize;
    private long position;
    private boolean closed;

    /**
     * The whole of the file at {@code path}, in chunks of {@value #DEFAULT_CHUNK_SIZE} bytes.
     *
     * @throws IOException if the file cannot be opened
     */
    public ChunkedFile(Path path) throws IOException {
        this(path, 0, -1, DEFAULT_CHUNK_SIZE);
    }

    /**
     * {@code count} bytes of the file at {@code path} from {@code offset}.
     *
     * @param count the bytes to send, or -1 for everything from {@code offset} to the end
     * @param chunkSize the most bytes per chunk, at least 1
     * @throws IOException if the file cannot be opened or measured
     * @throws IllegalArgumentException if the region is negative or passes the end of the file
     */
    public ChunkedFile(Path path, long offset, long count, int chunkSize) throws IOException {
        this(FileChannel.open(path, StandardOpenOption.READ), path, offset, count, chunkSize);
    }

    /**
     * {@code count} bytes of an open file from {@code offset}; {@link #close()} closes it.
     *
     * @param count the bytes to send, or -1 for everything from {@code offset} to the end
     * @param chunkSize the most bytes per chunk, at least 1
     * @throws IOException if the file cannot be measured
     * @throws IllegalArgumentException if the region is negative or passes the end of the file
     */
    public ChunkedFile(FileChannel file, long offset, long count, int chunkSize) throws IOException {
        this(file, null, offset, count, chunkSize);
    }

    private ChunkedFile(FileChannel file, Path path, long offset, long count, int chunkSize) throws IOException {
        this.file = file;
        this.path = path;
        try {
            long size = file.size();
            if (offset < 0 || offset > size || count < -1 || (count >= 0 && count > size - offset)) {
                throw new IllegalArgumentException("region offset " + offset + ", count " + count
                        + " does not fit a file of " + size + " bytes" + (path != null ? ": " + path : ""));
            }
            if (chunkSize < 1) {
                throw new IllegalArgumentException("chunk size must be at least 1: " + chunkSize);
            }
            this.start = offset;
            this.end = count < 0 ? size : offset + count;
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
        this.chunkSize = chunkSize;
        this.position = offset;
    }

    @Override
    public boolean isEndOfInput() {
        return closed || position >= end;
    }

    @Override
    public Buffer readChunk(BufferAllocator allocator) throws IOException {
        if (isEndOfInput()) {
            return null;
        }
        int length = (int) Math.min(chunkSize, end - position);
        Buffer chunk = allocator.allocate(length);
        try {
            ByteBuffer target = chunk.segment().asSlice(0, length).asByteBuffer();
            while (target.hasRemaining()) {
                int n = file.read(target, position + target.position());
                if (n < 0) {
                    throw new EOFException("file ended at " + (position + target.position()) + ", before "
                            + end + " bytes" + (path != null ? ": " + path : ""));
                }
            }
            chunk.writerIndex(length);
            position += length;
            return chunk;
        } catch (IOException | RuntimeException | Error e) {
            chunk.release();
            throw e;
        }
    }

    @Override
    public long length() {
        return end - start;
    }

    @Override
    public long progress() {
        return position - start;
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            file.close();
        }
    }

    @Override
    public String toString() {
        return "ChunkedFile(" + (path != null ? path + ", " : "") + progress() + "/" + length() + " bytes)";
    }
}
