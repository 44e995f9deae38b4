package io.panamanetty.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * io_uring refused for real: a gcc-built wrapper ({@code src/test/c/deny_io_uring.c})
 * installs a seccomp filter under which the io_uring system calls fail with EPERM, as
 * Docker's default profile makes them do, and execs a JVM that runs {@link Probe}. No
 * property fakes the refusal.
 */
class IoUringRefusedTest {
    private static final long TIMEOUT_SECONDS = 120;

    @Test
    void aSeccompFilterReturningEpermIsDetectedAndNamed(@TempDir Path dir) throws Exception {
        IoUringAvailable.require();   // unfiltered, this machine has io_uring
        Path wrapper = dir.resolve("deny_io_uring");
        Path source = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("src/test/c/deny_io_uring.c");
        assertEquals("", run(List.of("gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-o", wrapper.toString(), source.toString()), 0));

        String classpath = System.getProperty("java.class.path") + File.pathSeparator
                + System.getProperty("jdk.module.path", "");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String out = run(List.of(wrapper.toString(), java, "--enable-native-access=ALL-UNNAMED", "-cp", classpath,
                Probe.class.getName()), 0);
        assertTrue(out.contains("available=false"), out);
        assertTrue(out.contains("EPERM"), out);
        assertTrue(out.contains("seccomp"), "the reason names the likely cause: " + out);
    }

    private static String run(List<String> command, int expectedExit) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "still running: " + command);
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(expectedExit, process.exitValue(), command + " said:\n" + text);
        return text;
    }

    /** Run in the filtered child JVM: prints what detection found. */
    static final class Probe {
        public static void main(String[] args) {
            IoUringSupport support = IoUringSupport.detect();
            System.out.println("available=" + support.available() + " reason=" + support.unavailableReason());
        }
    }
}
