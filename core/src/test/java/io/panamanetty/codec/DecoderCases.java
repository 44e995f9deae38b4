package io.panamanetty.codec;

import io.panamanetty.codec.DecoderPropertyRunner.Case;

import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The generators of {@link DecoderPropertyTest}: for each decoder, a random configuration and
 * a stream of a few frames encoded for it, ending in an incomplete one; about one case in
 * three is then made malformed (bytes overwritten, a frame too long, garbage), in which case
 * no frames are expected, only the property that the outcome does not depend on the cuts.
 */
final class DecoderCases {
    /** Delimiter sets in which no delimiter begins or contains another (except as its end). */
    private static final byte[][][] DELIMITER_SETS = {
            {{'|'}}, {{'E', 'N', 'D'}, {'|'}}, {{'\r', '\n'}, {'\n'}}, {{0}, {'#', '#'}},
            {{'E', 'N', 'D'}, {'\r', '\n'}, {'|'}},
    };

    private DecoderCases() {
    }

    /** Big-endian fields, the short constructor: any error ends decoding. */
    static Case lengthField(Random random) {
        return lengthField(random, false);
    }

    /** Either byte order, the full constructor: too-long frames are skipped and decoding goes on. */
    static Case lengthFieldSkipping(Random random) {
        return lengthField(random, true);
    }

