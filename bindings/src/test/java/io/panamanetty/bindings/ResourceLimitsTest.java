package io.panamanetty.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code RLIMIT_NOFILE}, read and set back to itself. Limits are unsigned; -1 is infinity. */
@ExtendWith(NoFdLeaks.class)
class ResourceLimitsTest {

    @Test
    void openFileLimitIsSane() throws Exception {
        ResourceLimits.Limit limit = ResourceLimits.get(ResourceLimits.RLIMIT_NOFILE);
        assertTrue(limit.soft() != 0, limit::toString);
        assertTrue(Long.compareUnsigned(limit.soft(), limit.hard()) <= 0, () -> "soft above hard: " + limit);
        assertTrue(Long.compareUnsigned(limit.soft(), 3) > 0, () -> "room for more than stdio: " + limit);
    }

    @Test
    void settingTheSoftLimitToItselfWorks() throws Exception {
        ResourceLimits.Limit before = ResourceLimits.get(ResourceLimits.RLIMIT_NOFILE);
        ResourceLimits.set(ResourceLimits.RLIMIT_NOFILE, new ResourceLimits.Limit(before.soft(), before.hard()));
        assertEquals(before, ResourceLimits.get(ResourceLimits.RLIMIT_NOFILE));
    }

    @Test
    void aSoftLimitAboveTheHardOneIsRejected() throws Exception {
        ResourceLimits.Limit before = ResourceLimits.get(ResourceLimits.RLIMIT_NOFILE);
        // hard - 1 is below hard in unsigned order even for RLIM_INFINITY, so this always is soft > hard.
        ResourceLimits.Limit inverted = new ResourceLimits.Limit(before.hard(), before.hard() - 1);
        NativeIoException e = assertThrows(NativeIoException.class,
                () -> ResourceLimits.set(ResourceLimits.RLIMIT_NOFILE, inverted));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("setrlimit resource 7 to " + inverted + " failed: EINVAL (Invalid argument)", e.getMessage());
        assertEquals(before, ResourceLimits.get(ResourceLimits.RLIMIT_NOFILE), "unchanged");
    }

    @Test
    void rawCallsReportErrno() {
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(0, ResourceLimits.getrlimit(ResourceLimits.RLIMIT_NOFILE, arena.allocate(ResourceLimits.RLIMIT)));
            assertEquals(-Errno.EINVAL, ResourceLimits.getrlimit(12345, arena.allocate(ResourceLimits.RLIMIT)));
        }
    }
}
