package io.panamanetty.testsuite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which sockets this process holds a descriptor of, by inode, and the inode of an established
 * IPv4 TCP socket from {@code /proc/net/tcp}: for tests that a closed channel's socket is gone
 * from the process, not merely reported closed.
 */
public final class HeldSockets {
    private static final String ESTABLISHED = "01";

    private HeldSockets() {
    }

    /** The inodes of the sockets this process holds descriptors of ({@code /proc/self/fd}). */
    public static Set<Long> inodes() throws IOException {
        Set<Long> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException gone) {   // closed while listed (the listing's own, say)
                    continue;
                }
                if (target.startsWith("socket:[")) {
                    inodes.add(Long.parseLong(target, 8, target.length() - 1, 10));
                }
            }
        }
        return inodes;
    }

    /** The inode of the established socket whose local port is {@code port}. */
    public static long byLocalPort(int port) throws IOException {
        return established(1, port);
    }

    /** The inode of the established socket whose peer's port is {@code port}. */
    public static long byRemotePort(int port) throws IOException {
        return established(2, port);
    }

    private static long established(int addressField, int port) throws IOException {
        String suffix = String.format(":%04X", port);
        for (String line : Files.readAllLines(Path.of("/proc/net/tcp"))) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > 9 && fields[addressField].endsWith(suffix) && fields[3].equals(ESTABLISHED)) {
                return Long.parseLong(fields[9]);
            }
        }
        throw new AssertionError("no established socket with " + (addressField == 1 ? "local" : "remote")
                + " port " + port + " in /proc/net/tcp");
    }
}
