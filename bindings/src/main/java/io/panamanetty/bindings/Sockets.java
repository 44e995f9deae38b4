package io.panamanetty.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.InetSocketAddress;

import static io.panamanetty.bindings.Libc.C_INT;
import static io.panamanetty.bindings.Libc.C_LONG;
import static io.panamanetty.bindings.Libc.C_POINTER;

/**
 * The BSD socket calls of {@code <sys/socket.h>}, {@code <netinet/in.h>} and
 * {@code <netinet/tcp.h>}: creating, binding, listening, accepting, connecting,
 * shutting down, and socket options.
 *
 * <p>The raw methods return the C result, or {@code -errno} on failure. The methods
 * taking an {@link InetSocketAddress} throw a {@link NativeIoException} naming the
 * address instead.
 */
public final class Sockets {
    public static final int AF_UNSPEC = 0;
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;

    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_TYPE = 3;
    public static final int SO_ERROR = 4;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_KEEPALIVE = 9;
    public static final int SO_LINGER = 13;
    public static final int SO_REUSEPORT = 15;
    public static final int SO_RCVLOWAT = 18;
    public static final int SO_SNDLOWAT = 19;

    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPV6_V6ONLY = 26;

    public static final int TCP_NODELAY = 1;
    public static final int TCP_KEEPIDLE = 4;
    public static final int TCP_KEEPINTVL = 5;
    public static final int TCP_KEEPCNT = 6;
    public static final int TCP_QUICKACK = 12;

    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;

    public static final int SOMAXCONN = 4096;
    public static final int MSG_NOSIGNAL = 0x4000;
    /** Wait for the whole length (io_uring's receives retry short reads with it, 5.18). */
    public static final int MSG_WAITALL = 0x100;

    /** {@code struct linger { int l_onoff; int l_linger; };} */
    public static final StructLayout LINGER = MemoryLayout.structLayout(
            C_INT.withName("l_onoff"), C_INT.withName("l_linger")).withName("linger");

    /** {@code socklen_t}: an unsigned 32-bit length. */
    public static final ValueLayout.OfInt SOCKLEN_T = ValueLayout.JAVA_INT;

