package io.panamanetty.transport.epoll;

import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connected UDP channel whose route goes away ({@link UnreachableRouteProbe}, in a network
 * namespace of its own): the kernel refuses every send with ENETUNREACH. The first refusal of a
 * datagram may be a late ICMP report, so it is reported and the datagram tried once more; the
 * second fails its promise. Before, the datagram was retried for ever (a loop at full CPU,
 * millions of exceptionCaught calls, the promise never done).
 */
@ExtendWith(LeakCheck.class)
class EpollDatagramUnreachableTest {
    @TempDir
    Path dir;

    @Test
    void aRouteThatStaysUnreachableFailsEachWriteInsteadOfRetryingForEver() throws Exception {
        String output = InNetworkNamespace.run(dir, UnreachableRouteProbe.class, "ip addr add 10.9.0.1/24 dev lo");
        assertTrue(output.contains("write 0: done=true failed=true"), output);
        assertTrue(output.contains("write 1: done=true failed=true"), output);
        assertTrue(output.contains("reported=2 open=true"), output);
    }
}
