package io.panamanetty.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;

import static io.panamanetty.bindings.Libc.C_INT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * The socket options beyond the everyday ones of {@link Sockets}: the TCP, IP and IPv6
 * levels' tuning knobs, and {@code getsockopt}/{@code setsockopt} for values that are not
 * a plain {@code int} ({@code struct linger}, {@code struct tcp_md5sig}, raw bytes).
 *
 * <pre>{@code
 * struct tcp_md5sig { struct sockaddr_storage tcpm_addr; uint8_t tcpm_flags; uint8_t tcpm_prefixlen;
 *                     uint16_t tcpm_keylen; uint32_t __tcpm_pad; uint8_t tcpm_key[TCP_MD5SIG_MAXKEYLEN]; };
 * }</pre>
 *
 * <p>Every method throws a {@link NativeIoException} naming the call, the option and the errno.
 */
public final class SockOpt {
    public static final int SOL_IP = 0;
    public static final int SOL_TCP = 6;
    public static final int SOL_IPV6 = 41;

    public static final int SO_DOMAIN = 39;
    public static final int SO_BUSY_POLL = 46;

    public static final int TCP_MAXSEG = 2;
    public static final int TCP_CORK = 3;
    public static final int TCP_DEFER_ACCEPT = 9;
    public static final int TCP_INFO = 11;
    public static final int TCP_MD5SIG = 14;
    public static final int TCP_USER_TIMEOUT = 18;
    public static final int TCP_FASTOPEN = 23;
    public static final int TCP_NOTSENT_LOWAT = 25;
    public static final int TCP_FASTOPEN_CONNECT = 30;
    public static final int TCP_MD5SIG_MAXKEYLEN = 80;

    public static final int IP_TOS = 1;
    public static final int IP_FREEBIND = 15;
    public static final int IP_TRANSPARENT = 19;
    public static final int IP_RECVORIGDSTADDR = 20;
    public static final int IP_BIND_ADDRESS_NO_PORT = 24;

    public static final int IPV6_TCLASS = 67;
    public static final int IPV6_RECVORIGDSTADDR = 74;
    public static final int IPV6_TRANSPARENT = 75;
    public static final int IPV6_FREEBIND = 78;

    /** {@code struct tcp_md5sig}: a peer address and the key its segments are signed with. */
    public static final StructLayout TCP_MD5SIG_STRUCT = MemoryLayout.structLayout(
            SockAddr.SOCKADDR_STORAGE.withName("tcpm_addr"),
            ValueLayout.JAVA_BYTE.withName("tcpm_flags"),
            ValueLayout.JAVA_BYTE.withName("tcpm_prefixlen"),
            ValueLayout.JAVA_SHORT.withName("tcpm_keylen"),
            ValueLayout.JAVA_INT.withName("__tcpm_pad"),
            MemoryLayout.sequenceLayout(TCP_MD5SIG_MAXKEYLEN, ValueLayout.JAVA_BYTE).withName("tcpm_key"))
            .withName("tcp_md5sig");

    private static final long KEYLEN_OFFSET = TCP_MD5SIG_STRUCT.byteOffset(groupElement("tcpm_keylen"));
    private static final long KEY_OFFSET = TCP_MD5SIG_STRUCT.byteOffset(groupElement("tcpm_key"));

    // Offsets into the per-thread scratch segment: a socklen_t, then the value.
    private static final long SCRATCH_LEN = 0;
    private static final long SCRATCH_VALUE = 16;
    private static final long SCRATCH_VALUE_MAX = Libc.SCRATCH_SIZE - SCRATCH_VALUE;

    private SockOpt() {
    }

    /** Reads {@code SO_LINGER}: the linger time in seconds, or -1 if lingering is off. */
    public static int getLinger(int fd) throws NativeIoException {
        MemorySegment scratch = Libc.scratch();
        MemorySegment linger = scratch.asSlice(SCRATCH_VALUE, Sockets.LINGER.byteSize());
        scratch.set(Sockets.SOCKLEN_T, SCRATCH_LEN, (int) Sockets.LINGER.byteSize());
        int result = Sockets.getsockopt(fd, Sockets.SOL_SOCKET, Sockets.SO_LINGER, linger,
                scratch.asSlice(SCRATCH_LEN, 4));
        if (result < 0) {
            throw Errno.exception(-result, "getsockopt", "SO_LINGER");
        }
        return linger.get(C_INT, 0) == 0 ? -1 : linger.get(C_INT, 4);
    }

