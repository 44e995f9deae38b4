package io.panamanetty.bindings;

import java.lang.foreign.MemorySegment;

/**
 * The socket calls of {@link Sockets} for {@link Sockets#AF_UNIX} sockets, taking and
 * returning addresses as the sun paths of {@link UnixSockAddr} (a pathname, a NUL and an
 * abstract name, or nothing for unnamed), and {@code SO_PEERCRED}. Each throws a
 * {@link NativeIoException} naming the call and the address ({@code @name} for an abstract one).
 */
public final class UnixSockets {
    // Offsets into the per-thread scratch segment.
    private static final long SCRATCH_ADDR = 0;      // sockaddr_un, 110 bytes
    private static final long SCRATCH_LEN = 112;     // socklen_t
    private static final long SCRATCH_VALUE = 128;   // struct ucred, 12 bytes

    private UnixSockets() {
    }

    /**
     * Opens a non-blocking, close-on-exec {@code AF_UNIX} socket of {@code type}
     * ({@link Sockets#SOCK_STREAM} or {@link Sockets#SOCK_DGRAM}).
     */
    public static int open(int type) throws NativeIoException {
        int fd = Sockets.socket(Sockets.AF_UNIX, type | Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC, 0);
        return Errno.check(fd, "socket");
    }

    /**
     * Binds {@code fd} to {@code sunPath}: a pathname creates the socket file (it must not
     * exist yet: {@code EADDRINUSE} otherwise); an empty one autobinds an abstract name.
     */
    public static void bind(int fd, byte[] sunPath) throws NativeIoException {
        MemorySegment scratch = Libc.scratch();
        int length = UnixSockAddr.write(scratch, sunPath);
        int result = Sockets.bind(fd, scratch, length);
        if (result < 0) {
            throw Errno.exception(-result, "bind", UnixSockAddr.describe(sunPath));
        }
    }

    /**
     * Starts connecting {@code fd} to {@code sunPath}. Returns 0 when connected (a stream
     * socket's connect completes at once unless the listener's backlog is full),
     * {@code -EINPROGRESS} for a non-blocking socket still connecting, or {@code -EAGAIN} when
     * the backlog is full: then nothing is pending and the caller must try again later. Any
     * other failure throws, naming the address.
     */
    public static int connect(int fd, byte[] sunPath) throws NativeIoException {
        MemorySegment scratch = Libc.scratch();
        int length = UnixSockAddr.write(scratch, sunPath);
        int result = Sockets.connect(fd, scratch, length);
        if (result < 0 && result != -Errno.EINPROGRESS && result != -Errno.EAGAIN) {
            throw Errno.exception(-result, "connect", UnixSockAddr.describe(sunPath));
        }
        return result;
    }

    /**
     * Dissolves a datagram socket's association with its peer: {@code connect} to an
     * {@code AF_UNSPEC} address, after which it may send to and receive from anyone again.
     */
    public static void disconnect(int fd) throws NativeIoException {
        MemorySegment scratch = Libc.scratch();
        scratch.asSlice(SCRATCH_ADDR, UnixSockAddr.SOCKADDR_UN.byteSize()).fill((byte) 0);
        scratch.set(java.lang.foreign.ValueLayout.JAVA_SHORT, SCRATCH_ADDR, (short) Sockets.AF_UNSPEC);
        int result = Sockets.connect(fd, scratch, UnixSockAddr.PATH_OFFSET);
        if (result < 0) {
            throw Errno.exception(-result, "connect", "AF_UNSPEC (disconnect)");
        }
    }

    /** The sun path {@code fd} is bound to ({@code getsockname}); empty if unnamed. */
    public static byte[] localAddress(int fd) throws NativeIoException {
        MemorySegment scratch = Libc.scratch();
        scratch.set(Sockets.SOCKLEN_T, SCRATCH_LEN, (int) UnixSockAddr.SOCKADDR_UN.byteSize());
        int result = Sockets.getsockname(fd, scratch.asSlice(SCRATCH_ADDR, UnixSockAddr.SOCKADDR_UN.byteSize()),
                scratch.asSlice(SCRATCH_LEN, 4));
        Errno.check(result, "getsockname");
        return UnixSockAddr.read(scratch, scratch.get(Sockets.SOCKLEN_T, SCRATCH_LEN));
    }

    /** The sun path of the peer {@code fd} is connected to ({@code getpeername}); empty if unnamed. */
    public static byte[] remoteAddress(int fd) throws NativeIoException {
        MemorySegment scratch = Libc.scratch();
        scratch.set(Sockets.SOCKLEN_T, SCRATCH_LEN, (int) UnixSockAddr.SOCKADDR_UN.byteSize());
        int result = Sockets.getpeername(fd, scratch.asSlice(SCRATCH_ADDR, UnixSockAddr.SOCKADDR_UN.byteSize()),
                scratch.asSlice(SCRATCH_LEN, 4));
        Errno.check(result, "getpeername");
        return UnixSockAddr.read(scratch, scratch.get(Sockets.SOCKLEN_T, SCRATCH_LEN));
    }

    /**
     * The credentials of the peer of a connected stream socket (or a {@code socketpair}), as
     * the kernel took them at {@code connect} (or {@code socketpair}): {@code getsockopt(SO_PEERCRED)}.
     */
    public static Ucred peerCredentials(int fd) throws NativeIoException {
        MemorySegment scratch = Libc.scratch();
        MemorySegment value = scratch.asSlice(SCRATCH_VALUE, Ucred.UCRED.byteSize());
        scratch.set(Sockets.SOCKLEN_T, SCRATCH_LEN, (int) Ucred.UCRED.byteSize());
        int result = Sockets.getsockopt(fd, Sockets.SOL_SOCKET, Ucred.SO_PEERCRED, value,
                scratch.asSlice(SCRATCH_LEN, 4));
        if (result < 0) {
            throw Errno.exception(-result, "getsockopt", "SO_PEERCRED");
        }
        return Ucred.read(value);
    }
}
