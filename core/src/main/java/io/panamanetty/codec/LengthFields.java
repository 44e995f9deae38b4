package io.panamanetty.codec;

import io.panamanetty.buffer.Buffer;

import java.nio.ByteOrder;

/** Length fields of 1, 2, 3, 4 or 8 bytes, either byte order, shared by the length-field decoder and prepender. */
final class LengthFields {
    private LengthFields() {
    }

    /**
     * {@return {@code fieldLength}} after checking it is 1, 2, 3, 4 or 8.
     *
     * @throws IllegalArgumentException otherwise
     */
    static int checkFieldLength(int fieldLength) {
        if (fieldLength != 1 && fieldLength != 2 && fieldLength != 3 && fieldLength != 4 && fieldLength != 8) {
            throw new IllegalArgumentException("lengthFieldLength must be 1, 2, 3, 4 or 8, not " + fieldLength);
        }
        return fieldLength;
    }

    /**
     * {@return the field of {@code fieldLength} bytes at {@code index}}: unsigned for 1 to 4
     * bytes, as stored (so possibly negative) for 8.
     */
    static long get(Buffer buffer, int index, int fieldLength, ByteOrder order) {
        boolean big = order == ByteOrder.BIG_ENDIAN;
        return switch (fieldLength) {
            case 1 -> buffer.getUnsignedByte(index);
            case 2 -> big ? buffer.getUnsignedShort(index) : buffer.getUnsignedShortLE(index);
            case 3 -> big ? buffer.getUnsignedMedium(index) : buffer.getUnsignedMediumLE(index);
            case 4 -> big ? buffer.getUnsignedInt(index) : buffer.getUnsignedIntLE(index);
            case 8 -> big ? buffer.getLong(index) : buffer.getLongLE(index);
            default -> throw new IllegalArgumentException("lengthFieldLength must be 1, 2, 3, 4 or 8, not "
                    + fieldLength);
        };
    }

    /** {@return the largest length a field of {@code fieldLength} bytes can announce} */
    static long maxValue(int fieldLength) {
        return fieldLength == 8 ? Long.MAX_VALUE : (1L << (8 * fieldLength)) - 1;
    }

    /** Appends {@code value} (0 to {@link #maxValue}) as a field of {@code fieldLength} bytes. */
    static void write(Buffer buffer, int fieldLength, long value, ByteOrder order) {
        boolean big = order == ByteOrder.BIG_ENDIAN;
        switch (fieldLength) {
            case 1 -> buffer.writeByte((int) value);
            case 2 -> buffer.writeShort(big ? (int) value : Short.reverseBytes((short) value));
            case 3 -> {
                if (big) {
                    buffer.writeMedium((int) value);
                } else {
                    buffer.writeMediumLE((int) value);
                }
            }
            case 4 -> buffer.writeInt(big ? (int) value : Integer.reverseBytes((int) value));
            case 8 -> buffer.writeLong(big ? value : Long.reverseBytes(value));
            default -> throw new IllegalArgumentException("lengthFieldLength must be 1, 2, 3, 4 or 8, not "
                    + fieldLength);
        }
    }
}
