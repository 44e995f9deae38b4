package io.panamanetty.handler.stream;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.embedded.EmbeddedChannel;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ChunkedWriteHandler's order and outcomes, on the embedded channel (always writable). */
@ExtendWith(LeakCheck.class)
class ChunkedWriteEmbeddedTest {

    @Test
    void chunksLeaveInOrderAndALaterMessageWaitsForTheInput() throws Exception {
        byte[] data = new byte[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        List<Long> progress = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new ChunkedWriteHandler((input, done, total) -> progress.add(done)));
        ChannelFuture chunked = ch.writeAndFlush(new ChunkedStream(new ByteArrayInputStream(data), 300));
        ChannelFuture after = ch.writeAndFlush("after");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> sizes = new ArrayList<>();
        Object message;
        while ((message = ch.readOutbound()) instanceof Buffer buffer) {
            sizes.add(buffer.readableBytes());
            out.write(buffer.toByteArray());
            buffer.release();
        }
        assertEquals(List.of(300, 300, 300, 100), sizes);
        assertEquals("after", message, "the message written after the input comes after all of it");
        assertNull(ch.readOutbound());
        assertArrayEquals(data, out.toByteArray());
        assertTrue(chunked.isSuccess() && after.isSuccess());
        assertEquals(List.of(300L, 600L, 900L, 1000L), progress);
        assertFalse(ch.finish());
    }

    @Test
    void aFailingInputFailsItsWriteAndIsClosed() {
        PatternInputStream source = new PatternInputStream(10_000, 7);
        ChunkedInput<Buffer> failing = new ChunkedInput<>() {
            private final ChunkedStream delegate = new ChunkedStream(source, 4096);

            @Override
            public boolean isEndOfInput() throws IOException {
                return delegate.isEndOfInput();
            }

            @Override
            public Buffer readChunk(io.panamanetty.buffer.BufferAllocator allocator) throws IOException {
                if (delegate.progress() >= 4096) {
                    throw new IOException("disk on fire");
                }
                return delegate.readChunk(allocator);
            }

            @Override
            public long length() {
                return -1;
            }

            @Override
            public long progress() {
                return delegate.progress();
            }

            @Override
            public void close() throws IOException {
                delegate.close();
            }
        };
        EmbeddedChannel ch = new EmbeddedChannel(new ChunkedWriteHandler());
        ChannelFuture write = ch.writeAndFlush(failing);
        ChannelFuture next = ch.writeAndFlush("next");
        Buffer first = ch.readOutbound();
        assertEquals(4096, first.readableBytes());
        first.release();
        assertEquals("next", ch.readOutbound(), "the queue goes on after a failed input");
        assertEquals("disk on fire", write.cause().getMessage());
        assertTrue(source.closed.get(), "the failed input was closed");
        assertTrue(next.isSuccess());
        assertFalse(ch.finish());
    }
    @Test
    void aNonBlockingSourceWithNothingYetPausesUntilResumed() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        ChunkedWriteHandler handler = new ChunkedWriteHandler();
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        Pipe.SinkChannel sink = pipe.sink();
        try {
            sink.write(ByteBuffer.wrap("first".getBytes(StandardCharsets.US_ASCII)));
            ChannelFuture write = ch.writeAndFlush(new ChunkedNioStream(pipe.source(), 64));
            ChannelFuture after = ch.writeAndFlush("after");
            assertEquals("first", readText(ch));
            assertNull(ch.readOutbound(), "nothing more to read yet: the transfer waits, and the later write too");
            assertFalse(write.isDone());
            sink.write(ByteBuffer.wrap("second".getBytes(StandardCharsets.US_ASCII)));
            sink.close();
            handler.resumeTransfer();
            ch.runPendingTasks();
            assertEquals("second", readText(ch));
            Object next = ch.readOutbound();
            if (next instanceof Buffer empty) {   // the end, found after the last chunk: an empty write closes it
                assertEquals(0, empty.readableBytes());
                empty.release();
                next = ch.readOutbound();
            }
            assertEquals("after", next);
            assertTrue(write.isSuccess() && after.isSuccess());
            assertFalse(pipe.source().isOpen(), "the input closed its channel");
        } finally {
            sink.close();
            pipe.source().close();
        }
        assertFalse(ch.finish());
    }

    @Test
    void anEmptyInputCompletesItsWrite() {
        PatternInputStream source = new PatternInputStream(0, 1);
        EmbeddedChannel ch = new EmbeddedChannel(new ChunkedWriteHandler());
        ChannelFuture write = ch.writeAndFlush(new ChunkedStream(source));
        Buffer empty = ch.readOutbound();
        assertEquals(0, empty.readableBytes());
        empty.release();
        assertTrue(write.isSuccess());
        assertTrue(source.closed.get());
        assertFalse(ch.finish());
    }

    private static String readText(EmbeddedChannel ch) {
        Buffer buffer = ch.readOutbound();
        try {
            return buffer.toString(StandardCharsets.US_ASCII);
        } finally {
            buffer.release();
        }
    }
    @Test
    void aFileCutShortFailsTheTransferNamingTheFile(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("shrinking.bin"), new byte[10_000]);
        ChunkedFile input = new ChunkedFile(file, 0, 10_000, 4096);
        try (FileChannel cut = FileChannel.open(file, StandardOpenOption.WRITE)) {
            cut.truncate(5000);
        }
        EmbeddedChannel ch = new EmbeddedChannel(new ChunkedWriteHandler());
        ChannelFuture write = ch.writeAndFlush(input);
        Buffer first = ch.readOutbound();
        assertEquals(4096, first.readableBytes());
        first.release();
        EOFException cause = assertInstanceOf(EOFException.class, write.cause());
        assertTrue(cause.getMessage().contains("shrinking.bin") && cause.getMessage().contains("5000"),
                cause.getMessage());
        assertNull(ch.readOutbound());
        assertFalse(ch.finish());
    }

    @Test
    void aRegionPastTheEndOfTheFileIsRefusedAndTheFileClosed(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("small.bin"), new byte[100]);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new ChunkedFile(file, 50, 51, 10));
        assertTrue(refused.getMessage().contains("100 bytes"), refused.getMessage());
        // LeakCheck fails the test if the file's descriptor stayed open.
    }
}
