package io.panamanetty.bindings;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fails a test class that leaves descriptors open: lists {@code /proc/self/fd}
 * before its first test and after its last one, and compares the descriptors that
 * refer to sockets, pipes and anonymous inodes (epoll, eventfd, timerfd), which are
 * what these tests open. Regular files are left out: the JVM opens jars and
 * {@code /proc} files lazily on threads of its own.
 */
final class NoFdLeaks implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(NoFdLeaks.class);
    private static final String KEY = "descriptors";
    private static final Path PROC_SELF_FD = Path.of("/proc/self/fd");

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put(KEY, snapshot());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        @SuppressWarnings("unchecked")
        Map<Integer, String> before = context.getStore(NAMESPACE).get(KEY, Map.class);
        Map<Integer, String> after = snapshot();
        Map<Integer, String> leaked = new TreeMap<>(after);
        leaked.entrySet().removeIf(entry -> entry.getValue().equals(before.get(entry.getKey())));
        assertEquals(before.size(), after.size(), () -> context.getDisplayName()
                + " changed the number of socket/pipe/anon_inode descriptors in /proc/self/fd from "
                + before.size() + " to " + after.size() + "; new or changed: " + leaked);
        assertEquals(Map.of(), leaked, () -> context.getDisplayName() + " leaked descriptors");
    }

    /** The open descriptors that are sockets, pipes or anonymous inodes, with their link targets. */
    static Map<Integer, String> snapshot() {
        Map<Integer, String> descriptors = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC_SELF_FD)) {
            for (Path entry : entries) {
                String target;
                try {
                    target = Files.readSymbolicLink(entry).toString();
                } catch (NoSuchFileException closedMeanwhile) {
                    continue;
                }
                if (target.startsWith("socket:") || target.startsWith("pipe:")
                        || target.startsWith("anon_inode:")) {
                    descriptors.put(Integer.valueOf(entry.getFileName().toString()), target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + PROC_SELF_FD, e);
        }
        return descriptors;
    }
}
