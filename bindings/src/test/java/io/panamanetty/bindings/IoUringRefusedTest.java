package io.panamanetty.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * io_uring refused for real: a JVM runs under {@code seccomp_refuse_io_uring} (gcc-built from
 * {@code src/test/c}), whose seccomp filter answers {@code io_uring_setup} with EPERM as
 * Docker's default profile does, and {@link IoUringSupport} must say so in words.
 */
@Timeout(120)
class IoUringRefusedTest {

    @Test
    void aSeccompRefusalIsReportedAsTheReason(@TempDir Path dir) throws Exception {
        Path source = Path.of(System.getProperty("basedir", "")).toAbsolutePath()
                .resolve("src/test/c/seccomp_refuse_io_uring.c");
        Path wrapper = dir.resolve("seccomp_refuse_io_uring");
        Process gcc = new ProcessBuilder("gcc", "-std=gnu11", "-O0", "-Wall", "-Wextra", "-Werror",
                "-o", wrapper.toString(), source.toString()).redirectErrorStream(true).start();
        String gccOutput = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(gcc.waitFor(60, TimeUnit.SECONDS), "gcc did not finish");
        assertEquals(0, gcc.exitValue(), "gcc: " + gccOutput);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // surefire runs these tests on the module path: the probe gets all of it as a class path
        String classPath = String.join(File.pathSeparator, System.getProperty("java.class.path", ""),
                System.getProperty("jdk.module.path", ""));
        Process probe = new ProcessBuilder(List.of(wrapper.toString(), java, "--enable-native-access=ALL-UNNAMED",
                "-cp", classPath, IoUringSupportProbe.class.getName())).redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(probe.waitFor(60, TimeUnit.SECONDS), "the probe did not finish");
        assertEquals(0, probe.exitValue(), output);
        assertEquals("io_uring unavailable: io_uring_setup entries=2 cq_entries=0 flags=0x0 failed:"
                + " EPERM (Operation not permitted): refused by a seccomp filter (as Docker's default profile"
                + " does) or a security module", output);
    }
}
