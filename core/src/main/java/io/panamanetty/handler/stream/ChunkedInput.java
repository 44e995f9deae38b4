package io.panamanetty.handler.stream;

import io.panamanetty.buffer.BufferAllocator;

/**
 * A source of data too large to hold in memory at once, which {@link ChunkedWriteHandler}
 * sends one chunk at a time, each taken only when the channel can take more: a file
 * ({@link ChunkedFile}), an {@link java.io.InputStream} ({@link ChunkedStream}) or a
 * {@link java.nio.channels.ReadableByteChannel} ({@link ChunkedNioStream}). Write the input
 * itself ({@code channel.writeAndFlush(new ChunkedFile(path))}); the handler reads, writes
 * and finally closes it.
 *
 * <p>Used on the channel's event loop only, by one handler; implementations need not be
 * thread-safe.
 *
 * @param <T> the type of the chunks, usually {@link io.panamanetty.buffer.Buffer}
 */
public interface ChunkedInput<T> {

    /**
     * {@return whether every chunk has been read} May read ahead to find out (an input
     * stream cannot tell its end otherwise).
     *
     * @throws Exception if reading ahead fails
     */
    boolean isEndOfInput() throws Exception;

    /**
     * Reads the next chunk.
     *
     * @param allocator where a chunk's buffer comes from; the caller owns the chunk returned
     * @return the chunk, or null if none is available now (a non-blocking source with nothing
     *         to give yet) or the input has ended
     * @throws Exception if reading fails
     */
    T readChunk(BufferAllocator allocator) throws Exception;

    /** {@return the total length in bytes, or -1 if it is not known in advance} */
    long length();

    /** {@return the number of bytes read so far} */
    long progress();

    /**
     * Releases what the input holds (its file, its stream). Called once by the handler when
     * the input ended, failed, or its channel closed first; calling it again does nothing.
     *
     * @throws Exception if closing the underlying source fails
     */
    void close() throws Exception;
}
