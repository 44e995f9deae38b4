package io.panamanetty.transport.epoll;

import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coalescing on a path whose MTU a run's segment size exceeds, in a network namespace this
 * test creates (loopback at MTU 1,500, {@link CoalescingMtuProbe}): the kernel refuses such a
 * run (EMSGSIZE or EINVAL), its datagrams still arrive whole (fragmented, one message each), coalescing
 * stays off for that size and on for datagrams that fit.
 */
@ExtendWith(LeakCheck.class)
class EpollDatagramCoalescingMtuTest {
    @TempDir
    Path dir;

    @Test
    void aRunTooLargeForTheMtuGoesOneByOneAndSmallerOnesStillCoalesce() throws Exception {
        String output = InNetworkNamespace.run(dir, CoalescingMtuProbe.class, "ip link set lo mtu 1500");
        assertTrue(output.contains("burst 0 of 1400 B: messages=1 calls=1 promises=true whole=true"), output);
        // the refused run, its first datagram alone (GSO is to blame), the other 19 plainly in one call
        assertTrue(output.contains("burst 1 of 3000 B: messages=20 calls=3 promises=true whole=true"), output);
        assertTrue(output.contains("burst 2 of 3000 B: messages=20 calls=1 promises=true whole=true"), output);
        assertTrue(output.contains("burst 3 of 1400 B: messages=1 calls=1 promises=true whole=true"), output);
    }
}
