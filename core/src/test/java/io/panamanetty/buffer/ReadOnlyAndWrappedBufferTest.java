package io.panamanetty.buffer;

import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Read-only views, and buffers over memory someone else owns ({@link WrappedBuffers}). */
@ExtendWith(LeakCheck.class)
class ReadOnlyAndWrappedBufferTest {

    @Test
    void aReadOnlyViewReadsButRefusesEveryWrite(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(16).writeInt(42);
        try {
            Buffer view = buf.asReadOnly();
            assertTrue(view.isReadOnly());
            assertFalse(buf.isReadOnly());
            assertEquals(42, view.getInt(0));
            assertEquals(42, view.readInt());
            assertEquals(0, buf.readerIndex(), "the view has its own indices");
            ReadOnlyBufferException e = assertThrows(ReadOnlyBufferException.class, () -> view.setInt(0, 1));
            assertTrue(e.getMessage().contains("read-only view"), e.getMessage());
            assertThrows(ReadOnlyBufferException.class, () -> view.writeByte(1));
            assertThrows(ReadOnlyBufferException.class, () -> view.setMediumLE(0, 1));
            assertThrows(ReadOnlyBufferException.class, () -> view.writeBytes(new byte[0]));
            assertThrows(ReadOnlyBufferException.class, () -> view.ensureWritable(0));
            assertTrue(view.slice(0, 4).isReadOnly(), "views of a read-only view are read-only");
            assertTrue(view.retainedDuplicate().release() == false);
            assertTrue(view.nioBuffer().isReadOnly());
            assertTrue(view.segment().isReadOnly());
            assertEquals(42, buf.getInt(0), "nothing was written");
            assertTrue(view.sharesReferenceCount(buf));
        } finally {
            buf.release();
        }
    }

    @Test
    void aWrappedSegmentIsReadInPlaceAndHandedBackOnRelease() {
        AtomicInteger released = new AtomicInteger();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(8);
            segment.set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 0, 0x1122334455667788L);
            Buffer buf = WrappedBuffers.wrap(segment, released::incrementAndGet);
            assertEquals(8, buf.readableBytes(), "everything wrapped is readable");
            assertEquals(8, buf.maxCapacity());
            assertTrue(buf.isDirect());
            assertEquals(segment.address(), buf.memoryAddress(), "no copy");
            assertEquals(0x11223344, buf.readInt());
            buf.setByte(0, 0x7F);
            assertEquals(0x7F, segment.get(ValueLayout.JAVA_BYTE, 0), "writes reach the owner's memory");
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> buf.writeByte(1));
            assertTrue(e.getMessage().contains("maxCapacity(8)"), e.getMessage());
            Buffer slice = buf.retainedSlice(4, 4);
            assertTrue(buf.release() == false);
            assertEquals(0, released.get());
            assertTrue(slice.release());
            assertEquals(1, released.get(), "the owner is told once, at the last release");
            assertEquals(0x55, segment.get(ValueLayout.JAVA_BYTE, 4), "and its memory is left alone");
        }
    }

    @Test
    void aWrappedSegmentFailsOnceItsOwnerClosedIt() {
        Arena arena = Arena.ofConfined();
        Buffer buf = WrappedBuffers.wrap(arena.allocate(16));
        try {
            arena.close();
            assertThrows(IllegalStateException.class, () -> buf.getByte(0));
            IllegalStateException e = assertThrows(IllegalStateException.class, buf::memoryAddress);
            assertTrue(e.getMessage().contains("closed by its owner"), e.getMessage());
        } finally {
            buf.release();
        }
    }

    @Test
    void byteBuffersAndArraysAreWrappedWithoutCopying() {
        ByteBuffer direct = ByteBuffer.allocateDirect(16).putInt(0, 5).position(0).limit(8);
        Buffer fromDirect = WrappedBuffers.wrap(direct);
        byte[] array = {1, 2, 3, 4, 5};
        Buffer fromArray = WrappedBuffers.wrap(array, 1, 3);
        Buffer fromReadOnly = WrappedBuffers.wrap(ByteBuffer.wrap(array).asReadOnlyBuffer());
        try {
            assertEquals(8, fromDirect.readableBytes());
            assertEquals(5, fromDirect.readInt());
            assertTrue(fromDirect.isDirect());
            assertEquals(0, direct.position(), "the ByteBuffer's position does not move");

            assertFalse(fromArray.isDirect());
            assertArrayEquals(new byte[] {2, 3, 4}, fromArray.toByteArray());
            fromArray.setByte(0, 9);
            assertEquals(9, array[1], "the array itself is the memory");
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    fromArray::memoryAddress);
            assertTrue(e.getMessage().contains("heap array"), e.getMessage());
            assertFalse(fromArray.nioBuffer().isDirect());

            assertTrue(fromReadOnly.isReadOnly());
            assertThrows(ReadOnlyBufferException.class, () -> fromReadOnly.setByte(0, 0));
            assertEquals(5, fromReadOnly.readableBytes());
        } finally {
            fromDirect.release();
            fromArray.release();
            fromReadOnly.release();
        }
        assertThrows(IllegalReferenceCountException.class, () -> fromArray.getByte(0));
    }
}
