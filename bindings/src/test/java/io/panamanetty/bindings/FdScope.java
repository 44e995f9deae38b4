package io.panamanetty.bindings;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The descriptors one test opened; closing the scope closes those still open, last
 * opened first, and fails if any {@code close} reports an error.
 */
final class FdScope implements AutoCloseable {
    private final List<Integer> open = new ArrayList<>();

    /** Takes ownership of {@code fd}, which must be a descriptor and not {@code -errno}. */
    int add(int fd) {
        assertTrue(fd >= 0, () -> "expected a descriptor, got -" + Errno.symbol(-fd));
        open.add(fd);
        return fd;
    }

    /** Closes {@code fd} now, asserting that it was in this scope and that close succeeded. */
    void closeNow(int fd) {
        assertTrue(open.remove(Integer.valueOf(fd)), () -> "fd " + fd + " is not open in this scope");
        assertEquals(0, FileIo.close(fd), () -> "close(" + fd + ")");
    }

    @Override
    public void close() {
        StringBuilder failures = new StringBuilder();
        for (int i = open.size() - 1; i >= 0; i--) {
            int fd = open.get(i);
            int result = FileIo.close(fd);
            if (result != 0) {
                failures.append(" close(").append(fd).append(") = -").append(Errno.symbol(-result));
            }
        }
        open.clear();
        if (!failures.isEmpty()) {
            fail("closing the test's descriptors failed:" + failures);
        }
    }
}
