package io.panamanetty.tls;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The little of ASN.1 DER that turning key files into PKCS#8 needs: reading one
 * tag-length-value at a time and writing one. Not a general ASN.1 library: tags are single
 * bytes, lengths at most four bytes, and anything else is reported as malformed.
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OBJECT_IDENTIFIER = 0x06;
    static final int SEQUENCE = 0x30;
    /** {@code [0]}, constructed: the explicitly tagged first optional field. */
    static final int CONTEXT_0 = 0xa0;

    private Der() {
    }

    /** One decoded element: its tag and its content bytes. */
    record Element(int tag, byte[] content) {
        /** {@return the elements inside this constructed element, in order} */
        Reader children() {
            return new Reader(content);
        }
    }

    /** Reads consecutive elements from a byte array. */
    static final class Reader {
        private final byte[] bytes;
        private int position;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        /** {@return whether another element follows} */
        boolean hasNext() {
            return position < bytes.length;
        }

        /**
         * {@return the next element}
         *
         * @throws IllegalArgumentException if the bytes are not well-formed DER
         */
        Element next() {
            if (bytes.length - position < 2) {
                throw new IllegalArgumentException("truncated DER element at byte " + position);
            }
            int tag = bytes[position++] & 0xff;
            int first = bytes[position++] & 0xff;
            long length;
            if (first < 0x80) {
                length = first;
            } else {
                int count = first & 0x7f;
                if (count == 0 || count > 4 || bytes.length - position < count) {
                    throw new IllegalArgumentException("bad DER length at byte " + (position - 1));
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (bytes[position++] & 0xff);
                }
            }
            if (length > bytes.length - position) {
                throw new IllegalArgumentException("DER element at byte " + position + " runs past the end");
            }
            byte[] content = Arrays.copyOfRange(bytes, position, position + (int) length);
            position += (int) length;
            return new Element(tag, content);
        }

        /**
         * {@return the next element, which must carry {@code tag}}
         *
         * @throws IllegalArgumentException naming {@code what} if it does not
         */
        Element next(int tag, String what) {
            if (!hasNext()) {
                throw new IllegalArgumentException("missing " + what);
            }
            Element element = next();
            if (element.tag() != tag) {
                throw new IllegalArgumentException(what + ": expected DER tag 0x" + Integer.toHexString(tag)
                        + ", found 0x" + Integer.toHexString(element.tag()));
            }
            return element;
        }
    }

    /** {@return the DER encoding of {@code tag} with the concatenation of {@code parts} as content} */
    static byte[] encode(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        int n = content.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream(n + 6);
        out.write(tag);
        if (n < 0x80) {
            out.write(n);
        } else {
            int count = n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x1000000 ? 3 : 4;
            out.write(0x80 | count);
            for (int i = count - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    /** {@return {@code element} encoded again, tag and length included} */
    static byte[] encode(Element element) {
        return encode(element.tag(), element.content());
    }
}
