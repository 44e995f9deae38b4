package io.panamanetty.buffer;

import io.panamanetty.testing.LeakCheck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(LeakCheck.class)
class ReferenceCountTest {

    @Test
    void releaseReturnsTrueOnlyWhenTheMemoryIsFreed(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(8);
        assertSame(buf, buf.retain());
        assertSame(buf, buf.retain(3));
        assertEquals(5, buf.refCnt());
        assertFalse(buf.release());
        assertFalse(buf.release(3));
        assertEquals(1, buf.refCnt());
        assertEquals(1, alloc.outstandingBuffers());
        assertTrue(buf.release());
        assertEquals(0, buf.refCnt());
        assertEquals(0, alloc.outstandingBuffers());
        assertEquals(0, alloc.outstandingBytes());
    }

    @Test
    void releasingSeveralAtOnceCanFree(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(8).retain(2);
        assertTrue(buf.release(3));
        assertEquals(0, alloc.outstandingBuffers());
    }

    @Test
    void overReleaseThrowsAndChangesNothing(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(8).retain();
        IllegalReferenceCountException e = assertThrows(IllegalReferenceCountException.class, () -> buf.release(3));
        assertEquals("refCnt: 2, decrement: 3", e.getMessage());
        assertEquals(2, buf.refCnt());
        assertTrue(buf.release(2));
        e = assertThrows(IllegalReferenceCountException.class, buf::release);
        assertEquals("refCnt: 0, decrement: 1", e.getMessage());
        assertEquals(0, alloc.outstandingBuffers(), "freed once only");
    }

    @Test
    void retainAfterFreeThrows(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(8);
        buf.release();
        IllegalReferenceCountException e = assertThrows(IllegalReferenceCountException.class, buf::retain);
        assertEquals("refCnt: 0, increment: 1", e.getMessage());
        assertThrows(IllegalReferenceCountException.class, () -> buf.retain(2));
        assertEquals(0, buf.refCnt());
    }

    @Test
    void countsMustBePositiveAndMustNotOverflow(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(8);
        try {
            assertThrows(IllegalArgumentException.class, () -> buf.retain(0));
            assertThrows(IllegalArgumentException.class, () -> buf.release(-1));
            IllegalReferenceCountException e = assertThrows(IllegalReferenceCountException.class,
                    () -> buf.retain(Integer.MAX_VALUE));
            assertEquals("refCnt: 1, increment: " + Integer.MAX_VALUE, e.getMessage());
            assertEquals(1, buf.refCnt());
        } finally {
            buf.release();
        }
    }

    @Test
    void everyAccessToAFreedBufferThrows(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.copyOf(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        Buffer other = alloc.copyOf(new byte[] {1});
        buf.readerIndex(2);
        buf.release();

        Map<String, Executable> accesses = Map.ofEntries(
                Map.entry("getByte", () -> buf.getByte(0)),
                Map.entry("getUnsignedByte", () -> buf.getUnsignedByte(0)),
                Map.entry("getShort", () -> buf.getShort(0)),
                Map.entry("getInt", () -> buf.getInt(0)),
                Map.entry("getLong", () -> buf.getLong(0)),
                Map.entry("getBytes", () -> buf.getBytes(0, new byte[1], 0, 1)),
                Map.entry("setByte", () -> buf.setByte(0, 1)),
                Map.entry("setShort", () -> buf.setShort(0, 1)),
                Map.entry("setInt", () -> buf.setInt(0, 1)),
                Map.entry("setLong", () -> buf.setLong(0, 1)),
                Map.entry("setBytes", () -> buf.setBytes(0, new byte[1], 0, 1)),
                Map.entry("readByte", buf::readByte),
                Map.entry("readShort", buf::readShort),
                Map.entry("readInt", buf::readInt),
                Map.entry("readLong", buf::readLong),
                Map.entry("readBytes(byte[])", () -> buf.readBytes(new byte[1])),
                Map.entry("readBytes(int)", () -> buf.readBytes(1)),
                Map.entry("skipBytes", () -> buf.skipBytes(1)),
                Map.entry("writeByte", () -> buf.writeByte(1)),
                Map.entry("writeLong", () -> buf.writeLong(1)),
                Map.entry("writeBytes(byte[])", () -> buf.writeBytes(new byte[1])),
                Map.entry("writeBytes(ByteBuffer)", () -> buf.writeBytes(ByteBuffer.allocate(1))),
                Map.entry("writeBytes(MemorySegment)", () -> buf.writeBytes(MemorySegment.ofArray(new byte[1]))),
                Map.entry("writeBytes(Buffer)", () -> buf.writeBytes(other)),
                Map.entry("writeBytes(freed Buffer)", () -> other.writeBytes(buf)),
                Map.entry("writeCharSequence", () -> buf.writeCharSequence("x", StandardCharsets.US_ASCII)),
                Map.entry("ensureWritable", () -> buf.ensureWritable(1)),
                Map.entry("indexOf", () -> buf.indexOf(0, 1, (byte) 1)),
                Map.entry("memoryAddress", buf::memoryAddress),
                Map.entry("segment", buf::segment),
                Map.entry("readableSegment", buf::readableSegment),
                Map.entry("nioBuffer", buf::nioBuffer),
                Map.entry("slice()", buf::slice),
                Map.entry("slice(int, int)", () -> buf.slice(0, 1)),
                Map.entry("duplicate", buf::duplicate),
                Map.entry("retainedSlice", buf::retainedSlice),
                Map.entry("retainedDuplicate", buf::retainedDuplicate),
                Map.entry("toByteArray", buf::toByteArray),
                Map.entry("toString(Charset)", () -> buf.toString(StandardCharsets.US_ASCII)));
        for (Map.Entry<String, Executable> access : accesses.entrySet()) {
            IllegalReferenceCountException e = assertThrows(IllegalReferenceCountException.class,
                    access.getValue(), access.getKey());
            assertTrue(e.getMessage().contains("refCnt: 0"), access.getKey() + ": " + e.getMessage());
        }
        assertEquals(1, other.readableBytes(), "the live source was not consumed");
        assertTrue(other.release());
    }

    @Test
    void theFreedBufferStillDescribesItself(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.copyOf(new byte[] {1, 2, 3});
        buf.release();
        assertEquals("Buffer(ridx: 0, widx: 3, cap: 3, refCnt: 0)", buf.toString());
        assertEquals(3, buf.readableBytes());
        assertEquals(3, buf.capacity());
    }

    @Test
    void touchRecordsTheLatestHintOnTheSharedState(UnpooledBufferAllocator alloc) {
        Buffer buf = alloc.allocate(4);
        try {
            assertSame(buf, buf.touch("decoder"));
            Buffer slice = buf.slice(0, 2).touch(List.of("handler", 2));
            assertEquals(List.of("handler", 2), buf.hint());
            assertSame(slice.hint(), buf.hint());
        } finally {
            buf.release();
        }
    }
}