    private static Case lengthField(Random random, boolean skipping) {
        int fieldLength = new int[] {1, 2, 3, 4, 8}[random.nextInt(5)];
        ByteOrder order = skipping && random.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        boolean failFast = random.nextBoolean();
        int offset = random.nextInt(3);
        boolean countsWholeFrame = random.nextBoolean();
        int adjustment = countsWholeFrame ? -(offset + fieldLength) : 0;
        int header = offset + fieldLength;
        int strip = random.nextInt(header + 1);
        int maxPayload = 1 + random.nextInt(fieldLength == 1 ? 200 : 60);
        int maxFrameLength = header + maxPayload;
        boolean malformed = random.nextInt(3) == 0;
        List<byte[]> frames = new ArrayList<>();
        List<byte[]> expected = new ArrayList<>();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int f = random.nextInt(6); f >= 0; f--) {
            int payload = random.nextInt(maxPayload + 1);
            if (malformed && skipping && random.nextInt(3) == 0) {
                payload = maxPayload + 1 + random.nextInt(40);   // too long: skipped
            }
            byte[] frame = new byte[header + payload];
            random.nextBytes(frame);
            long value = payload + (countsWholeFrame ? header : 0);
            for (int b = 0; b < fieldLength; b++) {
                int shift = order == ByteOrder.BIG_ENDIAN ? 8 * (fieldLength - 1 - b) : 8 * b;
                frame[offset + b] = (byte) (value >>> shift);
            }
            frames.add(frame);
            expected.add(Arrays.copyOfRange(frame, strip, frame.length));
            stream.writeBytes(frame);
        }
        byte[] last = frames.getLast();
        expected.removeLast();
        byte[] bytes = Arrays.copyOf(stream.toByteArray(), stream.size() - 1 - random.nextInt(last.length));
        if (malformed) {
            corrupt(random, bytes, 1 + random.nextInt(4));
        }
        String description = (skipping ? "skipping " + order + (failFast ? " failFast" : " notFailFast") : "strict")
                + " field=" + fieldLength + " offset=" + offset + " adjustment=" + adjustment + " strip=" + strip
                + " max=" + maxFrameLength + (malformed ? " malformed" : "");
        return new Case(description, () -> skipping
                ? new LengthFieldFrameDecoder(order, maxFrameLength, offset, fieldLength, adjustment, strip, failFast)
                : new LengthFieldFrameDecoder(maxFrameLength, offset, fieldLength, adjustment, strip),
                bytes, malformed ? null : expected);
    }

    /** Lines ended by {@code \n} or {@code \r\n}. */
    static Case line(Random random) {
        boolean strip = random.nextBoolean();
        int maxLength = 1 + random.nextInt(40);
        boolean malformed = random.nextInt(3) == 0;
        List<byte[]> expected = new ArrayList<>();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int l = random.nextInt(6); l > 0; l--) {
            byte[] content = text(random, random.nextInt(maxLength + 1), "\n");
            if (content.length > 0 && content[content.length - 1] == '\r') {
                content[content.length - 1] = 'r';   // else "\r" then "\n" reads as a CRLF
            }
            byte[] end = random.nextBoolean() ? new byte[] {'\n'} : new byte[] {'\r', '\n'};
            stream.writeBytes(content);
            stream.writeBytes(end);
            expected.add(strip ? content : concat(content, end));
        }
        stream.writeBytes(text(random, random.nextInt(maxLength + 1), "\n"));
        byte[] bytes = stream.toByteArray();
        if (malformed) {
            bytes = random.nextBoolean() ? garbage(random, "\n\r") : concat(bytes, text(random, maxLength + 1
                    + random.nextInt(20), "\n"));
        }
        return new Case("line max=" + maxLength + " strip=" + strip + (malformed ? " malformed" : ""),
                () -> new LineFrameDecoder(maxLength, strip), bytes, malformed ? null : expected);
    }

    /** Frames ended by one of a set of delimiters. */
    static Case delimiter(Random random) {
        byte[][] delimiters = DELIMITER_SETS[random.nextInt(DELIMITER_SETS.length)];
        String forbidden = forbidden(delimiters);
        boolean strip = random.nextBoolean();
        boolean failFast = random.nextBoolean();
        int maxFrameLength = 1 + random.nextInt(40);
        boolean malformed = random.nextInt(3) == 0;
        List<byte[]> expected = new ArrayList<>();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int f = random.nextInt(6); f > 0; f--) {
            int length = random.nextInt(maxFrameLength + 1);
            if (malformed && random.nextInt(3) == 0) {
                length = maxFrameLength + 1 + random.nextInt(60);
            }
            byte[] content = text(random, length, forbidden);
            byte[] delimiter = delimiters[random.nextInt(delimiters.length)];
            stream.writeBytes(content);
            stream.writeBytes(delimiter);
            expected.add(strip ? content : concat(content, delimiter));
        }
        stream.writeBytes(text(random, random.nextInt(maxFrameLength + 1), forbidden));
        byte[] bytes = stream.toByteArray();
        if (malformed && random.nextBoolean()) {
            bytes = garbage(random, forbidden);
        }
        String description = "delimiters=" + Arrays.deepToString(delimiters) + " max=" + maxFrameLength + " strip="
                + strip + " failFast=" + failFast + (malformed ? " malformed" : "");
        return new Case(description, () -> new DelimiterBasedFrameDecoder(maxFrameLength, strip, failFast, delimiters),
                bytes, malformed ? null : expected);
    }

    /** Frames of one fixed length: every stream is well-formed. */
    static Case fixedLength(Random random) {
        int frameLength = 1 + random.nextInt(random.nextBoolean() ? 4 : 40);
        List<byte[]> expected = new ArrayList<>();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int f = random.nextInt(6); f > 0; f--) {
            byte[] frame = new byte[frameLength];
            random.nextBytes(frame);
            expected.add(frame);
            stream.writeBytes(frame);
        }
        byte[] partial = new byte[random.nextInt(frameLength)];
        random.nextBytes(partial);
        stream.writeBytes(partial);
        return new Case("fixed length=" + frameLength, () -> new FixedLengthFrameDecoder(frameLength),
                stream.toByteArray(), expected);
    }

    /** Overwrites {@code count} random bytes with random values. */
    private static void corrupt(Random random, byte[] bytes, int count) {
        for (int i = 0; i < count && bytes.length > 0; i++) {
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
    }

    /** Random bytes rich in those of {@code special}. */
    private static byte[] garbage(Random random, String special) {
        byte[] bytes = new byte[random.nextInt(200)];
        random.nextBytes(bytes);
        for (int i = 0; i < bytes.length; i++) {
            if (random.nextInt(6) == 0) {
                bytes[i] = (byte) special.charAt(random.nextInt(special.length()));
            }
        }
        return bytes;
    }

    /** Random bytes none of which is in {@code forbidden}. */
    private static byte[] text(Random random, int length, String forbidden) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            byte b;
            do {
                b = (byte) random.nextInt(256);
            } while (forbidden.indexOf(b & 0xFF) >= 0);
            bytes[i] = b;
        }
        return bytes;
    }

    /** The bytes that occur in any of {@code delimiters}, as characters. */
    private static String forbidden(byte[][] delimiters) {
        StringBuilder bytes = new StringBuilder();
        for (byte[] delimiter : delimiters) {
            for (byte b : delimiter) {
                bytes.append((char) (b & 0xFF));
            }
        }
        return bytes.toString();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
