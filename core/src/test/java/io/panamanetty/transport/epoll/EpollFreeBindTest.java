package io.panamanetty.transport.epoll;

import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code IP_FREEBIND} and {@code IP_TRANSPARENT} for real, in a network namespace this test
 * creates (never an address of the host): a listener binds to an address no interface has
 * only with one of them ({@link FreeBindProbe}), and reads the option back on.
 */
@ExtendWith(LeakCheck.class)
class EpollFreeBindTest {
    @TempDir
    Path dir;

    @Test
    void aListenerBindsToAnAddressOfNoInterfaceOnlyWithFreeBindOrTransparent() throws Exception {
        String output = InNetworkNamespace.run(dir, FreeBindProbe.class, "");
        assertTrue(output.contains("plain bind failed: bind 10.200.0.1:0 failed: EADDRNOTAVAIL"), output);
        assertTrue(output.contains("freebind bind ok /10.200.0.1:") && output.contains("IP_FREEBIND=true"), output);
        assertTrue(output.contains("transparent bind ok /10.200.0.1:") && output.contains("IP_TRANSPARENT=true"),
                output);
    }
}
