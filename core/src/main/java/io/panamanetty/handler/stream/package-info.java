/**
 * Sending data too large to hold in memory at once: {@link io.panamanetty.handler.stream.ChunkedWriteHandler}
 * writes a {@link io.panamanetty.handler.stream.ChunkedInput} (a file, an input stream, a
 * readable channel) one chunk at a time, as fast as the channel's writability allows.
 */
package io.panamanetty.handler.stream;
