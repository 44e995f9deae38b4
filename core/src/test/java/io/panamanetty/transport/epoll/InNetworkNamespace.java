package io.panamanetty.transport.epoll;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs a probe program (a class with a {@code main}) in a JVM of its own inside a new
 * network namespace ({@code unshare -n}, as root): loopback up, the shell commands given
 * run first (a sysctl of that namespace, an address), and nothing of the host's network is
 * touched. Without root the test is skipped, except under {@code CI=true}, where it fails.
 */
final class InNetworkNamespace {
    private InNetworkNamespace() {
    }

    /** The probe's output, once it exited 0. */
    static String run(Path dir, Class<?> probe, String setup) throws IOException, InterruptedException {
        boolean root = "0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes())
                .trim());
        if (!root) {
            if ("true".equals(System.getenv("CI"))) {
                fail("this test needs root for a network namespace of its own (unshare -n); CI runs as root");
            }
            Assumptions.abort("needs root for unshare -n");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // surefire runs this module's tests on the module path: the probe gets all of it as a class path
        String classPath = String.join(File.pathSeparator, System.getProperty("java.class.path", ""),
                System.getProperty("jdk.module.path", ""));
        String script = "ip link set lo up && " + (setup.isEmpty() ? "" : setup + " && ") + "exec \"$0\" \"$@\"";
        Path out = dir.resolve(probe.getSimpleName() + ".out");
        Process process = new ProcessBuilder(List.of("unshare", "-n", "sh", "-c", script, java,
                "--enable-native-access=ALL-UNNAMED", "-cp", classPath, probe.getName()))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), probe.getSimpleName() + " did not finish");
        String output = Files.readString(out);
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
