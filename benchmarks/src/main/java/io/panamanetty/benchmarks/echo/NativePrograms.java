package io.panamanetty.benchmarks.echo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The benchmarks' C programs, the TCP load generator ({@code loadgen.c}), the reference
 * echo server ({@code echo_server.c}) and the UDP load generator ({@code udp_loadgen.c}):
 * benchmark references only, never part of the library. Their sources travel as resources of this module and are compiled with
 * {@code gcc -O2} on first use into a directory under {@code java.io.tmpdir} named by the
 * sources' hash, so that a changed source is rebuilt and an unchanged one is not.
 */
public final class NativePrograms {
    /** The C load generator. */
    static final String LOAD_GENERATOR = "loadgen";
    /** The C epoll echo server. */
    static final String ECHO_SERVER = "echo_server";
    /** The batching UDP load generator (sendmmsg/recvmmsg). */
    public static final String UDP_LOAD_GENERATOR = "udp_loadgen";

    private static final List<String> PROGRAMS = List.of(LOAD_GENERATOR, ECHO_SERVER, UDP_LOAD_GENERATOR);
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
            directory = build();
        }
        return directory.resolve(program);
    }

    private static Path build() throws IOException {
        byte[][] sources = new byte[PROGRAMS.size()][];
        MessageDigest digest = sha256();
        for (int i = 0; i < sources.length; i++) {
            sources[i] = resource(PROGRAMS.get(i) + ".c");
            digest.update(sources[i]);
        }
        String hash = HexFormat.of().formatHex(digest.digest(), 0, 8);
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "panama-netty-bench-c-" + hash);
        Files.createDirectories(dir);
        for (int i = 0; i < sources.length; i++) {
            Path executable = dir.resolve(PROGRAMS.get(i));
            if (!Files.isExecutable(executable)) {
                compile(dir, PROGRAMS.get(i), sources[i]);
            }
        }
        return dir;
    }

    /** Compiles into a temporary name, then renames: a crash halfway leaves no half-written program. */
    private static void compile(Path dir, String program, byte[] source) throws IOException {
        Path file = dir.resolve(program + ".c");
        Files.write(file, source);
        Path partial = dir.resolve(program + ".partial-" + ProcessHandle.current().pid());
        Path log = dir.resolve(program + ".gcc.log");
        Process gcc;
        try {
            gcc = new ProcessBuilder("gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-o", partial.toString(),
                    file.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
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
            throw new IOException("gcc failed on " + file + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
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
