package io.panamanetty.codec;

/**
 * The usual delimiter sets for {@link DelimiterBasedFrameDecoder}. Each call returns fresh arrays.
 */
public final class Delimiters {
    private Delimiters() {
    }

    /** {@return {@code "\r\n"} and {@code "\n"}: text lines} ({@link LineFrameDecoder} does this one faster.) */
    public static byte[][] lineDelimiter() {
        return new byte[][] {{'\r', '\n'}, {'\n'}};
    }

    /** {@return the NUL byte: C strings, Flash XML sockets} */
    public static byte[][] nulDelimiter() {
        return new byte[][] {{0}};
    }
}
