package io.panamanetty.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * io_uring refused for real: a JVM runs under {@code seccomp_refuse_io_uring} (gcc-built from
 * {@code src/test/c}), whose seccomp filter answers {@code io_uring_setup} with EPERM as
 * Docker's default profile does (or ENOSYS, as a kernel without io_uring does), and
 * {@link IoUringSupport} must say so in words.
 */
@ExtendWith(NoFdLeaks.class)
@Timeout(120)
class IoUringRefusedTest {

    @Test
    void aSeccompRefusalIsReportedAsTheReason(@TempDir Path dir) throws Exception {
        assertEquals("io_uring unavailable: io_uring_setup entries=2 cq_entries=0 flags=0x0 failed:"
                + " EPERM (Operation not permitted): refused by a seccomp filter (as Docker's default profile"
                + " does) or a security module", probeUnder(dir, List.of()));
    }

    @Test
    void aHiddenSystemCallIsReportedAsNoIoUring(@TempDir Path dir) throws Exception {
        assertEquals("io_uring unavailable: io_uring_setup entries=2 cq_entries=0 flags=0x0 failed:"
                + " ENOSYS (Function not implemented): this kernel has no io_uring (or a seccomp filter hides it)",
                probeUnder(dir, List.of("--enosys")));
    }

    @Test
    void runningOutOfDescriptorsIsATransientRefusal(@TempDir Path dir) throws Exception {
        String[] lines = probe(List.of(), List.of("--without-descriptors")).split("\n");
        assertEquals(2, lines.length, String.join("\n", lines));
        assertEquals("io_uring unavailable: io_uring_setup entries=2 cq_entries=0 flags=0x0 failed:"
                + " EMFILE (Too many open files) | transient true", lines[0].strip());
        assertEquals("after: available true | transient false", lines[1].strip());
    }

    /** What {@link IoUringSupportProbe} prints in a JVM run under the wrapper with {@code options}. */
    private static String probeUnder(Path dir, List<String> options) throws Exception {
        Path source = Path.of(System.getProperty("basedir", "")).toAbsolutePath()
                .resolve("src/test/c/seccomp_refuse_io_uring.c");
        Path wrapper = dir.resolve("seccomp_refuse_io_uring");
        Output gcc = run(List.of("gcc", "-std=gnu11", "-O0", "-Wall", "-Wextra", "-Werror",
                "-o", wrapper.toString(), source.toString()));
        assertEquals(0, gcc.exitCode(), "gcc: " + gcc.text());
        List<String> prefix = new ArrayList<>();
        prefix.add(wrapper.toString());
        prefix.addAll(options);
        return probe(prefix, List.of());
    }

    /** What {@link IoUringSupportProbe} prints given {@code arguments}, its JVM started through {@code prefix}. */
    private static String probe(List<String> prefix, List<String> arguments) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // surefire runs these tests on the module path: the probe gets all of it as a class path
        String classPath = String.join(File.pathSeparator, System.getProperty("java.class.path", ""),
                System.getProperty("jdk.module.path", ""));
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", classPath,
                IoUringSupportProbe.class.getName()));
        command.addAll(arguments);
        Output probe = run(command);
        String output = probe.text().strip();
        assertEquals(0, probe.exitCode(), output);
        return output;
    }

    private record Output(int exitCode, String text) {
    }

    /** Runs {@code command} (stderr into stdout) for at most 60 s, closing all its pipes. */
    private static Output run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String text;
        try (var out = process.getInputStream()) {
            text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        process.getErrorStream().close();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), command.get(0) + " did not finish");
        return new Output(process.exitValue(), text);
    }
}
