package io.panamanetty.handler;

import io.panamanetty.buffer.Buffer;

/** Formats the readable bytes of a buffer as a classic hex dump (offset, hex, ASCII). */
public final class HexDump {
    private static final int MAX_DUMPED = 4096;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private HexDump() {
    }

    /**
     * A header line with the length, then 16 bytes per line; dumps at most the first
     * 4 KiB. The buffer's indices are not changed.
     */
    public static String dump(Buffer buffer) {
        int length = buffer.readableBytes();
        int shown = Math.min(length, MAX_DUMPED);
        StringBuilder text = new StringBuilder(64 + shown * 4).append(length).append('B');
        int start = buffer.readerIndex();
        for (int row = 0; row < shown; row += 16) {
            text.append('\n').append(String.format("%08x  ", row));
            StringBuilder ascii = new StringBuilder(16);
            for (int i = row; i < row + 16; i++) {
                if (i < shown) {
                    int b = buffer.getUnsignedByte(start + i);
                    text.append(HEX[b >>> 4]).append(HEX[b & 0xF]).append(' ');
                    ascii.append(b >= 0x20 && b < 0x7F ? (char) b : '.');
                } else {
                    text.append("   ");
                }
            }
            text.append(" |").append(ascii).append('|');
        }
        if (shown < length) {
            text.append("\n... ").append(length - shown).append(" more bytes");
        }
        return text.toString();
    }
}
