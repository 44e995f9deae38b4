package io.panamanetty.tls;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Finds the host name a client asks for (the {@code server_name} extension, RFC 6066) in the
 * first bytes it sends: TLS records carrying a ClientHello (RFC 8446 section 4.1.2; TLS 1.2's
 * is the same up to the extensions). Reads only; the bytes still go to the {@link TlsHandler}.
 * Input that is not a ClientHello counts as one without a name: the engine then reports what
 * is wrong with it.
 */
final class ClientHelloServerName {
    /** The most handshake bytes looked at; a ClientHello is far smaller. */
    static final int MAX_HELLO_BYTES = 64 * 1024;
    private static final int RECORD_HEADER = 5;
    private static final int HANDSHAKE = 22;
    private static final int CLIENT_HELLO = 1;
    private static final int SERVER_NAME = 0;
    private static final int HOST_NAME = 0;

    /**
     * What the bytes so far say.
     *
     * @param complete   whether enough was seen to decide (else: wait for more bytes)
     * @param serverName the host name asked for, lower case; null if none (or not a ClientHello)
     */
    record Result(boolean complete, String serverName) {
        static final Result NEED_MORE = new Result(false, null);
        static final Result NO_NAME = new Result(true, null);
    }

    private ClientHelloServerName() {
    }

    /** {@return what {@code bytes[0, length)}, the first bytes a client sent, say about the name it asks for} */
    static Result find(byte[] bytes, int length) {
        byte[] hello = new byte[Math.min(length, MAX_HELLO_BYTES)];
        int helloLength = 0;
        int position = 0;
        while (true) {
            if (helloLength >= 4) {
                if ((hello[0] & 0xff) != CLIENT_HELLO) {
                    return Result.NO_NAME;
                }
                int messageLength = uint(hello, 1, 3);
                if (4 + messageLength > MAX_HELLO_BYTES) {
                    return Result.NO_NAME;
                }
                if (helloLength >= 4 + messageLength) {
                    return new Result(true, serverName(hello, 4, 4 + messageLength));
                }
            }
            if (length - position < RECORD_HEADER) {
                return Result.NEED_MORE;
            }
            if ((bytes[position] & 0xff) != HANDSHAKE) {
                return Result.NO_NAME;
            }
            int recordLength = uint(bytes, position + 3, 2);
            if (length - position - RECORD_HEADER < recordLength) {
                return length >= MAX_HELLO_BYTES ? Result.NO_NAME : Result.NEED_MORE;
            }
            int copy = Math.min(recordLength, hello.length - helloLength);
            System.arraycopy(bytes, position + RECORD_HEADER, hello, helloLength, copy);
            helloLength += copy;
            position += RECORD_HEADER + recordLength;
            if (recordLength == 0 || copy < recordLength) {
                return Result.NO_NAME;
            }
        }
    }

    /** {@return the host name in the ClientHello body {@code hello[start, end)}, or null} */
    private static String serverName(byte[] hello, int start, int end) {
        int p = start + 2 + 32;                          // legacy_version, random
        if (p >= end) {
            return null;
        }
        p += 1 + (hello[p] & 0xff);                     // legacy_session_id
        if (p + 2 > end) {
            return null;
        }
        p += 2 + uint(hello, p, 2);                     // cipher_suites
        if (p >= end) {
            return null;
        }
        p += 1 + (hello[p] & 0xff);                     // legacy_compression_methods
        if (p + 2 > end) {
            return null;                                 // no extensions
        }
        int extensionsEnd = Math.min(end, p + 2 + uint(hello, p, 2));
        p += 2;
        while (p + 4 <= extensionsEnd) {
            int type = uint(hello, p, 2);
            int length = uint(hello, p + 2, 2);
            p += 4;
            if (p + length > extensionsEnd) {
                return null;
            }
            if (type == SERVER_NAME) {
                return hostName(hello, p, p + length);
            }
            p += length;
        }
        return null;
    }

    /** {@return the first host_name of a server_name extension's body {@code [start, end)}, or null} */
    private static String hostName(byte[] hello, int start, int end) {
        if (start + 2 > end) {
            return null;
        }
        int listEnd = Math.min(end, start + 2 + uint(hello, start, 2));
        int p = start + 2;
        while (p + 3 <= listEnd) {
            int nameType = hello[p] & 0xff;
            int length = uint(hello, p + 1, 2);
            p += 3;
            if (p + length > listEnd) {
                return null;
            }
            if (nameType == HOST_NAME && length > 0) {
                String name = new String(hello, p, length, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
                return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
            }
            p += length;
        }
        return null;
    }

    private static int uint(byte[] bytes, int offset, int count) {
        int value = 0;
        for (int i = 0; i < count; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xff);
        }
        return value;
    }
}
