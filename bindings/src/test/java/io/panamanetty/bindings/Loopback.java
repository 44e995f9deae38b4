package io.panamanetty.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Loopback TCP connections and byte transfers for the tests, driven through epoll. */
final class Loopback {
    /** 127.0.0.1, port 0. */
    static final InetSocketAddress IPV4_ANY_PORT = new InetSocketAddress(address(127, 0, 0, 1), 0);

    private static final int MAX_ROUNDS = 1_000_000;

    /** The two ends of an established TCP connection. */
    record Connection(int client, int server) {
    }

    private Loopback() {
    }

    private static InetAddress address(int... bytes) {
        byte[] raw = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            raw[i] = (byte) bytes[i];
        }
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** A non-blocking listening socket bound to {@code address} (port 0: any free port). */
    static int listen(FdScope fds, InetSocketAddress address) throws NativeIoException {
        int listener = fds.add(Sockets.openTcp(address));
        Sockets.bind(listener, address);
        Errno.check(Sockets.listen(listener, 64), "listen");
        return listener;
    }

    /**
     * Connects a new non-blocking client to {@code listener} and accepts it, waiting
     * through epoll for both ends. Both descriptors go into {@code fds}.
     */
    static Connection connect(FdScope fds, int listener) throws NativeIoException {
        InetSocketAddress target = Sockets.localAddress(listener);
        int client = fds.add(Sockets.openTcp(target));
        int started = Sockets.connect(client, target);
        assertTrue(started == 0 || started == -Errno.EINPROGRESS, "connect returned " + started);
        try (Poller poller = new Poller()) {
            poller.add(client, Epoll.EPOLLOUT);
            poller.await(client, Epoll.EPOLLOUT | Epoll.EPOLLERR | Epoll.EPOLLHUP);
            assertEquals(0, Sockets.getInt(client, Sockets.SOL_SOCKET, Sockets.SO_ERROR), "SO_ERROR");
            poller.add(listener, Epoll.EPOLLIN);
            poller.await(listener, Epoll.EPOLLIN);
        }
        int server = fds.add(Sockets.accept4(listener, MemorySegment.NULL, MemorySegment.NULL,
                Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC));
        return new Connection(client, server);
    }

    /** {@code size} bytes of pseudo-random content from {@code seed}, in {@code arena}. */
    static MemorySegment pattern(Arena arena, int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        MemorySegment segment = arena.allocate(size);
        MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, 0, size);
        return segment;
    }

    /**
     * Writes all of {@code src} to the non-blocking {@code from} while reading the
     * same number of bytes from the non-blocking {@code to} into {@code dst}, waiting
     * in epoll when neither side can move; then checks the bytes arrived intact.
     */
    static void transfer(int from, int to, MemorySegment src, MemorySegment dst) {
        long size = src.byteSize();
        assertTrue(dst.byteSize() >= size, "destination too small");
        long sent = 0;
        long received = 0;
        long deadline = System.nanoTime() + Poller.TIMEOUT_MILLIS * 1_000_000;
        try (Poller poller = new Poller()) {
            poller.add(from, Epoll.EPOLLOUT);
            poller.add(to, Epoll.EPOLLIN | Epoll.EPOLLRDHUP);
            for (int round = 0; received < size; round++) {
                if (round >= MAX_ROUNDS || System.nanoTime() - deadline > 0) {
                    fail("transfer stalled: sent " + sent + ", received " + received + " of " + size);
                }
                boolean progress = false;
                if (sent < size) {
                    long written = FileIo.write(from, src.address() + sent, size - sent);
                    if (written > 0) {
                        sent += written;
                        progress = true;
                        if (sent == size) {
                            poller.remove(from);
                        }
                    } else {
                        assertEquals(-Errno.EAGAIN, written, "write");
                    }
                }
                long read = FileIo.read(to, dst.address() + received, size - received);
                if (read > 0) {
                    received += read;
                    progress = true;
                } else if (read == 0) {
                    fail("end of stream after " + received + " of " + size + " bytes");
                } else {
                    assertEquals(-Errno.EAGAIN, read, "read");
                }
                if (!progress) {
                    poller.poll(-1, 100);
                }
            }
        }
        assertEquals(-1L, src.mismatch(dst.asSlice(0, size)), "first differing byte");
    }
}
