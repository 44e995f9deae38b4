package io.panamanetty.codec;

import io.panamanetty.buffer.Buffer;

/** Big-endian length fields of 1, 2, 4 or 8 bytes, shared by the length-field decoder and prepender. */
final class LengthFields {
    private LengthFields() {
    }

    /**
     * {@return {@code fieldLength}} after checking it is 1, 2, 4 or 8.
     *
     * @throws IllegalArgumentException otherwise
     */
    static int checkFieldLength(int fieldLength) {
        if (fieldLength != 1 && fieldLength != 2 && fieldLength != 4 && fieldLength != 8) {
            throw new IllegalArgumentException("lengthFieldLength must be 1, 2, 4 or 8, not " + fieldLength);
        }
        return fieldLength;
    }

    /**
     * {@return the field of {@code fieldLength} bytes at {@code index}}: unsigned for 1, 2 and 4
     * bytes, as stored (so possibly negative) for 8.
     */
    static long get(Buffer buffer, int index, int fieldLength) {
        return switch (fieldLength) {
            case 1 -> buffer.getUnsignedByte(index);
            case 2 -> buffer.getUnsignedShort(index);
            case 4 -> buffer.getUnsignedInt(index);
            case 8 -> buffer.getLong(index);
            default -> throw new IllegalArgumentException("lengthFieldLength must be 1, 2, 4 or 8, not " + fieldLength);
        };
    }

    /** {@return the largest length a field of {@code fieldLength} bytes can announce} */
    static long maxValue(int fieldLength) {
        return fieldLength == 8 ? Long.MAX_VALUE : (1L << (8 * fieldLength)) - 1;
    }

    /** Appends {@code value} (at most {@link #maxValue}) as a field of {@code fieldLength} bytes. */
    static void write(Buffer buffer, int fieldLength, long value) {
        switch (fieldLength) {
            case 1 -> buffer.writeByte((int) value);
            case 2 -> buffer.writeShort((int) value);
            case 4 -> buffer.writeInt((int) value);
            case 8 -> buffer.writeLong(value);
            default -> throw new IllegalArgumentException("lengthFieldLength must be 1, 2, 4 or 8, not " + fieldLength);
        }
    }
}