    /** Sets an option whose value is the bytes of {@code value} as they are. */
    public static void setBytes(int fd, int level, int name, byte[] value) throws NativeIoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, segment, ValueLayout.JAVA_BYTE, 0, value.length);
            int result = Sockets.setsockopt(fd, level, name, segment, value.length);
            if (result < 0) {
                throw Errno.exception(-result, "setsockopt", name(level, name) + " (" + value.length + " bytes)");
            }
        }
    }

    /** Reads an option as bytes: at most {@code capacity} of them, as many as the kernel returns. */
    public static byte[] getBytes(int fd, int level, int name, int capacity) throws NativeIoException {
        if (capacity < 0) {
            throw new IllegalArgumentException("negative capacity: " + capacity);
        }
        MemorySegment scratch = Libc.scratch();
        if (capacity <= SCRATCH_VALUE_MAX) {
            return getBytes(fd, level, name, scratch.asSlice(SCRATCH_VALUE, capacity), scratch.asSlice(SCRATCH_LEN, 4));
        }
        try (Arena arena = Arena.ofConfined()) {
            return getBytes(fd, level, name, arena.allocate(capacity, 8), scratch.asSlice(SCRATCH_LEN, 4));
        }
    }

    private static byte[] getBytes(int fd, int level, int name, MemorySegment value, MemorySegment length)
            throws NativeIoException {
        length.set(Sockets.SOCKLEN_T, 0, (int) value.byteSize());
        int result = Sockets.getsockopt(fd, level, name, value, length);
        if (result < 0) {
            throw Errno.exception(-result, "getsockopt", name(level, name));
        }
        int returned = Math.min(length.get(Sockets.SOCKLEN_T, 0), (int) value.byteSize());
        return value.asSlice(0, returned).toArray(ValueLayout.JAVA_BYTE);
    }

    /**
     * Sets ({@code key} not empty) or removes ({@code key} empty) the {@code TCP_MD5SIG} key
     * for segments from and to {@code peer}'s address (its port is ignored). On an IPv6
     * socket an IPv4 peer is given as its IPv4-mapped address ({@code ::ffff:a.b.c.d}): the
     * kernel refuses a {@code sockaddr_in} there with EINVAL, and keeps a mapped one as the
     * IPv4 key that a dual-stack socket's IPv4 peers are checked against.
     */
    public static void setMd5Key(int fd, InetSocketAddress peer, byte[] key) throws NativeIoException {
        if (key.length > TCP_MD5SIG_MAXKEYLEN) {
            throw new IllegalArgumentException("a TCP_MD5SIG key has at most " + TCP_MD5SIG_MAXKEYLEN
                    + " bytes, not " + key.length);
        }
        InetSocketAddress address = peer;
        if (peer.getAddress() instanceof Inet4Address v4 && Sockets.getInt(fd, Sockets.SOL_SOCKET, SO_DOMAIN) == Sockets.AF_INET6) {
            address = new InetSocketAddress(ipv4Mapped(v4), peer.getPort());
        }
        MemorySegment md5 = Libc.scratch().asSlice(SCRATCH_VALUE, TCP_MD5SIG_STRUCT.byteSize()).fill((byte) 0);
        SockAddr.write(md5, address);
        md5.set(ValueLayout.JAVA_SHORT, KEYLEN_OFFSET, (short) key.length);
        MemorySegment.copy(key, 0, md5, ValueLayout.JAVA_BYTE, KEY_OFFSET, key.length);
        int result = Sockets.setsockopt(fd, SOL_TCP, TCP_MD5SIG, md5, (int) TCP_MD5SIG_STRUCT.byteSize());
        if (result < 0) {
            throw Errno.exception(-result, "setsockopt", "TCP_MD5SIG for " + peer.getAddress().getHostAddress());
        }
    }

    /** {@code ::ffff:a.b.c.d} for {@code a.b.c.d}, as an {@link Inet6Address} (not folded back to IPv4). */
    private static Inet6Address ipv4Mapped(Inet4Address v4) {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(v4.getAddress(), 0, mapped, 12, 4);
        try {
            return Inet6Address.getByAddress(null, mapped, 0);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("a 16-byte address was refused", e);
        }
    }

    /**
     * A name for messages: {@code "TCP_MAXSEG"}, or for one not known here {@code "SOL_TCP/99"}
     * ({@code "level 300/option 1"} at an unknown level).
     */
    public static String name(int level, int name) {
        String known = switch (level) {
            case Sockets.SOL_SOCKET -> socketLevelName(name);
            case SOL_TCP -> tcpLevelName(name);
            case SOL_IP -> switch (name) {
                case IP_TOS -> "IP_TOS";
                case IP_FREEBIND -> "IP_FREEBIND";
                case IP_TRANSPARENT -> "IP_TRANSPARENT";
                case IP_RECVORIGDSTADDR -> "IP_RECVORIGDSTADDR";
                case IP_BIND_ADDRESS_NO_PORT -> "IP_BIND_ADDRESS_NO_PORT";
                default -> null;
            };
            case SOL_IPV6 -> switch (name) {
                case Sockets.IPV6_V6ONLY -> "IPV6_V6ONLY";
                case IPV6_TCLASS -> "IPV6_TCLASS";
                case IPV6_RECVORIGDSTADDR -> "IPV6_RECVORIGDSTADDR";
                case IPV6_TRANSPARENT -> "IPV6_TRANSPARENT";
                case IPV6_FREEBIND -> "IPV6_FREEBIND";
                default -> null;
            };
            default -> null;
        };
        if (known != null) {
            return known;
        }
        String levelName = switch (level) {
            case Sockets.SOL_SOCKET -> "SOL_SOCKET";
            case SOL_TCP -> "SOL_TCP";
            case SOL_IP -> "SOL_IP";
            case SOL_IPV6 -> "SOL_IPV6";
            default -> null;
        };
        return levelName != null ? levelName + "/" + name : "level " + level + "/option " + name;
    }

    private static String socketLevelName(int name) {
        return switch (name) {
            case Sockets.SO_REUSEADDR -> "SO_REUSEADDR";
            case Sockets.SO_TYPE -> "SO_TYPE";
            case Sockets.SO_ERROR -> "SO_ERROR";
            case Sockets.SO_SNDBUF -> "SO_SNDBUF";
            case Sockets.SO_RCVBUF -> "SO_RCVBUF";
            case Sockets.SO_KEEPALIVE -> "SO_KEEPALIVE";
            case Sockets.SO_LINGER -> "SO_LINGER";
            case Sockets.SO_REUSEPORT -> "SO_REUSEPORT";
            case Sockets.SO_RCVLOWAT -> "SO_RCVLOWAT";
            case Sockets.SO_SNDLOWAT -> "SO_SNDLOWAT";
            case SO_DOMAIN -> "SO_DOMAIN";
            case SO_BUSY_POLL -> "SO_BUSY_POLL";
            default -> null;
        };
    }

    private static String tcpLevelName(int name) {
        return switch (name) {
            case Sockets.TCP_NODELAY -> "TCP_NODELAY";
            case TCP_MAXSEG -> "TCP_MAXSEG";
            case TCP_CORK -> "TCP_CORK";
            case Sockets.TCP_KEEPIDLE -> "TCP_KEEPIDLE";
            case Sockets.TCP_KEEPINTVL -> "TCP_KEEPINTVL";
            case Sockets.TCP_KEEPCNT -> "TCP_KEEPCNT";
            case TCP_DEFER_ACCEPT -> "TCP_DEFER_ACCEPT";
            case TCP_INFO -> "TCP_INFO";
            case Sockets.TCP_QUICKACK -> "TCP_QUICKACK";
            case TCP_MD5SIG -> "TCP_MD5SIG";
            case TCP_USER_TIMEOUT -> "TCP_USER_TIMEOUT";
            case TCP_FASTOPEN -> "TCP_FASTOPEN";
            case TCP_NOTSENT_LOWAT -> "TCP_NOTSENT_LOWAT";
            case TCP_FASTOPEN_CONNECT -> "TCP_FASTOPEN_CONNECT";
            default -> null;
        };
    }
}
