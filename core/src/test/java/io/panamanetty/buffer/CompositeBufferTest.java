package io.panamanetty.buffer;

import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(LeakCheck.class)
class CompositeBufferTest {

    private static Buffer bytes(UnpooledBufferAllocator alloc, int... values) {
        Buffer buffer = alloc.allocate(values.length);
        for (int value : values) {
            buffer.writeByte(value);
        }
        return buffer;
    }

    @Test
    void readsAcrossComponentBoundaries(UnpooledBufferAllocator alloc) {
        Buffer first = bytes(alloc, 9, 1, 2, 3);
        first.skipBytes(1);   // only the readable bytes count
        CompositeBuffer composite = alloc.compositeBuffer()
                .addComponent(first).addComponent(bytes(alloc, 4, 5)).addComponent(bytes(alloc, 6, 7, 8));
        try {
            assertEquals(3, composite.numComponents());
            assertEquals(8, composite.readableBytes());
            assertEquals(0x01020304, composite.getInt(0), "spans two components");
            assertEquals(0x04030201, composite.getIntLE(0));
            assertEquals(0x0102030405060708L, composite.getLong(0), "spans three");
            assertEquals(0x0807060504030201L, composite.getLongLE(0));
            assertEquals(0x0405, composite.getShort(3), "within one component: its own accessor");
            assertEquals(0x0504, composite.getShortLE(3));
            assertEquals(1, composite.readByte());
            assertEquals(0x0203, composite.readShort());
            assertEquals(0x04050607, composite.readInt());
            assertEquals(1, composite.readableBytes());
            composite.readerIndex(2);
            byte[] rest = new byte[4];
            composite.readBytes(rest);
            assertArrayEquals(new byte[] {3, 4, 5, 6}, rest);
            assertArrayEquals(new byte[] {7, 8}, composite.toByteArray());
            assertThrows(IndexOutOfBoundsException.class, () -> composite.getInt(6));
            assertThrows(IndexOutOfBoundsException.class, composite::readInt);
        } finally {
            assertTrue(composite.release());
        }
        assertEquals(0, first.refCnt(), "released as one: every component goes with it");
    }

    @Test
    void searchesAndCopiesAcrossComponents(UnpooledBufferAllocator alloc) {
        CompositeBuffer composite = CompositeBuffer.of(alloc.copyOf("GET /in".getBytes(StandardCharsets.US_ASCII)),
                alloc.copyOf("dex HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)));
        try {
            assertEquals(3, composite.forEachByte(ByteProcessor.FIND_LINEAR_WHITESPACE));
            assertEquals(19, composite.forEachByte(ByteProcessor.FIND_CRLF), "found in the second component");
            composite.skipBytes(4);
            assertEquals(6, composite.bytesBefore((byte) ' '));
            assertEquals(-1, composite.bytesBefore((byte) 'z'));
            Buffer copy = composite.copy(alloc);
            try {
                assertEquals("/index HTTP/1.1\r\n", copy.toString(StandardCharsets.US_ASCII));
            } finally {
                copy.release();
            }
            assertEquals("/index HTTP/1.1\r\n", composite.toString(StandardCharsets.US_ASCII));
        } finally {
            composite.release();
        }
    }

    @Test
    void aRetainedSliceSharesTheComponentsWithoutCopying(UnpooledBufferAllocator alloc) {
        Buffer a = bytes(alloc, 1, 2, 3);
        Buffer b = bytes(alloc, 4, 5, 6);
        CompositeBuffer composite = CompositeBuffer.of(a, b);
        CompositeBuffer slice = composite.retainedSlice(2, 3);
        assertEquals(2, slice.numComponents());
        assertTrue(slice.component(0).sharesReferenceCount(a));
        assertArrayEquals(new byte[] {3, 4, 5}, slice.toByteArray());
        assertTrue(composite.release(), "the slice holds the components' references, not the composite's");
        assertEquals(1, a.refCnt(), "the slice keeps the components alive");
        assertEquals(0x030405, slice.getByte(0) << 16 | slice.getByte(1) << 8 | slice.getByte(2));
        assertTrue(slice.release());
        assertEquals(0, a.refCnt());
        assertEquals(0, b.refCnt());
    }

    @Test
    void emptyComponentsAreReleasedAtOnceAndFreedCompositesRefuseUse(UnpooledBufferAllocator alloc) {
        Buffer empty = alloc.allocate(8);
        CompositeBuffer composite = alloc.compositeBuffer().addComponent(empty);
        assertEquals(0, empty.refCnt());
        assertEquals(0, composite.numComponents());
        assertEquals(0, composite.componentCount());
        composite.retain();
        assertEquals(2, composite.refCnt());
        assertFalse(composite.release());
        assertTrue(composite.release());
        assertThrows(IllegalReferenceCountException.class, composite::readByte);
        assertThrows(IllegalReferenceCountException.class, composite::release);
        Buffer late = bytes(alloc, 1);
        assertThrows(IllegalReferenceCountException.class, () -> composite.addComponent(late));
        assertEquals(0, late.refCnt(), "a refused component is released, not leaked");
    }

    @Test
    void componentsAreHandedOverForSendingAtTheirReadableRange(UnpooledBufferAllocator alloc) {
        Buffer a = bytes(alloc, 1, 2, 3);
        Buffer b = bytes(alloc, 4, 5);
        CompositeBuffer composite = CompositeBuffer.of(a, b);
        composite.skipBytes(1);
        assertEquals(2, composite.componentCount());
        Buffer first = composite.takeComponent(0);
        assertSame(a, first, "exclusively owned: the component itself, no view");
        assertEquals(1, first.readerIndex());
        assertEquals(2, first.readableBytes());
        assertThrows(IllegalStateException.class, () -> composite.takeComponent(0));
        assertTrue(composite.release(), "b, not taken, goes with the composite");
        assertEquals(0, b.refCnt());
        assertEquals(1, a.refCnt(), "a is the taker's now");
        a.release();

        Buffer c = bytes(alloc, 7, 8);
        CompositeBuffer shared = CompositeBuffer.of(c).retain();
        Buffer view = shared.takeComponent(0);
        assertNotSame(c, view, "shared: a retained slice, the composite keeps its component");
        view.release();
        shared.release();
        assertEquals(1, c.refCnt());
        shared.release();
        assertEquals(0, c.refCnt());
    }

    @Test
    void aReleasedCompositeIsReusedOnItsThread(UnpooledBufferAllocator alloc) {
        CompositeBuffer first = CompositeBuffer.of(bytes(alloc, 1));
        first.release();
        CompositeBuffer second = CompositeBuffer.create();
        try {
            assertSame(first, second);
            assertEquals(1, second.refCnt());
            assertEquals(0, second.numComponents());
            assertEquals(0, second.readerIndex());
        } finally {
            second.release();
        }
    }
}