    private static final MethodHandle SOCKET = Libc.withErrno("socket",
            FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT));
    private static final MethodHandle BIND = Libc.withErrno("bind",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT));
    private static final MethodHandle LISTEN = Libc.withErrno("listen",
            FunctionDescriptor.of(C_INT, C_INT, C_INT));
    private static final MethodHandle ACCEPT4 = Libc.withErrno("accept4",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER, C_INT));
    private static final MethodHandle CONNECT = Libc.withErrno("connect",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT));
    private static final MethodHandle SHUTDOWN = Libc.withErrno("shutdown",
            FunctionDescriptor.of(C_INT, C_INT, C_INT));
    /** {@code send} as {@code sendto} to no address, by number (see {@link Syscalls}). */
    private static final MethodHandle SEND_RAW = Syscalls.byNumberOrLibc(Syscalls.NR_SENDTO, "send",
            FunctionDescriptor.of(C_LONG, C_INT, C_LONG, C_LONG, C_INT), 0L, 0L);
    private static final MethodHandle SETSOCKOPT = Libc.withErrno("setsockopt",
            FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER, C_INT));
    private static final MethodHandle GETSOCKOPT = Libc.withErrno("getsockopt",
            FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER, C_POINTER));
    private static final MethodHandle GETSOCKNAME = Libc.withErrno("getsockname",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER));
    private static final MethodHandle GETPEERNAME = Libc.withErrno("getpeername",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER));

    /** {@code socketpair}, linked on first use like {@link FileIo}'s rarely used handles. */
    private static final class SocketpairHandle {
        static final MethodHandle HANDLE = Libc.withErrno("socketpair",
                FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER));

        private SocketpairHandle() {
        }
    }

    // Offsets into the per-thread scratch segment used by the convenience methods.
    private static final long SCRATCH_ADDR = 0;      // sockaddr_storage, 128 bytes
    private static final long SCRATCH_LEN = 128;     // socklen_t
    private static final long SCRATCH_VALUE = 136;   // option value, up to 64 bytes

    private Sockets() {
    }

    /** {@code int socket(int domain, int type, int protocol);} Returns the fd or {@code -errno}. */
    public static int socket(int domain, int type, int protocol) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((int) SOCKET.invokeExact(capture, domain, type, protocol), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code int bind(int fd, const struct sockaddr *addr, socklen_t len);} Returns 0 or {@code -errno}. */
    public static int bind(int fd, MemorySegment address, int length) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((int) BIND.invokeExact(capture, fd, address, length), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code int listen(int fd, int backlog);} Returns 0 or {@code -errno}. */
    public static int listen(int fd, int backlog) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((int) LISTEN.invokeExact(capture, fd, backlog), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * {@code int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);}
     * Returns the new fd or {@code -errno}. {@code address} and {@code length} may be
     * {@link MemorySegment#NULL}.
     */
    public static int accept4(int fd, MemorySegment address, MemorySegment length, int flags) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((int) ACCEPT4.invokeExact(capture, fd, address, length, flags), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code int connect(int fd, const struct sockaddr *addr, socklen_t len);} Returns 0 or {@code -errno}. */
    public static int connect(int fd, MemorySegment address, int length) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((int) CONNECT.invokeExact(capture, fd, address, length), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * {@code ssize_t send(int fd, const void *buf, size_t len, int flags);} of {@code length}
     * bytes at native {@code address}. Returns the bytes sent or {@code -errno}.
     */
    public static long send(int fd, long address, long length, int flags) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((long) SEND_RAW.invokeExact(capture, fd, address, length, flags), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code int shutdown(int fd, int how);} Returns 0 or {@code -errno}. */
    public static int shutdown(int fd, int how) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((int) SHUTDOWN.invokeExact(capture, fd, how), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code int setsockopt(int fd, int level, int name, const void *value, socklen_t len);} */
    public static int setsockopt(int fd, int level, int name, MemorySegment value, int length) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((int) SETSOCKOPT.invokeExact(capture, fd, level, name, value, length), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code int getsockopt(int fd, int level, int name, void *value, socklen_t *len);} */
    public static int getsockopt(int fd, int level, int name, MemorySegment value, MemorySegment length) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((int) GETSOCKOPT.invokeExact(capture, fd, level, name, value, length), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code int getsockname(int fd, struct sockaddr *addr, socklen_t *len);} */
    public static int getsockname(int fd, MemorySegment address, MemorySegment length) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((int) GETSOCKNAME.invokeExact(capture, fd, address, length), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code int getpeername(int fd, struct sockaddr *addr, socklen_t *len);} */
    public static int getpeername(int fd, MemorySegment address, MemorySegment length) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((int) GETPEERNAME.invokeExact(capture, fd, address, length), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** {@code int socketpair(int domain, int type, int protocol, int sv[2]);} */
    public static int socketpair(int domain, int type, int protocol, MemorySegment fds) {
        try {
            MemorySegment capture = Libc.capture();
            return Libc.result((int) SocketpairHandle.HANDLE.invokeExact(capture, domain, type, protocol, fds), capture);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    // ---- convenience forms that throw, for the slow paths ----

    /** Opens a non-blocking, close-on-exec TCP socket of the family that suits {@code address}. */
    public static int openTcp(InetSocketAddress address) throws NativeIoException {
        int fd = socket(SockAddr.family(address), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        return Errno.check(fd, "socket");
    }

    /** Binds {@code fd} to {@code address}; a failure names the address. */
    public static void bind(int fd, InetSocketAddress address) throws NativeIoException {
        MemorySegment scratch = Libc.scratch();
        int length = SockAddr.write(scratch, address);
        int result = bind(fd, scratch, length);
        if (result < 0) {
            throw Errno.exception(-result, "bind", SockAddr.describe(address));
        }
    }

    /**
     * Starts connecting {@code fd} to {@code address}. Returns 0 when connected at once
     * or {@code -EINPROGRESS} for a non-blocking socket still connecting; any other
     * failure throws, naming the address.
     */
    public static int connect(int fd, InetSocketAddress address) throws NativeIoException {
        MemorySegment scratch = Libc.scratch();
        int length = SockAddr.write(scratch, address);
        int result = connect(fd, scratch, length);
        if (result < 0 && result != -Errno.EINPROGRESS) {
            throw Errno.exception(-result, "connect", SockAddr.describe(address));
        }
        return result;
    }

    /** Sets an {@code int} socket option. */
    public static void setInt(int fd, int level, int name, int value) throws NativeIoException {
        MemorySegment scratch = Libc.scratch();
        scratch.set(C_INT, SCRATCH_VALUE, value);
        int result = setsockopt(fd, level, name, scratch.asSlice(SCRATCH_VALUE, 4), 4);
        if (result < 0) {
            throw Errno.exception(-result, "setsockopt", optionName(level, name) + "=" + value);
        }
    }

    /** Reads an {@code int} socket option. */
    public static int getInt(int fd, int level, int name) throws NativeIoException {
        MemorySegment scratch = Libc.scratch();
        scratch.set(SOCKLEN_T, SCRATCH_LEN, 4);
        int result = getsockopt(fd, level, name, scratch.asSlice(SCRATCH_VALUE, 4),
                scratch.asSlice(SCRATCH_LEN, 4));
        if (result < 0) {
            throw Errno.exception(-result, "getsockopt", optionName(level, name));
        }
        return scratch.get(C_INT, SCRATCH_VALUE);
    }

    /**
     * Sets {@code SO_LINGER}: {@code seconds < 0} turns lingering off; 0 makes
     * {@code close} reset the connection (RST instead of FIN).
     */
    public static void setLinger(int fd, int seconds) throws NativeIoException {
        MemorySegment scratch = Libc.scratch();
        MemorySegment linger = scratch.asSlice(SCRATCH_VALUE, LINGER.byteSize());
        linger.set(C_INT, 0, seconds < 0 ? 0 : 1);
        linger.set(C_INT, 4, Math.max(0, seconds));
        int result = setsockopt(fd, SOL_SOCKET, SO_LINGER, linger, (int) LINGER.byteSize());
        if (result < 0) {
            throw Errno.exception(-result, "setsockopt", "SO_LINGER=" + seconds);
        }
    }

    /** The local address {@code fd} is bound to. */
    public static InetSocketAddress localAddress(int fd) throws NativeIoException {
        MemorySegment scratch = Libc.scratch();
        scratch.set(SOCKLEN_T, SCRATCH_LEN, (int) SockAddr.SOCKADDR_STORAGE.byteSize());
        int result = getsockname(fd, scratch.asSlice(SCRATCH_ADDR, 128), scratch.asSlice(SCRATCH_LEN, 4));
        Errno.check(result, "getsockname");
        return SockAddr.read(scratch);
    }

    /** The address of the peer {@code fd} is connected to. */
    public static InetSocketAddress remoteAddress(int fd) throws NativeIoException {
        MemorySegment scratch = Libc.scratch();
        scratch.set(SOCKLEN_T, SCRATCH_LEN, (int) SockAddr.SOCKADDR_STORAGE.byteSize());
        int result = getpeername(fd, scratch.asSlice(SCRATCH_ADDR, 128), scratch.asSlice(SCRATCH_LEN, 4));
        Errno.check(result, "getpeername");
        return SockAddr.read(scratch);
    }

    private static String optionName(int level, int name) {
        if (level == SOL_SOCKET) {
            return switch (name) {
                case SO_REUSEADDR -> "SO_REUSEADDR";
                case SO_REUSEPORT -> "SO_REUSEPORT";
                case SO_SNDBUF -> "SO_SNDBUF";
                case SO_RCVBUF -> "SO_RCVBUF";
                case SO_KEEPALIVE -> "SO_KEEPALIVE";
                case SO_ERROR -> "SO_ERROR";
                case SO_LINGER -> "SO_LINGER";
                default -> SockOpt.name(level, name);
            };
        }
        if (level == IPPROTO_TCP && name == TCP_NODELAY) {
            return "TCP_NODELAY";
        }
        if (level == IPPROTO_IPV6 && name == IPV6_V6ONLY) {
            return "IPV6_V6ONLY";
        }
        return SockOpt.name(level, name);
    }
}
