package io.panamanetty.benchmarks.echo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The benchmarks' C programs, the TCP load generator ({@code loadgen.c}), the reference
 * echo servers ({@code echo_server.c} on epoll, {@code echo_server_uring.c} on io_uring
 * through liburing) and the UDP load generator ({@code udp_loadgen.c}): benchmark
 * references only, never part of the library. Their sources travel as resources of this
 * module and are compiled with {@code gcc -O2}, each on its first use, into a directory
 * under {@code java.io.tmpdir} named by the sources' hash, so that a changed source is
 * rebuilt and an unchanged one is not (and a machine without liburing still builds the others).
 */
public final class NativePrograms {
    /** The C load generator. */
    static final String LOAD_GENERATOR = "loadgen";
    /** The C epoll echo server. */
    static final String ECHO_SERVER = "echo_server";
    /** The C io_uring echo server (liburing: {@code apt-get install liburing-dev}). */
    static final String IO_URING_ECHO_SERVER = "echo_server_uring";
    /** The batching UDP load generator (sendmmsg/recvmmsg). */
    public static final String UDP_LOAD_GENERATOR = "udp_loadgen";

    private static final List<String> PROGRAMS = List.of(LOAD_GENERATOR, ECHO_SERVER, IO_URING_ECHO_SERVER,
            UDP_LOAD_GENERATOR);
    /** The libraries a program links beyond libc. */
    private static final Map<String, List<String>> LIBRARIES = Map.of(IO_URING_ECHO_SERVER, List.of("-luring"));
    private static final long COMPILE_TIMEOUT_SECONDS = 120;
    private static Path directory;

    private NativePrograms() {
    }

    /** The executable of {@code program} (one of the constants), compiled first if need be. */
    public static synchronized Path path(String program) throws IOException {
        if (!PROGRAMS.contains(program)) {
            throw new IllegalArgumentException("no C program named " + program);
        }
        if (directory == null) {
            directory = directory();
        }
        Path executable = directory.resolve(program);
        if (!Files.isExecutable(executable)) {
            compile(directory, program, resource(program + ".c"));
        }
        return executable;
    }

    /** The directory named by the hash of every program's source. */
    private static Path directory() throws IOException {
        MessageDigest digest = sha256();
        for (String program : PROGRAMS) {
            digest.update(resource(program + ".c"));
        }
        String hash = HexFormat.of().formatHex(digest.digest(), 0, 8);
        return Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "panama-netty-bench-c-" + hash));
    }

    /** Compiles into a temporary name, then renames: a crash halfway leaves no half-written program. */
    private static void compile(Path dir, String program, byte[] source) throws IOException {
        Path file = dir.resolve(program + ".c");
        Files.write(file, source);
        Path partial = dir.resolve(program + ".partial-" + ProcessHandle.current().pid());
        Path log = dir.resolve(program + ".gcc.log");
        List<String> command = new ArrayList<>(List.of("gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-o",
                partial.toString(), file.toString()));
        command.addAll(LIBRARIES.getOrDefault(program, List.of()));
        Process gcc;
        try {
            gcc = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IOException("the harness's C programs need gcc (apt-get install gcc libc6-dev): "
                    + e.getMessage(), e);
        }
        try {
            if (!gcc.waitFor(COMPILE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                gcc.destroyForcibly();
                throw new IOException("gcc did not finish compiling " + file + " within " + COMPILE_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            gcc.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while compiling " + file, e);
        }
        if (gcc.exitValue() != 0) {
            String hint = LIBRARIES.containsKey(program) ? " (" + program + " needs liburing: apt-get install liburing-dev)"
                    : "";
            throw new IOException("gcc failed on " + file + hint + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        Files.move(partial, dir.resolve(program), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = NativePrograms.class.getResourceAsStream("native/" + name)) {
            if (in == null) {
                throw new IOException("the C source " + name + " is missing from the benchmarks module's resources");
            }
            return in.readAllBytes();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
