package io.panamanetty.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link UnixSockets} on real AF_UNIX stream sockets: socket files, abstract names, credentials. */
@ExtendWith(NoFdLeaks.class)
@Timeout(60)
class UnixSocketsTest {

    private static byte[] bytes(Path path) {
        return path.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] abstractName(String name) {
        byte[] ascii = name.getBytes(StandardCharsets.US_ASCII);
        byte[] sunPath = new byte[ascii.length + 1];
        System.arraycopy(ascii, 0, sunPath, 1, ascii.length);
        return sunPath;
    }

    /** A listener on {@code sunPath}, a client connected to it, and the accepted end. */
    private static int[] connectedPair(FdScope fds, byte[] sunPath) throws NativeIoException {
        int listener = fds.add(UnixSockets.open(Sockets.SOCK_STREAM));
        UnixSockets.bind(listener, sunPath);
        assertEquals(0, Sockets.listen(listener, 16));
        int client = fds.add(UnixSockets.open(Sockets.SOCK_STREAM));
        assertEquals(0, UnixSockets.connect(client, sunPath), "a Unix stream connect completes at once");
        int accepted = fds.add(Sockets.accept4(listener, MemorySegment.NULL, MemorySegment.NULL,
                Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC));
        return new int[] {listener, client, accepted};
    }

    @Test
    void socketFileCarriesBytesAndReportsItsAddresses(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("echo.sock");
        try (FdScope fds = new FdScope(); Arena arena = Arena.ofConfined()) {
            int[] fd = connectedPair(fds, bytes(file));
            assertTrue(Files.exists(file), "bind created the socket file");
            assertEquals(Sockets.AF_UNIX, Sockets.getInt(fd[2], Sockets.SOL_SOCKET, SockOpt.SO_DOMAIN));

            assertArrayEquals(bytes(file), UnixSockets.localAddress(fd[0]));
            assertArrayEquals(bytes(file), UnixSockets.localAddress(fd[2]), "accepted: the listener's path");
            assertArrayEquals(bytes(file), UnixSockets.remoteAddress(fd[1]));
            assertArrayEquals(new byte[0], UnixSockets.localAddress(fd[1]), "the client was never bound");
            assertArrayEquals(new byte[0], UnixSockets.remoteAddress(fd[2]));

            Loopback.transfer(fd[1], fd[2], Loopback.pattern(arena, 300_000, 41), arena.allocate(300_000));
            Loopback.transfer(fd[2], fd[1], Loopback.pattern(arena, 999, 42), arena.allocate(999));
        }
    }

    @Test
    void abstractNameLeavesNoFile(@TempDir Path dir) throws Exception {
        byte[] name = abstractName("panama-netty-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try (FdScope fds = new FdScope(); Arena arena = Arena.ofConfined()) {
            int[] fd = connectedPair(fds, name);
            assertArrayEquals(name, UnixSockets.localAddress(fd[0]));
            assertArrayEquals(name, UnixSockets.remoteAddress(fd[1]));
            Loopback.transfer(fd[1], fd[2], Loopback.pattern(arena, 1000, 43), arena.allocate(1000));

            int second = fds.add(UnixSockets.open(Sockets.SOCK_STREAM));
            NativeIoException inUse = assertThrows(NativeIoException.class, () -> UnixSockets.bind(second, name));
            assertEquals(Errno.EADDRINUSE, inUse.errno());
            assertTrue(inUse.getMessage().startsWith("bind " + UnixSockAddr.describe(name) + " failed: EADDRINUSE"),
                    inUse.getMessage());
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void emptyAddressAutobindsAnAbstractName() throws Exception {
        try (FdScope fds = new FdScope()) {
            int fd = fds.add(UnixSockets.open(Sockets.SOCK_DGRAM));
            UnixSockets.bind(fd, new byte[0]);
            byte[] picked = UnixSockets.localAddress(fd);
            assertTrue(UnixSockAddr.isAbstract(picked), UnixSockAddr.describe(picked));
            assertEquals(6, picked.length, "a NUL and five hex digits: " + UnixSockAddr.describe(picked));
        }
    }

    @Test
    void peerCredentialsAreThisProcesssOnBothEnds(@TempDir Path dir) throws Exception {
        String status = Files.readString(Path.of("/proc/self/status"));
        int uid = Integer.parseInt(field(status, "Uid:"));
        int gid = Integer.parseInt(field(status, "Gid:"));
        Ucred self = new Ucred((int) ProcessHandle.current().pid(), uid, gid);
        try (FdScope fds = new FdScope(); Arena arena = Arena.ofConfined()) {
            int[] fd = connectedPair(fds, bytes(dir.resolve("cred.sock")));
            assertEquals(self, UnixSockets.peerCredentials(fd[1]));
            assertEquals(self, UnixSockets.peerCredentials(fd[2]));

            MemorySegment raw = arena.allocate(Ucred.UCRED);
            self.write(raw);
            assertEquals(self.pid(), raw.get(ValueLayout.JAVA_INT, 0));
            assertEquals(self, Ucred.read(raw));
        }
    }

    @Test
    void failuresNameThePath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("taken.sock");
        Path regular = Files.writeString(dir.resolve("plain"), "x");
        try (FdScope fds = new FdScope()) {
            int listener = fds.add(UnixSockets.open(Sockets.SOCK_STREAM));
            UnixSockets.bind(listener, bytes(file));
            int fd = fds.add(UnixSockets.open(Sockets.SOCK_STREAM));

            NativeIoException inUse = assertThrows(NativeIoException.class, () -> UnixSockets.bind(fd, bytes(file)));
            assertEquals("bind " + file + " failed: EADDRINUSE (Address already in use)", inUse.getMessage());

            NativeIoException refused = assertThrows(NativeIoException.class,
                    () -> UnixSockets.connect(fd, bytes(file)));   // bound, not listening
            assertEquals("connect " + file + " failed: ECONNREFUSED (Connection refused)", refused.getMessage());

            Path missing = dir.resolve("none/x.sock");
            NativeIoException noEntry = assertThrows(NativeIoException.class,
                    () -> UnixSockets.connect(fd, bytes(missing)));
            assertEquals("connect " + missing + " failed: ENOENT (No such file or directory)", noEntry.getMessage());

            Path underFile = regular.resolve("x.sock");
            NativeIoException notDir = assertThrows(NativeIoException.class,
                    () -> UnixSockets.bind(fd, bytes(underFile)));
            assertEquals("bind " + underFile + " failed: ENOTDIR (Not a directory)", notDir.getMessage());

            assertEquals(new Ucred(0, -1, -1), UnixSockets.peerCredentials(fd),
                    "never connected: no peer, which the kernel says with pid 0 and ids -1");
        }
    }

    private static String field(String status, String name) {
        for (String line : status.split("\n")) {
            if (line.startsWith(name)) {
                return line.substring(name.length()).strip().split("\\s+")[0];   // the real id
            }
        }
        throw new AssertionError("no " + name + " in /proc/self/status");
    }
}
