package io.panamanetty.bindings;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@code struct sockaddr_un}, the address of an {@link Sockets#AF_UNIX} socket, to and from memory.
 *
 * <pre>{@code
 * struct sockaddr_un { sa_family_t sun_family; char sun_path[108]; };
 * }</pre>
 *
 * <p>An address is handled here as the bytes of {@code sun_path} that count, in Linux's own
 * form, a <em>sun path</em>:
 * <ul>
 *   <li>a <b>pathname</b> (a socket file): the path's bytes, no NUL among them and none at the
 *       end (at most {@value #MAX_NAME_BYTES} bytes); written with a terminating NUL, and a
 *       length of {@code offsetof(sun_path) + len + 1};</li>
 *   <li>an <b>abstract</b> name (Linux only, no file): a leading NUL, then the name's bytes,
 *       which may be anything, NULs included (at most {@value #MAX_NAME_BYTES} of them); written
 *       as they are, with a length of {@code offsetof(sun_path) + 1 + len}: no terminating NUL,
 *       since every byte up to the length is part of the name;</li>
 *   <li><b>unnamed</b>: no bytes. {@code getsockname} reports it for a socket never bound (a
 *       client's, one of a {@code socketpair}); given to {@code bind} (a length of
 *       {@code sizeof(sa_family_t)}), it asks the kernel to pick an abstract name ("autobind").</li>
 * </ul>
 * Turning a path or name into bytes (a file name's encoding) is the caller's business.
 */
public final class UnixSockAddr {
    /** {@code struct sockaddr_un}: 110 bytes. */
    public static final StructLayout SOCKADDR_UN = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("sun_family"),
            MemoryLayout.sequenceLayout(108, ValueLayout.JAVA_BYTE).withName("sun_path"))
            .withName("sockaddr_un");

    /** {@code offsetof(struct sockaddr_un, sun_path)}: 2, the size of {@code sa_family_t}. */
    public static final int PATH_OFFSET = (int) SOCKADDR_UN.byteOffset(groupElement("sun_path"));

    /** {@code sizeof(((struct sockaddr_un *) 0)->sun_path)}: 108. */
    public static final int SUN_PATH_SIZE = (int) SOCKADDR_UN.select(groupElement("sun_path")).byteSize();

    /**
     * The longest pathname or abstract name in bytes: 107, which leaves room for a pathname's
     * terminating NUL or an abstract name's leading one.
     */
    public static final int MAX_NAME_BYTES = 107;

    private UnixSockAddr() {
    }

    /** {@return whether {@code sunPath} is an abstract name (it starts with a NUL)} */
    public static boolean isAbstract(byte[] sunPath) {
        return sunPath.length > 0 && sunPath[0] == 0;
    }

    /** {@return whether {@code sunPath} is the unnamed address (no bytes)} */
    public static boolean isUnnamed(byte[] sunPath) {
        return sunPath.length == 0;
    }

    /**
     * Writes {@code sunPath} (see the class comment) as a {@code sockaddr_un} at the start of
     * {@code dst}, all 110 bytes of it (the unused part zeroed), and returns the length to
     * pass as {@code socklen_t}.
     *
     * @throws IllegalArgumentException if a pathname holds a NUL, a name is longer than
     *         {@value #MAX_NAME_BYTES} bytes, or {@code dst} is smaller than {@link #SOCKADDR_UN}
     */
    public static int write(MemorySegment dst, byte[] sunPath) {
        check(sunPath);
        if (dst.byteSize() < SOCKADDR_UN.byteSize()) {
            throw new IllegalArgumentException("segment of " + dst.byteSize()
                    + " bytes cannot hold a sockaddr_un of " + SOCKADDR_UN.byteSize());
        }
        dst.asSlice(0, SOCKADDR_UN.byteSize()).fill((byte) 0);
        dst.set(ValueLayout.JAVA_SHORT, 0, (short) Sockets.AF_UNIX);
        MemorySegment.copy(sunPath, 0, dst, ValueLayout.JAVA_BYTE, PATH_OFFSET, sunPath.length);
        return length(sunPath);
    }

    /**
     * The {@code socklen_t} of {@code sunPath} written by {@link #write}: the offset of
     * {@code sun_path} plus the bytes, plus the terminating NUL for a pathname.
     */
    public static int length(byte[] sunPath) {
        return PATH_OFFSET + sunPath.length + (isAbstract(sunPath) || isUnnamed(sunPath) ? 0 : 1);
    }

    /**
     * Reads the {@code sockaddr_un} at the start of {@code src}, of which the kernel reported
     * {@code length} bytes (the {@code socklen_t} that {@code accept}, {@code getsockname},
     * {@code getpeername} or {@code recvmsg} returned), as a sun path: empty for an unnamed
     * socket, a leading NUL and exactly the name's bytes for an abstract one, else the
     * pathname up to its first NUL.
     *
     * @throws IllegalArgumentException if the family is not {@code AF_UNIX}, or {@code length}
     *         is negative or beyond the struct
     */
    public static byte[] read(MemorySegment src, int length) {
        if (length < 0 || length > SOCKADDR_UN.byteSize()) {
            throw new IllegalArgumentException("sockaddr_un length " + length + " out of 0.."
                    + SOCKADDR_UN.byteSize());
        }
        if (length < PATH_OFFSET) {
            return new byte[0];   // the kernel says nothing more than that it is unnamed
        }
        int family = src.get(ValueLayout.JAVA_SHORT, 0);
        if (family != Sockets.AF_UNIX) {
            throw new IllegalArgumentException("not an AF_UNIX address: family " + family);
        }
        int count = length - PATH_OFFSET;
        if (count == 0 || src.get(ValueLayout.JAVA_BYTE, PATH_OFFSET) == 0) {
            return src.asSlice(PATH_OFFSET, count).toArray(ValueLayout.JAVA_BYTE);   // unnamed or abstract
        }
        int end = 0;
        while (end < count && src.get(ValueLayout.JAVA_BYTE, PATH_OFFSET + end) != 0) {
            end++;
        }
        return src.asSlice(PATH_OFFSET, end).toArray(ValueLayout.JAVA_BYTE);
    }

    /**
     * {@code sunPath} for messages: a pathname as it is (decoded as UTF-8), an abstract name
     * as {@code @name} (bytes below 0x20 as {@code \xNN}), the unnamed address as {@code (unnamed)}.
     */
    public static String describe(byte[] sunPath) {
        if (isUnnamed(sunPath)) {
            return "(unnamed)";
        }
        if (!isAbstract(sunPath)) {
            return new String(sunPath, StandardCharsets.UTF_8);
        }
        StringBuilder text = new StringBuilder("@");
        String name = new String(sunPath, 1, sunPath.length - 1, StandardCharsets.UTF_8);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                text.append(String.format("\\x%02x", (int) c));
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }

    private static void check(byte[] sunPath) {
        if (isAbstract(sunPath)) {
            if (sunPath.length - 1 > MAX_NAME_BYTES) {
                throw new IllegalArgumentException("abstract socket name of " + (sunPath.length - 1)
                        + " bytes is longer than the " + MAX_NAME_BYTES + " sun_path holds");
            }
            return;
        }
        if (sunPath.length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("socket path of " + sunPath.length + " bytes is longer than the "
                    + MAX_NAME_BYTES + " sun_path holds (with its NUL): " + describe(sunPath));
        }
        for (byte b : sunPath) {
            if (b == 0) {
                throw new IllegalArgumentException("socket path holds a NUL byte: " + describe(sunPath));
            }
        }
    }
}
