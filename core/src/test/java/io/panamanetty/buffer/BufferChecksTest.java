package io.panamanetty.buffer;

import io.panamanetty.testing.LeakCheck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

import java.lang.foreign.MemorySegment;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The failure messages of {@link BufferChecks} as a caller sees them through {@link Buffer},
 * the search of {@link BufferCopies} on a view, and the shape of {@link Buffer} that keeps
 * its hot accessors free of bridge calls.
 */
@ExtendWith(LeakCheck.class)
class BufferChecksTest {

    @Test
    void hotAccessorsAreDeclaredOnBufferItselfNotBridged() throws NoSuchMethodException {
        for (String name : List.of("memoryAddress", "readerIndex", "writerIndex", "readableBytes", "refCnt",
                "release")) {
            Method method = Buffer.class.getDeclaredMethod(name);
            assertFalse(method.isBridge() || method.isSynthetic(), name + " goes through a bridge");
        }
    }

    @Test
    void argumentAndRangeMessagesNameTheValues(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(8);
        try {
            assertMessage(IllegalArgumentException.class, "length: -1 (expected: >= 0)", () -> buf.skipBytes(-1));
            assertMessage(IllegalArgumentException.class, "minWritableBytes: -1 (expected: >= 0)",
                    () -> buf.ensureWritable(-1));
            assertMessage(IndexOutOfBoundsException.class, "fromIndex: 0, toIndex: 9 (expected: both in range(0, 8))",
                    () -> buf.indexOf(0, 9, (byte) 0));
            assertMessage(IndexOutOfBoundsException.class, "index: -1, length: 2 (expected: range(0, 8))",
                    () -> buf.slice(-1, 2));
        } finally {
            buf.release();
        }
    }

    @Test
    void growthLimitMessagesShowTheBuffer(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(4, 8);
        try {
            assertMessage(IndexOutOfBoundsException.class,
                    "writing 9 bytes exceeds maxCapacity(8): Buffer(ridx: 0, widx: 0, cap: 4, refCnt: 1)",
                    () -> buf.writeBytes(MemorySegment.ofArray(new byte[9])));
            buf.writeInt(7);
            Buffer slice = buf.slice();
            assertMessage(IndexOutOfBoundsException.class, "a slice or duplicate cannot grow: writerIndex(4) + "
                    + "minWritableBytes(2) exceeds capacity(4): Buffer(ridx: 0, widx: 4, cap: 4, refCnt: 1)",
                    () -> slice.writeShort(1));
            assertEquals(4, buf.capacity(), "a failed write leaves the buffer as it was");
            assertEquals(4, buf.writerIndex());
        } finally {
            buf.release();
        }
    }

    @Test
    void aFreedBufferSaysSo(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(8);
        Buffer view = buf.duplicate();
        buf.release();
        for (Executable use : List.<Executable>of(buf::memoryAddress, () -> buf.getInt(0), () -> view.writeByte(1),
                () -> buf.indexOf(0, 1, (byte) 0), buf::toByteArray, () -> view.ensureWritable(0))) {
            assertMessage(IllegalReferenceCountException.class, "buffer used after it was freed (refCnt: 0)", use);
        }
    }

    @Test
    void indexOfOnAViewAnswersInTheViewsIndices(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.copyOf("ab\ncd\nef", StandardCharsets.US_ASCII);
        try {
            Buffer slice = buf.slice(3, 5);
            assertEquals(2, slice.indexOf(0, 5, (byte) '\n'));
            assertEquals(2, slice.indexOf(5, 0, (byte) '\n'));
            assertEquals(-1, slice.indexOf(0, 5, (byte) 'a'), "bytes before the view are not searched");
            assertEquals(0, slice.indexOf(0, 5, (byte) 'c'));
        } finally {
            buf.release();
        }
    }

    private static void assertMessage(Class<? extends Throwable> type, String message, Executable executable) {
        assertEquals(message, assertThrows(type, executable).getMessage());
    }
}
