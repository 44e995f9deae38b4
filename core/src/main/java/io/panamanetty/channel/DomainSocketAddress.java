package io.panamanetty.channel;

import java.io.Serial;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The address of a Unix domain socket: a socket <b>file</b> (a {@link Path}), a Linux
 * <b>abstract</b> name (no file; it goes away with the last socket bound to it), or
 * <b>unnamed</b> (a client socket that never bound, as its {@code localAddress()} reports).
 * In text, and in {@link #of(String)}, an abstract name is written {@code @name}.
 * <pre>{@code
 * new ServerBootstrap().bind(DomainSocketAddress.of("/run/app.sock"));
 * new Bootstrap().connect(DomainSocketAddress.of("@app"));             // abstract
 * }</pre>
 *
 * <p>Why not only the JDK's {@link UnixDomainSocketAddress}: it holds a {@code Path}, and no
 * {@code Path} can hold the NUL byte that starts an abstract name on Linux, so it cannot
 * name an abstract socket (its Javadoc leaves the abstract namespace out, deliberately, as
 * not portable). Bind and connect accept a {@code UnixDomainSocketAddress} as well (it is
 * turned into one of these, see {@link #of(UnixDomainSocketAddress)}); the channels report
 * their addresses as this type.
 *
 * <p>A path is held as bytes the way the JDK encodes file names ({@code sun.jnu.encoding});
 * the kernel takes at most {@value #MAX_BYTES} of them, as for an abstract name.
 */
public final class DomainSocketAddress extends SocketAddress {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The longest path or abstract name, in bytes: {@code sun_path} holds 108 with the NUL. */
    public static final int MAX_BYTES = 107;

    private static final Charset FILE_NAMES = fileNameCharset();
    private static final DomainSocketAddress UNNAMED = new DomainSocketAddress(null, null);

    /** The socket file's path, or null (a {@code Path} is not serializable: rebuilt from the bytes). */
    private final transient Path path;
    /** The path's bytes, or the abstract name's (without the leading NUL); null if unnamed. */
    private final byte[] bytes;
    /** True for an abstract name. */
    private final boolean abstractName;

    private DomainSocketAddress(Path path, byte[] bytes) {
        this.path = path;
        this.bytes = bytes;
        this.abstractName = path == null && bytes != null;
    }

    /**
     * The socket file at {@code path} (relative paths are resolved by the kernel against the
     * working directory, and reported back as given).
     *
     * @throws IllegalArgumentException if the path is empty, or longer than {@value #MAX_BYTES} bytes
     */
    public static DomainSocketAddress of(Path path) {
        String text = path.toString();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty socket path");
        }
        byte[] encoded = text.getBytes(FILE_NAMES);
        if (encoded.length > MAX_BYTES) {
            throw new IllegalArgumentException("socket path " + text + " is " + encoded.length
                    + " bytes long, more than the " + MAX_BYTES + " a Unix socket address holds");
        }
        return new DomainSocketAddress(path, encoded);
    }

    /**
     * The socket file whose path is made of {@code pathBytes} (as the kernel reports it),
     * decoded the way the JDK decodes file names.
     *
     * @throws IllegalArgumentException if there are no bytes, more than {@value #MAX_BYTES},
     *         or they do not make a path
     */
    public static DomainSocketAddress ofPathBytes(byte[] pathBytes) {
        if (pathBytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("socket path of " + pathBytes.length + " bytes is longer than the "
                    + MAX_BYTES + " a Unix socket address holds");
        }
        try {
            return new DomainSocketAddress(Path.of(new String(pathBytes, FILE_NAMES)), pathBytes.clone());
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("not a socket path: " + e.getMessage(), e);
        }
    }

    /**
     * {@code @name}: the abstract name {@code name}; anything else: the socket file at that path.
     *
     * @throws IllegalArgumentException if the text is empty or {@code @}, not a path, or too long
     */
    public static DomainSocketAddress of(String pathOrAbstractName) {
        if (pathOrAbstractName.startsWith("@")) {
            return ofAbstract(pathOrAbstractName.substring(1));
        }
        try {
            return of(Path.of(pathOrAbstractName));
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("not a socket path: " + e.getMessage(), e);
        }
    }

    /**
     * The abstract name {@code name} (encoded as UTF-8; without the {@code @}).
     *
     * @throws IllegalArgumentException if the name is empty or longer than {@value #MAX_BYTES} bytes
     */
    public static DomainSocketAddress ofAbstract(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty abstract socket name");
        }
        return ofAbstract(name.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The abstract name made of {@code name}'s bytes, whatever they are (NULs included; even
     * none, a name the kernel accepts too, unlike {@link #ofAbstract(String)}).
     *
     * @throws IllegalArgumentException if the name is longer than {@value #MAX_BYTES} bytes
     */
    public static DomainSocketAddress ofAbstract(byte[] name) {
        if (name.length > MAX_BYTES) {
            throw new IllegalArgumentException("abstract socket name of " + name.length
                    + " bytes is longer than the " + MAX_BYTES + " a Unix socket address holds");
        }
        return new DomainSocketAddress(null, name.clone());
    }

    /** The JDK's address: its path, or {@link #unnamed()} for its empty path. */
    public static DomainSocketAddress of(UnixDomainSocketAddress address) {
        Path path = address.getPath();
        return path.toString().isEmpty() ? UNNAMED : of(path);
    }

    /** The address of a socket that is not bound. */
    public static DomainSocketAddress unnamed() {
        return UNNAMED;
    }

    /** {@return whether this is a socket file's address} */
    public boolean isPath() {
        return path != null;
    }

    /** {@return whether this is an abstract name} */
    public boolean isAbstract() {
        return abstractName;
    }

    /** {@return whether this is the address of a socket that is not bound} */
    public boolean isUnnamed() {
        return bytes == null;
    }

    /**
     * The socket file's path.
     *
     * @throws IllegalStateException for an abstract or unnamed address
     */
    public Path path() {
        if (path == null) {
            throw new IllegalStateException(this + " is not a socket file");
        }
        return path;
    }

    /**
     * The path's bytes as the kernel sees them, or the abstract name's (without the leading
     * NUL); empty if unnamed.
     */
    public byte[] bytes() {
        return bytes == null ? new byte[0] : bytes.clone();
    }

    /**
     * The JDK's address for this socket file (or its unnamed address).
     *
     * @throws UnsupportedOperationException for an abstract name, which it cannot hold
     */
    public UnixDomainSocketAddress toUnixDomainSocketAddress() {
        if (isAbstract()) {
            throw new UnsupportedOperationException("the JDK's UnixDomainSocketAddress cannot hold the abstract name "
                    + this);
        }
        return UnixDomainSocketAddress.of(path == null ? Path.of("") : path);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DomainSocketAddress that && abstractName == that.abstractName
                && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(abstractName, Arrays.hashCode(bytes));
    }

    /** The path, {@code @name} (bytes below 0x20 as {@code \xNN}), or {@code (unnamed)}. */
    @Override
    public String toString() {
        if (path != null) {
            return path.toString();
        }
        if (bytes == null) {
            return "(unnamed)";
        }
        String name = new String(bytes, StandardCharsets.UTF_8);
        StringBuilder text = new StringBuilder(name.length() + 1).append('@');
        name.chars().forEach(c -> text.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", c) : (char) c));
        return text.toString();
    }

    @Serial
    private Object readResolve() {
        if (bytes == null) {
            return UNNAMED;
        }
        return abstractName ? ofAbstract(bytes) : ofPathBytes(bytes);
    }

    private static Charset fileNameCharset() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name != null ? Charset.forName(name) : Charset.defaultCharset();
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
