package io.panamanetty.transport.epoll;

import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Multicast for real, in a network namespace this test makes ({@code unshare -n}, as root):
 * there lo gets the MULTICAST flag (the host's lo is never touched) and a veth pair carries
 * IPv6 multicast, which lo does not deliver. {@code setns} would move only the calling
 * thread, so {@link MulticastProbe} runs in a child JVM started inside the namespace.
 * Without root or {@code unshare}, the test skips, and fails under {@code CI=true}.
 */
@ExtendWith(LeakCheck.class)
class EpollMulticastTest {
    private static final String NAMESPACE_SETUP = String.join(" && ",
            "ip link set lo up", "ip link set lo multicast on",
            "sysctl -qw net.ipv6.conf.default.accept_dad=0",   // no duplicate address detection: usable at once
            "ip link add v0 type veth peer name v1", "ip link set v0 up", "ip link set v1 up",
            "ip -6 addr add fd00::1/64 dev v0 nodad", "ip -6 addr add fd00::2/64 dev v1 nodad");

    @Test
    void joinsLeavesAndSourceSpecificJoinsOverIpv4AndIpv6(@TempDir Path dir) throws Exception {
        requireNamespaces();
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", EpollDatagramAllocationTest.childClassPath(), MulticastProbe.class.getName()));
        String command = NAMESPACE_SETUP + " && exec " + String.join(" ", java.stream().map(EpollMulticastTest::quote)
                .toList());
        Path log = dir.resolve("probe.log");
        Process probe = new ProcessBuilder("unshare", "-n", "sh", "-c", command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertTrue(probe.waitFor(120, TimeUnit.SECONDS), "the probe did not finish: " + Files.readString(log));
        String output = Files.readString(log);
        assertEquals(0, probe.exitValue(), output);
        assertTrue(output.contains("multicast ok"), output);
    }

    /** Root and {@code unshare} are needed; CI has both, elsewhere the test skips. */
    private static void requireNamespaces() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean works = root && new ProcessBuilder("unshare", "-n", "true").start().waitFor() == 0;
        if (!works && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true, and this machine cannot make a network namespace (root and"
                    + " unshare from util-linux are needed)");
        }
        Assumptions.assumeTrue(works, "making a network namespace needs root and unshare");
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
