package io.panamanetty.examples;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bootstrap.ServerBootstrap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * panama-netty used as a dependency, as the README's "Use it in your project" says: a tiny
 * program of its own, compiled with {@code javac} and run with {@code java} (of the JDK running
 * this test) against the bindings and core artifacts of this build, on the class path and on
 * the module path. It binds a {@link ServerBootstrap} echo server on 127.0.0.1, checks one echo
 * over a plain {@link java.net.Socket}, closes the server and exits 0 (its JVM must end by
 * itself: no thread of the library may keep it alive).
 *
 * <p>Under {@code mvn verify} the artifacts are the packaged jars (the reactor hands the
 * examples module the jars of core and bindings); they are found where this test's own class
 * path has them, so that a run never picks up stale jars.
 */
class ConsumerTest {

    private static final String MAIN = """
            package consumer;

            import io.panamanetty.bootstrap.ServerBootstrap;
            import io.panamanetty.channel.Channel;

            import java.net.InetSocketAddress;
            import java.net.Socket;
            import java.nio.charset.StandardCharsets;
            import java.util.Arrays;

            public final class Main {
                public static void main(String[] args) throws Exception {
                    Channel server = new ServerBootstrap().bind("127.0.0.1", 0).sync().channel();
                    int port = ((InetSocketAddress) server.localAddress()).getPort();
                    byte[] sent = "hello from a consumer".getBytes(StandardCharsets.UTF_8);
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
                        socket.setSoTimeout(30_000);
                        socket.getOutputStream().write(sent);
                        socket.getOutputStream().flush();
                        byte[] echoed = socket.getInputStream().readNBytes(sent.length);
                        if (!Arrays.equals(sent, echoed)) {
                            throw new AssertionError("echoed: " + new String(echoed, StandardCharsets.UTF_8));
                        }
                    }
                    server.close().sync();
                    System.out.println("consumer: echoed " + sent.length + " bytes");
                }
            }
            """;

    /** Core requires the bindings, but not transitively: the consumer names core alone. */
    private static final String MODULE_INFO = """
            module consumer {
                requires io.panamanetty.core;
            }
            """;

    private static final String HINT = "panama-netty needs native access: run java with"
            + " --enable-native-access=ALL-UNNAMED (class path) or"
            + " --enable-native-access=io.panamanetty.bindings (module path)";

    private static final long TIMEOUT_SECONDS = 120;

    private static Path bindings;
    private static Path core;
    private static Path jdkBin;

    @TempDir
    static Path work;

    private static Path classPathBuild;
    private static Path modulePathBuild;

    @BeforeAll
    static void compileTheConsumer() throws Exception {
        bindings = artifactOf(Errno.class, "panama-netty-bindings");
        core = artifactOf(ServerBootstrap.class, "panama-netty-core");
        jdkBin = Path.of(System.getProperty("java.home"), "bin");
        assertTrue(Files.isExecutable(jdkBin.resolve("javac")),
                "no javac beside the java running this test (" + jdkBin + "): run the tests with a JDK");

        Path sources = Files.createDirectories(work.resolve("src/consumer"));
        Files.writeString(sources.resolve("Main.java"), MAIN);
        Files.writeString(work.resolve("src/module-info.java"), MODULE_INFO);

        classPathBuild = work.resolve("classes");
        Result onClassPath = run(jdkBin.resolve("javac").toString(), "-d", classPathBuild.toString(),
                "--class-path", path(bindings, core), sources.resolve("Main.java").toString());
        assertEquals(0, onClassPath.exit(), "javac on the class path failed:\n" + onClassPath.output());

        modulePathBuild = work.resolve("module");
        Result onModulePath = run(jdkBin.resolve("javac").toString(), "-d", modulePathBuild.toString(),
                "--module-path", path(bindings, core), work.resolve("src/module-info.java").toString(),
                sources.resolve("Main.java").toString());
        assertEquals(0, onModulePath.exit(), "javac on the module path failed:\n" + onModulePath.output());
    }

    @Test
    void runsOnTheClassPathWithNativeAccessForAllUnnamed() throws Exception {
        // deny too: the flag the README gives must be enough where the JDK refuses the rest
        Result result = java("--enable-native-access=ALL-UNNAMED", "--illegal-native-access=deny",
                "--class-path", path(classPathBuild, bindings, core), "consumer.Main");
        assertEchoedWithoutWarning(result);
    }

    @Test
    void runsOnTheModulePathWithNativeAccessForTheBindingsModule() throws Exception {
        Result result = java("--enable-native-access=io.panamanetty.bindings", "--illegal-native-access=deny",
                "--module-path", path(modulePathBuild, bindings, core), "--module", "consumer/consumer.Main");
        assertEchoedWithoutWarning(result);
    }

    @Test
    void deniedNativeAccessOnTheClassPathStopsTheProgramNamingTheFlag() throws Exception {
        Result result = java("--illegal-native-access=deny",
                "--class-path", path(classPathBuild, bindings, core), "consumer.Main");
        assertStoppedWithTheHint(result, "this run has panama-netty on the class path");
    }

    @Test
    void deniedNativeAccessOnTheModulePathStopsTheProgramNamingTheFlag() throws Exception {
        Result result = java("--illegal-native-access=deny",
                "--module-path", path(modulePathBuild, bindings, core), "--module", "consumer/consumer.Main");
        assertStoppedWithTheHint(result, "this run has io.panamanetty.bindings on the module path");
    }

    private static void assertEchoedWithoutWarning(Result result) {
        assertEquals(0, result.exit(), result.output());
        assertTrue(result.output().contains("consumer: echoed 21 bytes"), result.output());
        assertFalse(result.output().contains("WARNING"), result.output());
    }

    private static void assertStoppedWithTheHint(Result result, String where) {
        assertNotEquals(0, result.exit(), result.output());
        assertTrue(result.output().contains(HINT), result.output());
        assertTrue(result.output().contains(where), result.output());
        assertFalse(result.output().contains("consumer: echoed"), result.output());
    }

    /**
     * The jar (or, before {@code package}, the classes directory) that {@code type} was loaded
     * from, checked to be the artifact named {@code artifactId} of this build.
     */
    private static Path artifactOf(Class<?> type, String artifactId) throws URISyntaxException {
        Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.exists(location), artifactId + " is missing at " + location
                + ": build it first (./mvnw verify builds the modules in order)");
        boolean jar = location.getFileName().toString().startsWith(artifactId)
                && location.getFileName().toString().endsWith(".jar");
        boolean classes = Files.isDirectory(location) && location.getFileName().toString().equals("classes");
        assertTrue(jar || classes, type.getName() + " came from " + location + ", not from " + artifactId);
        return location;
    }

    private static String path(Path... entries) {
        List<String> parts = new ArrayList<>();
        for (Path entry : entries) {
            parts.add(entry.toString());
        }
        return String.join(File.pathSeparator, parts);
    }

    private static Result java(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(jdkBin.resolve("java").toString());
        command.add("-Xmx256m");
        command.addAll(List.of(arguments));
        return run(command.toArray(String[]::new));
    }

    private record Result(int exit, String output) {
    }

    /** Runs {@code command}, its output in a file (reading a pipe races with the JDK draining it at exit). */
    private static Result run(String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile(work, "run", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // flags a caller's environment would add to every JVM (and announce on its output) are not the consumer's
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            fail("still running after " + TIMEOUT_SECONDS + " s: " + String.join(" ", command) + "\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
