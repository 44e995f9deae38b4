package io.panamanetty.buffer;

/**
 * The index and argument checks of {@link Buffer}, with the messages they fail with.
 *
 * <p>Each check takes the values it compares (or the buffer, read through its public
 * accessors) and throws on failure; the message building lives here, out of the buffer's
 * methods, which keeps those small enough for the JIT to inline. Checks run before any
 * memory is touched, so a failed call leaves the buffer as it was.
 */
final class BufferChecks {

    private BufferChecks() {
    }

    /** {@return the exception for an access to a buffer whose memory was freed} */
    static IllegalReferenceCountException freed(int refCnt) {
        return new IllegalReferenceCountException("buffer used after it was freed (refCnt: " + refCnt + ")");
    }

    /** {@return the exception for a {@code set*} or {@code write*} on a read-only view} */
    static java.nio.ReadOnlyBufferException readOnly(Buffer buf) {
        return new ReadOnlyView("cannot write to a read-only view: " + buf);
    }

    /** A {@link java.nio.ReadOnlyBufferException} with a message (the JDK's takes none). */
    private static final class ReadOnlyView extends java.nio.ReadOnlyBufferException {
        private static final long serialVersionUID = 1L;
        private final String message;

        ReadOnlyView(String message) {
            this.message = message;
        }

        @Override
        public String getMessage() {
            return message;
        }
    }

    /** Checks {@code 0 <= readerIndex <= writerIndex}. */
    static void checkReaderIndex(int readerIndex, int writerIndex) {
        if (readerIndex < 0 || readerIndex > writerIndex) {
            throw new IndexOutOfBoundsException("readerIndex: " + readerIndex
                    + " (expected: 0 <= readerIndex <= writerIndex(" + writerIndex + "))");
        }
    }

    /** Checks {@code readerIndex <= writerIndex <= capacity}. */
    static void checkWriterIndex(int writerIndex, int readerIndex, int capacity) {
        if (writerIndex < readerIndex || writerIndex > capacity) {
            throw new IndexOutOfBoundsException("writerIndex: " + writerIndex + " (expected: readerIndex("
                    + readerIndex + ") <= writerIndex <= capacity(" + capacity + "))");
        }
    }

    /** Checks that {@code [index, index + length)} lies within {@code [0, capacity)}. */
    static void checkIndex(int index, int length, int capacity) {
        if (index < 0 || length < 0 || index > capacity - length) {
            throw new IndexOutOfBoundsException("index: " + index + ", length: " + length
                    + " (expected: range(0, " + capacity + "))");
        }
    }

    /** Checks that both ends of a search lie within {@code [0, capacity]}. */
    static void checkSearchRange(int fromIndex, int toIndex, int capacity) {
        if (fromIndex < 0 || fromIndex > capacity || toIndex < 0 || toIndex > capacity) {
            throw new IndexOutOfBoundsException("fromIndex: " + fromIndex + ", toIndex: " + toIndex
                    + " (expected: both in range(0, " + capacity + "))");
        }
    }

    /** Checks that {@code length} is not negative and at most {@code buf.readableBytes()}. */
    static void checkReadable(Buffer buf, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length: " + length + " (expected: >= 0)");
        }
        if (length > buf.readableBytes()) {
            throw new IndexOutOfBoundsException("readerIndex(" + buf.readerIndex() + ") + length(" + length
                    + ") exceeds writerIndex(" + buf.writerIndex() + "): " + buf);
        }
    }

    /** Checks that {@code minWritableBytes} is not negative. */
    static void checkMinWritableBytes(int minWritableBytes) {
        if (minWritableBytes < 0) {
            throw new IllegalArgumentException("minWritableBytes: " + minWritableBytes + " (expected: >= 0)");
        }
    }

    /**
     * Checks that {@code buf}, short of room for {@code minWritableBytes}, may grow enough:
     * it must be a root, and {@code writerIndex + minWritableBytes} within its max capacity.
     */
    static void checkGrowable(Buffer buf, boolean root, int minWritableBytes) {
        if (!root) {
            throw new IndexOutOfBoundsException("a slice or duplicate cannot grow: writerIndex("
                    + buf.writerIndex() + ") + minWritableBytes(" + minWritableBytes + ") exceeds capacity("
                    + buf.capacity() + "): " + buf);
        }
        if ((long) buf.writerIndex() + minWritableBytes > buf.maxCapacity()) {
            throw new IndexOutOfBoundsException("writerIndex(" + buf.writerIndex() + ") + minWritableBytes("
                    + minWritableBytes + ") exceeds maxCapacity(" + buf.maxCapacity() + "): " + buf);
        }
    }

    /** Checks that {@code size} bytes could ever fit in {@code buf}, before they are copied. */
    static void checkFits(Buffer buf, long size) {
        if (size > buf.maxCapacity()) {
            throw new IndexOutOfBoundsException("writing " + size + " bytes exceeds maxCapacity("
                    + buf.maxCapacity() + "): " + buf);
        }
    }
}
