package io.panamanetty.transport.epoll;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code EAGAIN} on a UDP socket, which loopback never gives (it frees a datagram's send
 * memory at once): in a network namespace of the test's own, {@code v0} of a veth pair sends
 * through a {@code tbf} queue of 8 Mbit/s to a neighbour that exists only as a fixed
 * link-layer address, so sent datagrams wait in the queue holding the socket's memory.
 * {@link DatagramBackpressureProbe} runs in a child JVM there. Needs root and {@code unshare}
 * (fails under {@code CI=true} without them, skips elsewhere).
 */
class EpollDatagramBackpressureTest {
    private static final String NAMESPACE_SETUP = String.join(" && ",
            "ip link set lo up", "sysctl -qw net.ipv6.conf.default.accept_dad=0",
            "ip link add v0 type veth peer name v1", "ip link set v0 up", "ip link set v1 up",
            "tc qdisc add dev v0 root tbf rate 8mbit burst 16kbit latency 2s",
            "ip -6 addr add fd00::1/64 dev v0 nodad",
            "ip -6 neigh add fd00::99 lladdr 02:00:00:00:00:99 dev v0");

    @Test
    void aFullSocketBufferIsWaitedOutAndEveryDatagramLeaves(@TempDir Path dir) throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean works = root && new ProcessBuilder("unshare", "-n", "true").start().waitFor() == 0;
        if (!works && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true, and this machine cannot make a network namespace (root and"
                    + " unshare from util-linux are needed)");
        }
        Assumptions.assumeTrue(works, "making a network namespace needs root and unshare");
        List<String> java = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", EpollDatagramAllocationTest.childClassPath(),
                DatagramBackpressureProbe.class.getName());
        String command = NAMESPACE_SETUP + " && exec "
                + String.join(" ", java.stream().map(word -> "'" + word.replace("'", "'\\''") + "'").toList());
        Path log = dir.resolve("probe.log");
        Process probe = new ProcessBuilder("unshare", "-n", "sh", "-c", command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertTrue(probe.waitFor(180, TimeUnit.SECONDS), "the probe did not finish: " + Files.readString(log));
        String output = Files.readString(log);
        assertEquals(0, probe.exitValue(), output);
        assertTrue(output.contains("backpressure ok"), output);
        System.out.println(output.strip());
    }
}
